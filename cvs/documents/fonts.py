"""Fonts for the renderers: a Latin family per template plus a TrueType CJK fallback.

ReportLab embeds TrueType outlines only; the Noto CJK fonts installed with the OCR stack
are CFF-based (.ttc with PostScript outlines), which it cannot embed. WenQuanYi Micro Hei
(Debian ``fonts-wqy-microhei``) is TrueType, covers Chinese, Japanese kana and Korean
Hangul, and gets subset-embedded, so a reader needs no Asian font pack.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.conf import settings
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

LIBERATION = "/usr/share/fonts/truetype/liberation"
CJK_FONT = "CVCJK"
# The name Word shows for East Asian text in the DOCX; Word substitutes when it is missing.
DOCX_CJK_FONT = "Microsoft YaHei"


@dataclass(frozen=True)
class FontSet:
    regular: str
    bold: str
    italic: str
    docx_name: str  # what the DOCX asks Word for
    covers: frozenset[int]  # code points the regular face draws; the rest go to the CJK font


def _cjk_font() -> TTFont:
    return TTFont(CJK_FONT, settings.DOCUMENTS_CJK_FONT_PATH, subfontIndex=0)


@functools.cache
def font_set(family: str) -> FontSet:
    """Register the family's faces with ReportLab once per process."""
    if CJK_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(_cjk_font())
    if family == "cjk":
        covers = frozenset(pdfmetrics.getFont(CJK_FONT).face.charToGlyph)
        return FontSet(CJK_FONT, CJK_FONT, CJK_FONT, DOCX_CJK_FONT, covers)
    stem, docx_name = ("LiberationSerif", "Liberation Serif") if family == "serif" else ("LiberationSans", "Liberation Sans")
    faces = {}
    for style in ("Regular", "Bold", "Italic"):
        name = f"CV-{stem}-{style}"
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, f"{LIBERATION}/{stem}-{style}.ttf"))
        faces[style] = name
    covers = frozenset(pdfmetrics.getFont(faces["Regular"]).face.charToGlyph)
    return FontSet(faces["Regular"], faces["Bold"], faces["Italic"], docx_name, covers)


def markup(text: str, fonts: FontSet) -> str:
    """Escape ``text`` for a Paragraph, switching to the CJK font for runs the Latin face lacks."""
    out: list[str] = []
    run: list[str] = []
    run_is_cjk = False
    for char in text:
        is_cjk = ord(char) not in fonts.covers and not char.isspace()
        if is_cjk != run_is_cjk and run:
            out.append(_run("".join(run), run_is_cjk))
            run = []
        run_is_cjk = is_cjk
        run.append(char)
    if run:
        out.append(_run("".join(run), run_is_cjk))
    return "".join(out)


def _run(text: str, cjk: bool) -> str:
    return f'<font name="{CJK_FONT}">{escape(text)}</font>' if cjk else escape(text)
