"""Reading rendered documents back: PDF text and fonts with PyMuPDF, DOCX text with python-docx."""

from __future__ import annotations

import io
import re

import docx
import pymupdf
from reportlab.pdfbase import pdfmetrics


def squash(text: str) -> str:
    """Whitespace-free text: line wrapping (CJK wraps between any two characters) must not matter."""
    return re.sub(r"\s+", "", text)


def pdf_text(pdf: bytes) -> str:
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        return "\n".join(page.get_text() for page in doc)


def pdf_pages(pdf: bytes) -> list[str]:
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        return [page.get_text() for page in doc]


def pdf_glyph_problems(pdf: bytes) -> list[str]:
    """Characters drawn with a font that has no glyph for them (they would print as tofu), or with a non-embedded font."""
    problems = []
    registered = {}
    for name in pdfmetrics.getRegisteredFontNames():
        font = pdfmetrics.getFont(name)
        face_name = getattr(font.face, "name", b"")
        registered[name] = registered[face_name.decode() if isinstance(face_name, bytes) else face_name] = font
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        for page in doc:
            for _xref, ext, _type, basefont, *_ in page.get_fonts(full=True):
                if ext == "n/a":
                    problems.append(f"font {basefont} is not embedded")
            for block in page.get_text("rawdict")["blocks"]:
                for line in block.get("lines", []):
                    for span in line["spans"]:
                        # ReportLab names subsets "AAAAAA+<registered name>"; the registered TTFont knows its cmap.
                        base = span["font"].split("+")[-1]
                        # ReportLab splits big fonts into 256-glyph subsets named "<font>-<n>".
                        face = registered.get(base) or registered.get(re.sub(r"-\d+$", "", base))
                        if face is None:
                            problems.append(f"unknown font {span['font']}")
                            continue
                        for char in span["chars"]:
                            code = ord(char["c"])
                            if char["c"] in "\x00\ufffd":  # glyph 0 (.notdef) has no Unicode mapping
                                problems.append(f".notdef drawn in {span['font']}")
                            elif not char["c"].isspace() and code not in face.face.charToGlyph:
                                problems.append(f"{char['c']!r} has no glyph in {span['font']}")
    return problems


def docx_text(body: bytes) -> str:
    document = docx.Document(io.BytesIO(body))
    parts = [p.text for p in document.paragraphs]
    for section in document.sections:
        for part in (section.first_page_header, section.header):
            parts += [p.text for p in part.paragraphs]
    return "\n".join(parts)


def data_strings(data: dict) -> list[str]:
    """Every printable field of a cv-data dict."""
    contact = data["contact_info"]
    strings = [contact.get(key) for key in ("name", "email", "phone", "location", "linkedin", "website", "github")]
    strings += [data.get("headline"), data.get("summary")]
    for job in data["experience"]:
        strings += [job.get("title"), job.get("company"), job.get("start_date"), job.get("end_date"), *job.get("tasks", []),
                    *job.get("tech_tools", [])]
    for school in data["education"]:
        strings += [school.get("institution"), school.get("degree"), school.get("field_of_study"), str(school.get("graduation_year") or "")]
    strings += list(data["skills"])
    strings += [item["language"] for item in data.get("languages", [])]
    strings += [cert["name"] for cert in data.get("certifications", [])]
    for project in data.get("projects", []):
        strings += [project.get("name"), project.get("role"), project.get("description")]
    return [s for s in strings if s]
