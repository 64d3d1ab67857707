"""Where ranges of the extracted text sit in the source document: page boxes and paragraphs.

Recorded while the text is assembled (one entry per PDF text span, OCR word or paragraph, so it
costs a few list appends), stored with the job beside the text, and read by ``evidence`` to give
each located value its ``page`` and ``bbox`` (PDFs, images) or ``paragraph`` (DOCX and the other
text formats). Django-free and JSON-serialisable.

Boxes are ``[x0, y0, x1, y1]`` in the page's own units: PDF points (origin top left, as PyMuPDF
reports them), image pixels of the image as displayed (EXIF orientation applied). A value covering
only part of a recorded span gets a box interpolated by character offset within it: spans are runs
of one font, so the error is a fraction of a character width per glyph-width difference.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

# [start, end, page, x0, y0, x1, y1]: a text range drawn in one box on a 1-based page.
Box = tuple[int, int, int, float, float, float, float]
# [start, end, paragraph, cell, part]: a text range in one paragraph; ``cell`` is [table, row, column]
# for text in a table, ``part`` "header"/"footer" for DOCX headers and footers (None for the body).
Para = tuple[int, int, int, list[int] | None, str | None]


@dataclass
class TextMap:
    boxes: list[Box] = field(default_factory=list)
    paragraphs: list[Para] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.boxes:
            out["boxes"] = [[s, e, p, round(x0, 1), round(y0, 1), round(x1, 1), round(y1, 1)] for s, e, p, x0, y0, x1, y1 in self.boxes]
        if self.paragraphs:
            out["paragraphs"] = [list(entry) for entry in self.paragraphs]
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> TextMap:
        data = data or {}
        return cls(
            boxes=[(int(s), int(e), int(p), float(x0), float(y0), float(x1), float(y1))
                   for s, e, p, x0, y0, x1, y1 in data.get("boxes") or []],
            paragraphs=[(int(s), int(e), int(n), cell, part) for s, e, n, cell, part in data.get("paragraphs") or []],
        )

    def shifted(self, offset: int) -> TextMap:
        return TextMap(
            boxes=[(s + offset, e + offset, *rest) for s, e, *rest in self.boxes],  # type: ignore[misc]
            paragraphs=[(s + offset, e + offset, *rest) for s, e, *rest in self.paragraphs],  # type: ignore[misc]
        )

    def extend(self, other: TextMap, offset: int = 0) -> None:
        moved = other.shifted(offset) if offset else other
        self.boxes.extend(moved.boxes)
        self.paragraphs.extend(moved.paragraphs)

    # Read only once the map is complete (evidence is built after extraction).
    @cached_property
    def _box_starts(self) -> list[int]:
        return [entry[0] for entry in self.boxes]

    @cached_property
    def _paragraph_starts(self) -> list[int]:
        return [entry[0] for entry in self.paragraphs]

    def position(self, span: list[int] | tuple[int, int]) -> dict[str, Any]:
        """``page`` + ``bbox`` and/or ``paragraph`` (+ ``cell``, ``part``) of a text range; {} when unknown.

        A value over several lines (a wrapped company name, a two-line address) gets the union box of
        its pieces on the page where it starts: one rectangle to highlight, which is what a reviewer
        looks for. Pieces on a later page are left out of the box.
        """
        start, end = span
        out: dict[str, Any] = {}
        pieces = _overlapping(self.boxes, self._box_starts, start, end)
        if pieces:
            page = pieces[0][2]
            rects = [_sub_box(piece, start, end) for piece in pieces if piece[2] == page]
            out["page"] = page
            out["bbox"] = [round(min(r[0] for r in rects), 1), round(min(r[1] for r in rects), 1),
                           round(max(r[2] for r in rects), 1), round(max(r[3] for r in rects), 1)]
        paragraphs = _overlapping(self.paragraphs, self._paragraph_starts, start, end)
        if paragraphs:
            _, _, number, cell, part = paragraphs[0]
            out["paragraph"] = number
            if cell is not None:
                out["cell"] = list(cell)
            if part is not None:
                out["part"] = part
        return out


def _overlapping(entries: list[Any], starts: list[int], start: int, end: int) -> list[Any]:
    """Entries (sorted by start, not overlapping each other) that share a character with [start, end)."""
    if not entries:
        return []
    index = max(0, bisect_right(starts, start) - 1)
    found = []
    for entry in entries[index:]:
        if entry[0] >= max(end, start + 1):
            break
        if entry[1] > start:
            found.append(entry)
    return found


def _sub_box(piece: Box, start: int, end: int) -> tuple[float, float, float, float]:
    s, e, _, x0, y0, x1, y1 = piece
    if e - s <= 0 or (start <= s and end >= e):
        return x0, y0, x1, y1
    width = (x1 - x0) / (e - s)
    return x0 + width * (max(start, s) - s), y0, x0 + width * (min(end, e) - s), y1


def line_paragraphs(text: str) -> TextMap:
    """One paragraph per non-empty line: the natural unit of formats whose reader writes one line per
    block (ODT, RTF, HTML, Markdown, DOC, plain text)."""
    paragraphs: list[Para] = []
    offset = 0
    for line in text.split("\n"):
        if line.strip():
            paragraphs.append((offset, offset + len(line), len(paragraphs), None, None))
        offset += len(line) + 1
    return TextMap(paragraphs=paragraphs)
