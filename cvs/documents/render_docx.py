"""python-docx rendering: the editable twin of the PDF, as flow text with real Word styles.

benchmarks/compare_docx.py measured this against converting the PDF with pdf2docx (see
docs/documents.md): the conversion yields absolutely laid-out text that is hard to edit.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Inches, Mm, Pt, RGBColor
from docx.styles.style import ParagraphStyle
from docx.text.paragraph import Paragraph

from cvs.documents.content import DocumentContent, Entry, Section
from cvs.documents.fonts import DOCX_CJK_FONT, font_set
from cvs.documents.render_pdf import Branding

GREY = RGBColor(0x5F, 0x6B, 0x7A)
INK = RGBColor(0x1E, 0x23, 0x29)
WHITE = RGBColor(0xFF, 0xFF, 0xFF)
TEXT_WIDTH = Mm(210 - 2 * 18)


def _rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#").upper())


def _set_fonts(style: ParagraphStyle, latin: str) -> None:
    style.font.name = latin
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), DOCX_CJK_FONT)


def _border_below(paragraph_format_element: BaseOxmlElement, hex_colour: str) -> None:
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in {"w:val": "single", "w:sz": "8", "w:space": "2", "w:color": hex_colour.lstrip("#")}.items():
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph_format_element.append(borders)


def _shade(paragraph: Paragraph, hex_colour: str) -> None:
    shading = OxmlElement("w:shd")
    for key, value in {"w:val": "clear", "w:color": "auto", "w:fill": hex_colour.lstrip("#")}.items():
        shading.set(qn(key), value)
    paragraph._p.get_or_add_pPr().append(shading)


def _field(paragraph: Paragraph, instruction: str) -> None:
    """A PAGE or NUMPAGES field, which Word fills in."""
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText" if text == instruction else "w:t")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


class _DocxRenderer:
    def __init__(self, content: DocumentContent, branding: Branding):
        self.content = content
        self.branding = branding
        self.primary = _rgb(branding.primary_colour)
        self.doc = Document()
        self._styles(font_set(branding.font).docx_name)

    def _styles(self, latin: str) -> None:
        styles = self.doc.styles
        normal = styles["Normal"]
        _set_fonts(normal, latin)
        normal.font.size = Pt(9.5)
        normal.font.color.rgb = INK
        normal.paragraph_format.space_after = Pt(2)
        normal.paragraph_format.widow_control = True
        title = styles["Title"]
        _set_fonts(title, latin)
        title.font.size, title.font.bold, title.font.color.rgb = Pt(22), True, self.primary
        title.paragraph_format.space_before, title.paragraph_format.space_after = Pt(10), Pt(0)
        title.element.get_or_add_pPr().remove_all("w:pBdr")
        subtitle = styles["Subtitle"]
        _set_fonts(subtitle, latin)
        subtitle.font.size, subtitle.font.italic, subtitle.font.color.rgb = Pt(12), False, INK
        subtitle.paragraph_format.space_after = Pt(2)
        for style in (title, subtitle):  # the built-in ones are letter-spaced, which reads as a different font
            style.element.get_or_add_rPr().remove_all("w:spacing")
        heading = styles["Heading 1"]
        _set_fonts(heading, latin)
        heading.font.size, heading.font.bold, heading.font.color.rgb = Pt(12), True, self.primary
        heading.paragraph_format.space_before, heading.paragraph_format.space_after = Pt(12), Pt(5)
        heading.paragraph_format.keep_with_next = True
        _border_below(heading.element.get_or_add_pPr(), self.branding.accent_colour)
        entry = styles["Heading 2"]
        _set_fonts(entry, latin)
        entry.font.size, entry.font.bold, entry.font.color.rgb = Pt(10.5), True, INK
        entry.paragraph_format.space_before, entry.paragraph_format.space_after = Pt(6), Pt(0)
        entry.paragraph_format.keep_with_next = True
        entry.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)
        for name, size, colour, italic in (("CV Organisation", 9.5, self.primary, self.content.language != "zh"),
                                           ("CV Detail", 8.5, GREY, False)):
            style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = normal
            style.font.size, style.font.color.rgb, style.font.italic = Pt(size), colour, italic
        styles["CV Organisation"].paragraph_format.keep_with_next = True
        _set_fonts(styles["List Bullet"], latin)

    def _page_furniture(self) -> None:
        section = self.doc.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(18)
        section.top_margin, section.bottom_margin = Mm(16), Mm(18)
        section.different_first_page_header_footer = True
        banner = section.first_page_header.paragraphs[0]
        _shade(banner, self.branding.primary_colour)
        # The Header style's centre and right stops (3.25", 6.5") would catch the tab before ours.
        for position in (Inches(3.25), Inches(6.5)):
            banner.paragraph_format.tab_stops.add_tab_stop(position, WD_TAB_ALIGNMENT.CLEAR)
        banner.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)
        banner.paragraph_format.space_before = Pt(4)
        if self.branding.logo:
            banner.add_run().add_picture(io.BytesIO(self.branding.logo), height=Mm(14))
        firm = banner.add_run(f"\t{self.branding.firm_name}")
        firm.bold, firm.font.size, firm.font.color.rgb = True, Pt(14), WHITE
        if self.branding.contact_line:
            line = section.first_page_header.add_paragraph(self.branding.contact_line)
            line.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _shade(line, self.branding.primary_colour)
            line.runs[0].font.size, line.runs[0].font.color.rgb = Pt(8.5), WHITE
        later = section.header.paragraphs[0]
        later.text = " · ".join(filter(None, [self.branding.firm_name, self.content.name]))
        later.style = self.doc.styles["CV Detail"]
        for footer in (section.first_page_footer, section.footer):
            paragraph = footer.paragraphs[0]
            paragraph.style = self.doc.styles["CV Detail"]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            before, _, rest = self.content.labels["page"].partition("{page}")
            middle, _, after = rest.partition("{pages}")
            paragraph.add_run(before)
            _field(paragraph, "PAGE")
            paragraph.add_run(middle)
            _field(paragraph, "NUMPAGES")
            paragraph.add_run(after)

    def render(self, photo: bytes | None) -> bytes:
        self._page_furniture()
        doc = self.doc
        name = doc.add_paragraph(self.content.name, style="Title")
        if photo:
            name.add_run("\t").add_picture(io.BytesIO(photo), height=Mm(30))
            name.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)
        if self.content.title_line:
            doc.add_paragraph(self.content.title_line, style="Subtitle")
        if self.content.contact:
            doc.add_paragraph("   ·   ".join(self.content.contact), style="CV Detail")
        for section in self.content.sections:
            self._section(section)
        buffer = io.BytesIO()
        doc.save(buffer)
        return buffer.getvalue()

    def _section(self, section: Section) -> None:
        doc = self.doc
        doc.add_paragraph(section.title, style="Heading 1")
        if section.text:
            doc.add_paragraph(section.text).alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        for category, skills in section.groups:
            paragraph = doc.add_paragraph()
            if category:
                paragraph.add_run(f"{category}: ").bold = True
            paragraph.add_run(" · ".join(skills))
        if section.key == "languages":
            doc.add_paragraph("   ·   ".join(f"{e.title} ({e.subtitle})" if e.subtitle else e.title for e in section.entries))
            return
        for entry in section.entries:
            self._entry(entry)

    def _entry(self, entry: Entry) -> None:
        doc = self.doc
        heading = doc.add_paragraph(entry.title or entry.subtitle, style="Heading 2")
        if entry.period:
            period = heading.add_run(f"\t{entry.period}")
            period.bold, period.font.size, period.font.color.rgb = False, Pt(9), GREY
        if entry.title and entry.subtitle:
            doc.add_paragraph(entry.subtitle, style="CV Organisation")
        if entry.text:
            doc.add_paragraph(entry.text)
        for task in entry.bullets:
            doc.add_paragraph(task, style="List Bullet")
        if entry.tools:
            tools = doc.add_paragraph(style="CV Detail")
            tools.add_run(f"{self.content.labels['tools']}: ").bold = True
            tools.add_run(", ".join(entry.tools))


def render_docx(content: DocumentContent, branding: Branding, *, photo: bytes | None = None) -> bytes:
    return _DocxRenderer(content, branding).render(photo)

