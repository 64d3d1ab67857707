"""Fonts for the renderers: a Latin family per template plus a TrueType CJK fallback.

ReportLab embeds TrueType outlines only; the Noto CJK fonts installed with the OCR stack
are CFF-based (.ttc with PostScript outlines), which it cannot embed. WenQuanYi Micro Hei
(Debian ``fonts-wqy-microhei``) is TrueType, covers Chinese, Japanese kana and Korean
Hangul, and gets subset-embedded, so a reader needs no Asian font pack. The other
candidates are there so a machine with only one of the usual packages still renders.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path("/usr/share/fonts/truetype")
CJK_CANDIDATES = [FONT_DIR / "wqy/wqy-microhei.ttc", FONT_DIR / "wqy/wqy-zenhei.ttc", FONT_DIR / "arphic/uming.ttc"]
# family → candidates of (regular, bold, italic, name Word is asked for), first installed wins
LATIN_CANDIDATES = {
    "sans": [("liberation/LiberationSans-Regular.ttf", "liberation/LiberationSans-Bold.ttf",
              "liberation/LiberationSans-Italic.ttf", "Liberation Sans"),
             ("dejavu/DejaVuSans.ttf", "dejavu/DejaVuSans-Bold.ttf", "dejavu/DejaVuSans-Oblique.ttf", "DejaVu Sans")],
    "serif": [("liberation/LiberationSerif-Regular.ttf", "liberation/LiberationSerif-Bold.ttf",
               "liberation/LiberationSerif-Italic.ttf", "Liberation Serif"),
              ("dejavu/DejaVuSerif.ttf", "dejavu/DejaVuSerif-Bold.ttf", "dejavu/DejaVuSerif-Italic.ttf", "DejaVu Serif")],
}
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
    configured = [Path(settings.DOCUMENTS_CJK_FONT_PATH)] if settings.DOCUMENTS_CJK_FONT_PATH else CJK_CANDIDATES
    path = next((path for path in configured if path.exists()), None)
    if path is None:
        raise ImproperlyConfigured(f"No TrueType CJK font at {', '.join(map(str, configured))}: install fonts-wqy-microhei.")
    return TTFont(CJK_FONT, str(path), subfontIndex=0)


@functools.cache
def font_set(family: str) -> FontSet:
    """Register the family's faces with ReportLab once per process."""
    if CJK_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(_cjk_font())
    if family == "cjk":
        covers = frozenset(pdfmetrics.getFont(CJK_FONT).face.charToGlyph)
        return FontSet(CJK_FONT, CJK_FONT, CJK_FONT, DOCX_CJK_FONT, covers)
    candidates = LATIN_CANDIDATES["serif" if family == "serif" else "sans"]
    *files, docx_name = next((c for c in candidates if all((FONT_DIR / f).exists() for f in c[:3])), candidates[-1])
    faces = []
    for style, file in zip(("Regular", "Bold", "Italic"), files, strict=True):
        name = f"CV-{family}-{style}"
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / file)))
        faces.append(name)
    covers = frozenset(pdfmetrics.getFont(faces[0]).face.charToGlyph)
    regular, bold, italic = faces
    return FontSet(regular, bold, italic, docx_name, covers)


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
