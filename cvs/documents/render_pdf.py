"""ReportLab rendering of a ``DocumentContent`` with a tenant's template."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_JUSTIFY, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    HRFlowable,
    Image,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from cvs.documents.content import DocumentContent, Entry, Section
from cvs.documents.fonts import CJK_FONT, FontSet, font_set, markup

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 18 * mm
BAND_HEIGHT = 30 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
GREY = colors.HexColor("#5F6B7A")
INK = colors.HexColor("#1E2329")


@dataclass
class Branding:
    """The template's look, as the renderers need it (a template row or the built-in default)."""

    firm_name: str = ""
    contact_line: str = ""
    logo: bytes | None = None
    primary_colour: str = "#1F3A5F"
    accent_colour: str = "#C8A24A"
    font: str = "sans"


class _Styles:
    def __init__(self, fonts: FontSet, branding: Branding, language: str):
        primary, self.accent = colors.HexColor(branding.primary_colour), colors.HexColor(branding.accent_colour)
        self.primary = primary
        # CJK text has no spaces to break at; Latin text must not break inside words.
        wrap = {"wordWrap": "CJK"} if language == "zh" else {}
        base = {"fontName": fonts.regular, "textColor": INK, "allowWidows": 0, "allowOrphans": 0, **wrap}
        self.body = ParagraphStyle("body", fontSize=9.5, leading=13.5, **base)
        self.summary = ParagraphStyle("summary", parent=self.body, alignment=TA_JUSTIFY if language != "zh" else 0)
        self.name = ParagraphStyle("name", parent=self.body, fontName=fonts.bold, fontSize=22, leading=27, textColor=primary)
        self.title = ParagraphStyle("title", parent=self.body, fontSize=12, leading=16, textColor=INK, spaceBefore=2)
        self.contact = ParagraphStyle("contact", parent=self.body, fontSize=8.5, leading=12, textColor=GREY, spaceBefore=4)
        self.heading = ParagraphStyle(
            "heading", parent=self.body, fontName=fonts.bold, fontSize=12, leading=15, textColor=primary,
            spaceBefore=12, keepWithNext=1,
        )
        self.entry_title = ParagraphStyle("entry_title", parent=self.body, fontName=fonts.bold, fontSize=10.5, leading=14)
        # Han characters have no italic; a half-slanted line looks broken.
        sub_font = fonts.regular if language == "zh" else fonts.italic
        self.entry_sub = ParagraphStyle("entry_sub", parent=self.body, fontName=sub_font, textColor=primary)
        self.period = ParagraphStyle("period", parent=self.body, fontSize=9, textColor=GREY, alignment=TA_RIGHT)
        self.bullet = ParagraphStyle(
            "bullet", parent=self.body, leftIndent=12, bulletIndent=2, bulletFontName=fonts.bold, bulletColor=self.accent,
            spaceBefore=1.5,
        )
        self.small = ParagraphStyle("small", parent=self.body, fontSize=8.5, leading=12, textColor=GREY, spaceBefore=3)
        on_band = {"textColor": colors.white, "alignment": TA_RIGHT}
        self.firm = ParagraphStyle("firm", parent=self.body, fontName=fonts.bold, fontSize=14, leading=17, **on_band)
        self.firm_contact = ParagraphStyle("firm_contact", parent=self.body, fontSize=8.5, leading=11, **on_band)
        self.footer = ParagraphStyle("footer", parent=self.body, fontSize=7.5, leading=9, textColor=GREY)


class _Renderer:
    def __init__(self, content: DocumentContent, branding: Branding):
        self.content = content
        self.branding = branding
        self.fonts = font_set(branding.font)
        self.styles = _Styles(self.fonts, branding, content.language)
        self.logo = ImageReader(io.BytesIO(branding.logo)) if branding.logo else None

    def p(self, text: str, style: ParagraphStyle, *, bold: bool = False, **kwargs: Any) -> Paragraph:
        text = markup(text, self.fonts)
        return Paragraph(f"<b>{text}</b>" if bold else text, style, **kwargs)

    # --- page furniture -------------------------------------------------------------------
    def banner_height(self) -> float:
        if self.logo is not None and self._logo_is_banner(self.logo):
            width, height = self.logo.getSize()
            return min(PAGE_WIDTH * height / width, 45 * mm)
        return BAND_HEIGHT

    def _logo_is_banner(self, logo: ImageReader) -> bool:
        width, height = logo.getSize()
        return width >= 3 * height

    def first_page(self, canvas: Canvas, doc: Any) -> None:
        canvas.saveState()
        top = PAGE_HEIGHT - self.banner_height()
        if self.logo is not None and self._logo_is_banner(self.logo):
            canvas.drawImage(self.logo, 0, top, PAGE_WIDTH, self.banner_height(), preserveAspectRatio=True, mask="auto")
        else:
            canvas.setFillColor(self.styles.primary)
            canvas.rect(0, top, PAGE_WIDTH, BAND_HEIGHT, stroke=0, fill=1)
            canvas.setFillColor(self.styles.accent)
            canvas.rect(0, top - 1.2 * mm, PAGE_WIDTH, 1.2 * mm, stroke=0, fill=1)
            if self.logo is not None:
                logo_height = BAND_HEIGHT - 10 * mm
                width, height = self.logo.getSize()
                canvas.drawImage(self.logo, MARGIN, top + 5 * mm, logo_height * width / height, logo_height, mask="auto")
            self._draw_block(canvas, [(self.branding.firm_name, self.styles.firm), (self.branding.contact_line, self.styles.firm_contact)],
                             top + BAND_HEIGHT / 2, centred=True)
        canvas.restoreState()

    def later_page(self, canvas: Canvas, doc: Any) -> None:
        canvas.saveState()
        canvas.setStrokeColor(self.styles.accent)
        canvas.setLineWidth(0.8)
        canvas.line(MARGIN, PAGE_HEIGHT - 12 * mm, PAGE_WIDTH - MARGIN, PAGE_HEIGHT - 12 * mm)
        header = " · ".join(filter(None, [self.branding.firm_name, self.content.name]))
        self._draw_block(canvas, [(header, self.styles.footer)], PAGE_HEIGHT - 10.5 * mm)
        canvas.restoreState()

    def _draw_block(self, canvas: Canvas, lines: list[tuple[str, ParagraphStyle]], y: float, *, centred: bool = False) -> None:
        paragraphs = [self.p(text, style) for text, style in lines if text]
        heights = [para.wrap(CONTENT_WIDTH * 0.7 if centred else CONTENT_WIDTH, PAGE_HEIGHT)[1] for para in paragraphs]
        y += sum(heights) / 2 if centred else heights[0] if heights else 0
        x = MARGIN + CONTENT_WIDTH * 0.3 if centred else MARGIN
        for para, height in zip(paragraphs, heights, strict=True):
            y -= height
            para.drawOn(canvas, x, y)

    def footer(self, canvas: Canvas, page: int, pages: int) -> None:
        canvas.saveState()
        canvas.setStrokeColor(colors.HexColor("#D5DAE1"))
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN, 13 * mm, PAGE_WIDTH - MARGIN, 13 * mm)
        left = self.p(self.branding.contact_line if page > 1 else "", self.styles.footer)
        left.wrap(CONTENT_WIDTH * 0.7, 20 * mm)
        left.drawOn(canvas, MARGIN, 8.5 * mm)
        page_label = self.content.labels["page"].format(page=page, pages=pages)
        number = self.p(page_label, ParagraphStyle("n", parent=self.styles.footer, alignment=TA_RIGHT))
        number.wrap(CONTENT_WIDTH * 0.3, 20 * mm)
        number.drawOn(canvas, MARGIN + CONTENT_WIDTH * 0.7, 8.5 * mm)
        canvas.restoreState()

    # --- body -----------------------------------------------------------------------------
    def story(self, photo: bytes | None) -> list[Flowable]:
        s = self.styles
        identity: list[Flowable] = [self.p(self.content.name, s.name)]
        if self.content.title_line:
            identity.append(self.p(self.content.title_line, s.title))
        if self.content.contact:
            identity.append(self.p("   ·   ".join(self.content.contact), s.contact))
        story: list[Flowable] = []
        if photo:
            picture = Image(io.BytesIO(photo), width=26 * mm, height=32 * mm, kind="proportional")
            table = Table([[identity, picture]], colWidths=[CONTENT_WIDTH - 30 * mm, 30 * mm])
            table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (1, 0), (1, 0), "RIGHT"), *_NO_PADDING]))
            story.append(table)
        else:
            story += identity
        story.append(Spacer(1, 4))
        for section in self.content.sections:
            story += self.section(section)
        return story

    def section(self, section: Section) -> list[Flowable]:
        rule = HRFlowable(width="100%", thickness=1, color=self.styles.accent, spaceBefore=2, spaceAfter=5)
        heading = [self.p(section.title, self.styles.heading), rule]
        blocks: list[list[Flowable]] = []
        if section.text:
            blocks.append([self.p(section.text, self.styles.summary)])
        if section.groups:
            blocks.append([self.skills(section.groups)])
        if section.key == "languages":
            spoken = "   ·   ".join(_joined(entry.title, entry.subtitle, " (", ")") for entry in section.entries)
            blocks.append([self.p(spoken, self.styles.body)])
        else:
            blocks += [self.entry(entry) for entry in section.entries]
        # A heading never ends a page: it travels with the start of its first entry.
        first, *rest = blocks
        flowables: list[Flowable] = [KeepTogether(heading + first[:2]), *first[2:]]
        for block in rest:
            flowables.append(Spacer(1, 6))
            flowables.append(KeepTogether(block[:2]))
            flowables += block[2:]
        return flowables

    def entry(self, entry: Entry) -> list[Flowable]:
        s = self.styles
        left = [self.p(entry.title or entry.subtitle, s.entry_title)]
        if entry.title and entry.subtitle:
            left.append(self.p(entry.subtitle, s.entry_sub))
        header = Table([[left, self.p(entry.period, s.period)]], colWidths=[CONTENT_WIDTH - 42 * mm, 42 * mm])
        header.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), *_NO_PADDING]))
        flowables: list[Flowable] = [header]
        if entry.text:
            flowables.append(self.p(entry.text, ParagraphStyle("t", parent=s.body, spaceBefore=3)))
        flowables += [self.p(task, s.bullet, bulletText="•") for task in entry.bullets]
        if entry.tools:
            tools = markup(", ".join(entry.tools), self.fonts)
            flowables.append(Paragraph(f"<b>{markup(self.content.labels['tools'], self.fonts)}:</b> {tools}", s.small))
        return flowables

    def skills(self, groups: list[tuple[str, list[str]]]) -> Flowable:
        s = self.styles
        if len(groups) == 1 and not groups[0][0]:
            skills = groups[0][1]
            columns = 3
            rows = [[self.p(skill, s.body, bulletText="▪") for skill in skills[i:i + columns]] for i in range(0, len(skills), columns)]
            rows[-1] += [""] * (columns - len(rows[-1]))
            bullet_style = ParagraphStyle("skill", parent=s.body, leftIndent=10, bulletColor=s.accent, bulletFontName=self.fonts.regular)
            for row in rows:
                for cell in row:
                    if isinstance(cell, Paragraph):
                        cell.style = bullet_style
            table = Table(rows, colWidths=[CONTENT_WIDTH / columns] * columns)
            table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), *_NO_PADDING, ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]))
            return table
        rows = [[self.p(category, s.body, bold=True), self.p(" · ".join(skills), s.body)] for category, skills in groups]
        table = Table(rows, colWidths=[40 * mm, CONTENT_WIDTH - 40 * mm])
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), *_NO_PADDING, ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]))
        return table


_FLUSH = {"leftPadding": 0, "rightPadding": 0, "topPadding": 0, "bottomPadding": 0}
_NO_PADDING = [
    ("FONTNAME", (0, 0), (-1, -1), CJK_FONT),  # empty cells would otherwise declare an unembedded Helvetica
    *[(padding, (0, 0), (-1, -1), 0) for padding in ("LEFTPADDING", "RIGHTPADDING", "TOPPADDING", "BOTTOMPADDING")],
]


def _joined(first: str, second: str, before: str, after: str) -> str:
    return f"{first}{before}{second}{after}" if second else first


def render_pdf(content: DocumentContent, branding: Branding, *, photo: bytes | None = None) -> bytes:
    renderer = _Renderer(content, branding)

    class NumberedCanvas(Canvas):
        """Holds pages back until the end so each footer can say "page n of N"."""

        def __init__(self, *args: Any, **kwargs: Any):
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 - ReportLab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                renderer.footer(self, number, len(self._pages))
                super().showPage()
            super().save()

    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=18 * mm, bottomMargin=18 * mm,
        title=content.name, author=branding.firm_name, creator="CV Platform", lang=content.language,
        initialFontName=renderer.fonts.regular,  # else the canvas declares an unembedded Helvetica
    )
    first_top = renderer.banner_height() + 8 * mm
    first_frame = Frame(MARGIN, 18 * mm, CONTENT_WIDTH, PAGE_HEIGHT - first_top - 18 * mm, id="first", **_FLUSH)
    later_frame = Frame(MARGIN, 18 * mm, CONTENT_WIDTH, PAGE_HEIGHT - 36 * mm, id="later", **_FLUSH)
    doc.addPageTemplates([
        PageTemplate("first", [first_frame], onPage=renderer.first_page, autoNextPageTemplate="later"),
        PageTemplate("later", [later_frame], onPage=renderer.later_page),
    ])
    doc.build(renderer.story(photo), canvasmaker=NumberedCanvas)
    return buffer.getvalue()
