"""Build the Word/LibreOffice and LinkedIn-style parts of the team's real-layout corpus (see ../README.md).

    .venv/bin/python benchmarks/corpus/office/make.py [--people 9] [--seed 15] [--out DIR]

Needs LibreOffice (``soffice``, e.g. ``apt-get install libreoffice-writer-nogui``) to export the
DOCX to PDF, and headless Chromium for the LinkedIn-style page: dev-time tools, never runtime
requirements.

The people are those of the JSON Resume part (``../people.py``, same seed, same truth),
so one person is seen through every tool. Two kinds of document:

* ``docx-<layout>``: DOCX written with python-docx in four layouts typical of Word CV templates
  (no CV template of a package we could legally redistribute was found; see the README). Each is
  also exported to PDF by LibreOffice headless (``docx-<layout>-pdf``).
* ``linkedin-style``: a page laid out like LinkedIn's current "Save to PDF" profile export,
  designed from its public description (sidebar: Contact, Top Skills, Languages, Certifications;
  main: name, headline, location, Summary, Experience, Education), HTML printed by Chromium.

Truth is derived from the person's data alone, in the format of ``../shared/corpus/README.md``
plus ``family``; every value is checked to be on the printed page before it is written.
"""

from __future__ import annotations

import argparse
import html
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

import docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml import parse_xml
from docx.shared import Inches, Pt, RGBColor

HERE = Path(__file__).resolve().parent
DOCUMENTS = HERE.parent / "documents"

sys.path.insert(0, str(HERE.parent))
import people as jr  # noqa: E402  (benchmarks/corpus/people.py: one home for every family)

# layout -> geometry of the printed page (the evaluator reports per layout and per family).
LAYOUTS = {
    "sidebar-table": "two-column",
    "header": "one-column",
    "textbox": "two-column",
    "dates-table": "one-column",
}

HEADINGS = {
    "en": {"profile": "Profile", "experience": "Experience", "education": "Education", "skills": "Skills",
           "languages": "Languages", "contact": "Contact"},
    "es": {"profile": "Perfil", "experience": "Experiencia profesional", "education": "Formación",
           "skills": "Competencias", "languages": "Idiomas", "contact": "Contacto"},
    "fr": {"profile": "Profil", "experience": "Expérience professionnelle", "education": "Formation",
           "skills": "Compétences", "languages": "Langues", "contact": "Contact"},
}
MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"],
    "es": ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
           "noviembre", "diciembre"],
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre"],
}
PRESENT = {"en": "Present", "es": "Actualidad", "fr": "Aujourd'hui"}
# Word templates print dates in many ways; each layout uses one style.
DATE_STYLE = {"sidebar-table": "short", "header": "long", "textbox": "numeric", "dates-table": "numeric"}


def _date(value: str | None, language: str, style: str) -> str:
    if value is None:
        return PRESENT[language]
    year, month = int(value[:4]), int(value[5:7])
    if style == "numeric":
        return f"{month:02d}/{year}"
    name = MONTHS[language][month - 1]
    if style == "short":
        name = name[:3] + ("." if language != "en" and len(name) > 3 else "")
        name = name.capitalize() if language == "en" else name
    return f"{name} {year}"


def _span(job: dict, language: str, style: str) -> str:
    return f"{_date(job['start'], language, style)} – {_date(job['end'], language, style)}"


def _location(person) -> str:
    loc = person.resume["basics"]["location"]
    return ", ".join(p for p in (loc["city"], loc.get("region"), loc["countryCode"]) if p)


def _language_lines(person) -> list[str]:
    return [f"{item['language']} — {item['fluency']}" for item in person.resume["languages"]]


def _highlights(person) -> list[str]:
    return [work["highlights"][0] for work in person.resume["work"]]


# ---------------------------------------------------------------- DOCX helpers


def _new_document() -> docx.document.Document:
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Inches(8.27), Inches(11.69)  # A4
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Inches(0.7))
    document.styles["Normal"].font.name = "Liberation Sans"
    document.styles["Normal"].font.size = Pt(10)
    document.core_properties.author = "CV template"
    return document


def _para(container, text: str = "", *, style: str | None = None, bold: bool = False, italic: bool = False,
          size: float | None = None, color: str | None = None, after: float = 2):
    p = container.add_paragraph(style=style)
    if text:
        run = p.add_run(text)
        run.bold, run.italic = bold or None, italic or None
        if size:
            run.font.size = Pt(size)
        if color:
            run.font.color.rgb = RGBColor.from_string(color)
    p.paragraph_format.space_after = Pt(after)
    return p


def _shade(cell, fill: str) -> None:
    props = cell._tc.get_or_add_tcPr()  # noqa: SLF001 - python-docx has no shading API
    props.append(parse_xml(f'<w:shd xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
                           f'w:val="clear" w:color="auto" w:fill="{fill}"/>'))


def _no_borders(table) -> None:
    borders = "".join(f'<w:{side} w:val="nil"/>' for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    table._tbl.tblPr.append(parse_xml(  # noqa: SLF001
        f'<w:tblBorders xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">{borders}</w:tblBorders>'
    ))


def _heading(container, text: str, *, upper: bool = True, color: str = "1F3864"):
    return _para(container, text.upper() if upper else text, bold=True, size=12, color=color, after=4)


def _skills_table(container, skills: list[str], columns: int = 3) -> None:
    rows = -(-len(skills) // columns)
    table = container.add_table(rows=rows, cols=columns)
    _no_borders(table)
    for i, skill in enumerate(skills):
        table.cell(i // columns, i % columns).text = f"• {skill}"


# ---------------------------------------------------------------- DOCX layouts


def docx_sidebar_table(person, language: str) -> docx.document.Document:
    """Name on top, then one two-cell table: a shaded sidebar cell (contact, skills, languages) and
    the main cell (profile, experience, education): the commonest Word "modern" CV template."""
    h, basics, style = HEADINGS[language], person.resume["basics"], DATE_STYLE["sidebar-table"]
    document = _new_document()
    _para(document, basics["name"], bold=True, size=24, color="1F3864", after=0)
    _para(document, basics["label"], size=13, color="595959", after=8)
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _no_borders(table)
    side, main = table.cell(0, 0), table.cell(0, 1)
    side.width, main.width = Inches(2.3), Inches(4.6)
    _shade(side, "E8EEF4")
    side.paragraphs[0].text = ""
    _heading(side, h["contact"])
    for value in (basics["email"], basics["phone"], _location(person), basics["profiles"][0]["url"]):
        _para(side, value, size=9)
    _heading(side, h["skills"])
    for skill in person.truth["skills"]:
        _para(side, skill, size=9)
    _heading(side, h["languages"])
    for line in _language_lines(person):
        _para(side, line, size=9)
    main.paragraphs[0].text = ""
    _heading(main, h["profile"])
    _para(main, basics["summary"], after=6)
    _heading(main, h["experience"])
    for job, highlight in zip(person.truth["experience"], _highlights(person), strict=True):
        _para(main, job["title"], bold=True, size=11, after=0)
        _para(main, f"{job['company']} | {basics['location']['city']}", after=0)
        _para(main, _span(job, language, style), italic=True, color="595959", after=0)
        _para(main, highlight, style="List Bullet", after=6)
    _heading(main, h["education"])
    for school in person.truth["education"]:
        _para(main, f"{school['degree']}, {school['field']}", bold=True, after=0)
        _para(main, school["institution"], after=0)
        _para(main, str(school["end_year"]), italic=True, color="595959", after=6)
    return document


def docx_header(person, language: str) -> docx.document.Document:
    """Name, headline and contact line in the page header; Heading 1 sections; "Company — City"
    above "Title <tab> dates" (right tab stop); skills in a borderless three-column table."""
    h, basics, style = HEADINGS[language], person.resume["basics"], DATE_STYLE["header"]
    document = _new_document()
    section = document.sections[0]
    section.header_distance = Inches(0.3)
    header = section.header
    top = header.paragraphs[0]
    run = top.add_run(basics["name"])
    run.bold, run.font.size = True, Pt(20)
    _para(header, basics["label"], size=12, color="404040", after=0)
    _para(header, "  ·  ".join((basics["email"], basics["phone"], _location(person),
                               basics["profiles"][0]["url"])), size=9, after=0)
    section.top_margin = Inches(1.5)
    width = section.page_width - section.left_margin - section.right_margin
    _para(document, h["profile"], style="Heading 1")
    _para(document, basics["summary"], after=6)
    _para(document, h["experience"], style="Heading 1")
    for job, highlight in zip(person.truth["experience"], _highlights(person), strict=True):
        _para(document, f"{job['company']} — {basics['location']['city']}", bold=True, after=0)
        line = _para(document, after=0)
        line.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
        line.add_run(job["title"]).italic = True
        line.add_run("\t" + _span(job, language, style))
        _para(document, highlight, style="List Bullet", after=6)
    _para(document, h["education"], style="Heading 1")
    for school in person.truth["education"]:
        _para(document, school["institution"], bold=True, after=0)
        line = _para(document, after=6)
        line.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
        line.add_run(f"{school['degree']} in {school['field']}\t{school['end_year']}")
    _para(document, h["skills"], style="Heading 1")
    _skills_table(document, person.truth["skills"])
    _para(document, h["languages"], style="Heading 1")
    _para(document, ", ".join(f"{i['language']} ({i['fluency']})" for i in person.resume["languages"]))
    return document


def _box_paragraph(text: str, *, bold: bool = False, size: float = 9, color: str = "FFFFFF") -> str:
    props = '<w:b/>' if bold else ""
    return (f'<w:p><w:pPr><w:spacing w:after="60"/></w:pPr><w:r><w:rPr>{props}<w:color w:val="{color}"/>'
            f'<w:sz w:val="{int(size * 2)}"/></w:rPr><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>')


def _text_box(paragraphs: str, *, x: int, y: int, cx: int, cy: int) -> str:
    """A floating text box as Word writes it: a DrawingML shape, with a VML copy as fallback."""
    return f"""<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"
 xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"
 xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
 xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"
 xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
 xmlns:v="urn:schemas-microsoft-com:vml"><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>
<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="251659264" behindDoc="0"
 locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>
<wp:positionH relativeFrom="page"><wp:posOffset>{x}</wp:posOffset></wp:positionH>
<wp:positionV relativeFrom="page"><wp:posOffset>{y}</wp:posOffset></wp:positionV>
<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/>
<wp:docPr id="1" name="Sidebar"/><wp:cNvGraphicFramePr/>
<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">
<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>
<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:solidFill><a:srgbClr val="2E4057"/></a:solidFill></wps:spPr>
<wps:txbx><w:txbxContent>{paragraphs}</w:txbxContent></wps:txbx>
<wps:bodyPr rot="0" vert="horz" wrap="square" lIns="137160" tIns="137160" rIns="91440" bIns="91440" anchor="t">
<a:noAutofit/></wps:bodyPr></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>
<mc:Fallback><w:pict><v:shape id="Sidebar" type="#_x0000_t202" style="position:absolute;margin-left:{x / 12700}pt;
margin-top:{y / 12700}pt;width:{cx / 12700}pt;height:{cy / 12700}pt;mso-position-horizontal-relative:page;
mso-position-vertical-relative:page" fillcolor="#2e4057" stroked="f"><v:textbox><w:txbxContent>{paragraphs}
</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>"""


def docx_textbox(person, language: str) -> docx.document.Document:
    """A dark sidebar in a floating text box at the page's left edge (contact, skills, languages);
    the body, indented past it, holds name, headline, profile, "COMPANY" over "Title | dates"."""
    h, basics, style = HEADINGS[language], person.resume["basics"], DATE_STYLE["textbox"]
    document = _new_document()
    section = document.sections[0]
    section.left_margin = Inches(3.0)
    box = [_box_paragraph(h["contact"].upper(), bold=True, size=11)]
    box += [_box_paragraph(v) for v in (basics["email"], basics["phone"], _location(person),
                                         basics["profiles"][0]["url"])]
    box += [_box_paragraph(""), _box_paragraph(h["skills"].upper(), bold=True, size=11)]
    box += [_box_paragraph(skill) for skill in person.truth["skills"]]
    box += [_box_paragraph(""), _box_paragraph(h["languages"].upper(), bold=True, size=11)]
    box += [_box_paragraph(line) for line in _language_lines(person)]
    emu = 914400
    first = _para(document, basics["name"], bold=True, size=22, after=0)
    first._p.append(parse_xml(_text_box("".join(box), x=int(0.35 * emu), y=int(0.35 * emu),  # noqa: SLF001
                                        cx=int(2.35 * emu), cy=int(11.0 * emu))))
    _para(document, basics["label"], size=13, color="2E4057", after=10)
    _heading(document, h["profile"], color="2E4057")
    _para(document, basics["summary"], after=8)
    _heading(document, h["experience"], color="2E4057")
    for job, highlight in zip(person.truth["experience"], _highlights(person), strict=True):
        _para(document, job["company"].upper(), bold=True, after=0)
        _para(document, f"{job['title']} | {_span(job, language, style)}", italic=True, after=0)
        _para(document, highlight, style="List Bullet", after=6)
    _heading(document, h["education"], color="2E4057")
    for school in person.truth["education"]:
        _para(document, school["institution"].upper(), bold=True, after=0)
        _para(document, f"{school['degree']}, {school['field']} | {school['end_year']}", after=6)
    return document


def docx_dates_table(person, language: str) -> docx.document.Document:
    """Classic résumé template: name as Title, contact line, and each section a two-column table
    with the dates in a narrow left column and the entry on the right; skills in a table."""
    h, basics, style = HEADINGS[language], person.resume["basics"], DATE_STYLE["dates-table"]
    document = _new_document()
    _para(document, basics["name"], style="Title", after=0)
    _para(document, basics["label"], size=12, after=2)
    _para(document, " | ".join((_location(person), basics["phone"], basics["email"])), size=9, after=0)
    _para(document, basics["profiles"][0]["url"], size=9, after=8)
    _para(document, h["profile"], style="Heading 1")
    _para(document, basics["summary"])

    def dated_table(rows: list[tuple[str, list[tuple[str, bool]]]]) -> None:
        table = document.add_table(rows=len(rows), cols=2)
        table.autofit = False
        _no_borders(table)
        table.columns[0].width, table.columns[1].width = Inches(1.5), Inches(5.3)
        for i, (when, lines) in enumerate(rows):
            left, right = table.cell(i, 0), table.cell(i, 1)
            left.width, right.width = Inches(1.5), Inches(5.3)
            left.paragraphs[0].add_run(when).bold = True
            right.paragraphs[0].add_run(lines[0][0]).bold = lines[0][1]
            for text, bold in lines[1:]:
                _para(right, text, bold=bold, after=0)

    _para(document, h["experience"], style="Heading 1")
    dated_table([(_span(job, language, style),
                  [(job["title"], True), (f"{job['company']}, {basics['location']['city']}", False),
                   (highlight, False)])
                 for job, highlight in zip(person.truth["experience"], _highlights(person), strict=True)])
    _para(document, h["education"], style="Heading 1")
    dated_table([(str(s["end_year"]), [(f"{s['degree']} – {s['field']}", True), (s["institution"], False)])
                 for s in person.truth["education"]])
    _para(document, h["skills"], style="Heading 1")
    _skills_table(document, person.truth["skills"], columns=2)
    _para(document, h["languages"], style="Heading 1")
    for line in _language_lines(person):
        _para(document, line, after=0)
    return document


BUILDERS = {
    "sidebar-table": docx_sidebar_table,
    "header": docx_header,
    "textbox": docx_textbox,
    "dates-table": docx_dates_table,
}
assert set(BUILDERS) == set(LAYOUTS)


# ---------------------------------------------------------------- LinkedIn-style page

LI_LABELS = {
    "en": {"contact": "Contact", "top": "Top Skills", "languages": "Languages", "certs": "Certifications",
           "summary": "Summary", "experience": "Experience", "education": "Education", "present": "Present",
           "years": ("year", "years"), "months": ("month", "months"), "page": "Page {n} of {total}"},
    "es": {"contact": "Contactar", "top": "Aptitudes principales", "languages": "Idiomas",
           "certs": "Certifications", "summary": "Extracto", "experience": "Experiencia",
           "education": "Educación", "present": "actualidad", "years": ("año", "años"),
           "months": ("mes", "meses"), "page": "Page {n} of {total}"},
    "fr": {"contact": "Coordonnées", "top": "Principales compétences", "languages": "Langues",
           "certs": "Certifications", "summary": "Résumé", "experience": "Expérience",
           "education": "Formation", "present": "aujourd’hui", "years": ("an", "ans"),
           "months": ("mois", "mois"), "page": "Page {n} of {total}"},
}
LI_FLUENCY = {
    "en": ["Native or Bilingual", "Full Professional", "Limited Working", "Elementary"],
    "es": ["Nativo o bilingüe", "Competencia profesional completa", "Competencia básica limitada", "Competencia básica"],
    "fr": ["Bilingue ou langue natale", "Capacité professionnelle complète", "Capacité professionnelle limitée",
           "Notions"],
}
LI_CERTS = {
    "data": ["Tableau Desktop Specialist", "Google Data Analytics Certificate"],
    "marketing": ["Google Ads Search Certification", "HubSpot Inbound Marketing"],
    "engineering": ["PRINCE2 Foundation", "Autodesk Certified Professional: Revit"],
    "software": ["AWS Certified Cloud Practitioner", "Certified Kubernetes Application Developer"],
}
TOP_SKILLS = 3  # LinkedIn prints three "Top Skills"; only those are on the page, so only those are truth.


def _li_duration(job: dict, labels: dict) -> str:
    start = tuple(map(int, job["start"].split("-")))
    end = tuple(map(int, job["end"].split("-"))) if job["end"] else jr.CUTOFF
    months = jr._months(start, end) + 1  # LinkedIn counts both end months  # noqa: SLF001
    years, months = divmod(months, 12)
    parts = []
    if years:
        parts.append(f"{years} {labels['years'][years > 1]}")
    if months:
        parts.append(f"{months} {labels['months'][months > 1]}")
    return " ".join(parts)


def linkedin_html(person, language: str, index: int) -> tuple[str, list[str], list[str]]:
    """The page's HTML, the skills it prints and the certifications it prints."""
    labels, basics = LI_LABELS[language], person.resume["basics"]
    profession = list(jr.PROFESSIONS)[index % len(jr.PROFESSIONS)]
    certs = LI_CERTS[profession][: 1 + index % 2]
    skills = person.truth["skills"][:TOP_SKILLS]
    city = basics["location"]["city"]
    region = basics["location"].get("region")
    country = {"GB": "United Kingdom", "US": "United States", "CA": "Canada", "ES": "España", "MX": "México",
               "FR": "France", "CH": "Suisse"}[basics["location"]["countryCode"]]
    place = ", ".join(p for p in (city, region, country) if p)
    handle = basics["profiles"][0]["username"]
    e = html.escape

    def month(value: str | None) -> str:
        if value is None:
            return labels["present"]
        name = MONTHS[language][int(value[5:7]) - 1]
        return f"{name.capitalize() if language == 'en' else name}{' de' if language == 'es' else ''} {value[:4]}"

    side = [f"<h2>{e(labels['contact'])}</h2>", f"<p>{e(basics['phone'])} (Mobile)</p>",
            f"<p><a href='mailto:{e(basics['email'])}'>{e(basics['email'])}</a></p>",
            f"<p><a href='{e(basics['profiles'][0]['url'])}'>www.linkedin.com/in/{e(handle)}</a> (LinkedIn)</p>",
            f"<h2>{e(labels['top'])}</h2>", *(f"<p>{e(s)}</p>" for s in skills),
            f"<h2>{e(labels['languages'])}</h2>"]
    for n, item in enumerate(person.resume["languages"]):
        side.append(f"<p>{e(item['language'])} ({e(LI_FLUENCY[language][min(n, 3)])})</p>")
    side += [f"<h2>{e(labels['certs'])}</h2>", *(f"<p>{e(c)}</p>" for c in certs)]
    main = [f"<h1>{e(basics['name'])}</h1>", f"<p class='headline'>{e(basics['label'])}</p>",
            f"<p class='place'>{e(place)}</p>", f"<h2>{e(labels['summary'])}</h2>",
            f"<p>{e(basics['summary'])}</p>", f"<h2>{e(labels['experience'])}</h2>"]
    for job, highlight in zip(person.truth["experience"], _highlights(person), strict=True):
        main += [f"<h3>{e(job['company'])}</h3>", f"<p class='title'>{e(job['title'])}</p>",
                 f"<p class='muted'>{e(month(job['start']))} - {e(month(job['end']))} "
                 f"({e(_li_duration(job, labels))})</p>", f"<p class='muted'>{e(place)}</p>",
                 f"<p>{e(highlight)}</p>"]
    main.append(f"<h2>{e(labels['education'])}</h2>")
    for school in person.truth["education"]:
        main += [f"<h3>{e(school['institution'])}</h3>",
                 f"<p class='degree'>{e(school['degree'])}, {e(school['field'])} · "
                 f"({school['end_year'] - 2} - {school['end_year']})</p>"]
    page = labels["page"].replace("{n}", '" counter(page) "').replace("{total}", '" counter(pages) "')
    document = f"""<!doctype html><html lang="{language}"><head><meta charset="utf-8"><style>
@page {{ size: Letter; margin: 0.5in 0.45in 0.6in 0.45in;
  @bottom-center {{ content: "{page}"; font: 9pt Arial, sans-serif; color: #888; }} }}
body {{ font-family: Arial, 'Liberation Sans', sans-serif; margin: 0; color: #000; }}
.page {{ display: flex; }}
.side {{ width: 30%; background: #e6e8ea; padding: 18px 14px; box-sizing: border-box; font-size: 10.5pt; }}
.side h2 {{ font-size: 13pt; font-weight: normal; margin: 14px 0 6px; }}
.side p {{ margin: 0 0 6px; }}
.side a {{ color: #000; text-decoration: none; }}
.main {{ width: 70%; padding: 18px 26px; box-sizing: border-box; font-size: 11pt; }}
.main h1 {{ font-size: 26pt; font-weight: normal; margin: 0 0 6px; }}
.main h2 {{ font-size: 16pt; font-weight: normal; margin: 20px 0 8px; }}
.main h3 {{ font-size: 12pt; font-weight: normal; margin: 14px 0 2px; }}
.main p {{ margin: 0 0 3px; }}
.headline {{ font-size: 12pt; }} .place, .muted {{ color: #b0b0b0; }}
</style></head><body><div class="page"><div class="side">{''.join(side)}</div>
<div class="main">{''.join(main)}</div></div></body></html>"""
    return document, skills, certs


# ---------------------------------------------------------------- build


def _tool(*names: str) -> str:
    for name in names:
        if found := shutil.which(name):
            return found
    raise SystemExit(f"none of {names} found (see this script's docstring)")


def export_pdfs(docx_paths: list[Path], out: Path) -> None:
    """DOCX → PDF with LibreOffice headless, all in one run (its start-up dominates)."""
    soffice = _tool("soffice", "libreoffice")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([soffice, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless",
                        "--convert-to", "pdf", "--outdir", str(out), *map(str, docx_paths)],
                       check=True, timeout=900, capture_output=True)


def print_html(page: str, pdf: Path, browser: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "profile.html"
        source.write_text(page, encoding="utf-8")
        subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                        f"--user-data-dir={tmp}/profile", f"--print-to-pdf={pdf}", source.as_uri()],
                       check=True, timeout=120, capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=9)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--layouts", nargs="*", default=[*LAYOUTS, "linkedin"])
    parser.add_argument("--out", type=Path, default=DOCUMENTS,
                        help="output folder (a fresh seed in a temporary folder checks that fixes generalise)")
    args = parser.parse_args()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    for old in [*out.glob("dx*"), *out.glob("li*")]:
        old.unlink()
    persons = jr.people(args.people, args.seed)
    written: list[tuple[Path, dict]] = []
    docx_paths: list[Path] = []
    for index, person in enumerate(persons):
        number, language = person.key[2:4], person.language
        for layout in (name for name in args.layouts if name in LAYOUTS):
            path = out / f"dx{number}_{language}_{layout}.docx"
            BUILDERS[layout](person, language).save(str(path))
            docx_paths.append(path)
            base = {"file": path.name, "format": "docx", "layout": LAYOUTS[layout], "family": f"docx-{layout}",
                    **person.truth}
            written.append((path, base))
            pdf = path.with_suffix(".pdf")
            written.append((pdf, {**base, "file": pdf.name, "format": "pdf", "family": f"docx-{layout}-pdf"}))
        if "linkedin" in args.layouts:
            page, skills, certs = linkedin_html(person, language, index)
            pdf = out / f"li{number}_{language}_linkedin.pdf"
            print_html(page, pdf, _tool("chromium", "chromium-browser", "google-chrome"))
            written.append((pdf, {"file": pdf.name, "format": "pdf", "layout": "two-column",
                                  "family": "linkedin-style", **person.truth, "skills": skills,
                                  "certifications": certs}))
    if docx_paths:
        export_pdfs(docx_paths, out)
    for path, truth in written:
        # A DOCX shows what its LibreOffice PDF shows: the check reads the PDF twin.
        jr.write_truth(path, truth, shown_in=path.with_suffix(".pdf"))
        print(path)


if __name__ == "__main__":
    main()
