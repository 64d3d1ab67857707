"""DOCX text in reading order: body paragraphs and tables interleaved as in the
document, text boxes, headers and footers.

python-docx's ``Paragraph.text`` skips text boxes and ``Document.paragraphs``
skips tables, so the body is walked at the XML level (through python-docx's
parsed tree). ``mc:AlternateContent`` stores each text box twice (a DrawingML
choice and a VML fallback); only the choice is read. Legacy documents with a
bare VML text box are read too.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import docx
from PIL import Image

from .errors import CORRUPT_FILE, UNSUPPORTED_TYPE, ZIP_BOMB, ExtractionError
from .photos import is_plausible_photo
from .positions import Para, TextMap

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"

# A CV is a few hundred KB of XML; generous limits still stop bombs cheaply.
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
MAX_MEMBERS = 2000


def check_zip(path: str | Path, *, main_part: str = "word/document.xml", kind: str = "DOCX") -> None:
    """Refuse archives that are not the expected document or that would inflate dangerously.

    Only the central directory is read: sizes are checked before anything is
    decompressed. ODT uses the same checks with ``main_part="content.xml"``.
    """
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise ExtractionError(CORRUPT_FILE, f"The {kind} file is damaged and cannot be read.") from exc
    if len(infos) > MAX_MEMBERS:
        raise ExtractionError(ZIP_BOMB, f"The {kind} archive holds too many parts to be a document.")
    total = sum(info.file_size for info in infos)
    packed = sum(info.compress_size for info in infos)
    if total > MAX_UNCOMPRESSED_BYTES or (total > 1_000_000 and total > MAX_COMPRESSION_RATIO * max(packed, 1)):
        raise ExtractionError(ZIP_BOMB, f"The {kind} archive would expand to an unsafe size (zip bomb).")
    if main_part not in {info.filename for info in infos}:
        raise ExtractionError(UNSUPPORTED_TYPE, f"The file is a ZIP archive, not a {kind} document.")


class _Walk:
    """Lines of one part (body, header or footer) in document order, each with its paragraph: the
    index of its ``w:p`` among all ``w:p`` of the part in XML order, and [table, row, column] when
    it is in a table (the table's index among the part's ``w:tbl``, in the same order)."""

    def __init__(self, root, part: str | None) -> None:
        self.part = part
        # Keyed by the elements themselves: lxml hands out the same proxy for a node while one is alive.
        self.paragraph_index = {p: index for index, p in enumerate(root.iter(f"{W}p"))}
        self.table_index = {t: index for index, t in enumerate(root.iter(f"{W}tbl"))}
        self.lines: list[tuple[str, int, list[int] | None, str | None]] = []

    def block(self, container, cell: list[int] | None = None) -> None:
        for child in container:
            if child.tag == f"{W}p":
                text, boxes = self._paragraph(child, cell)
                if text.strip():
                    self.lines.append((text, self.paragraph_index.get(child, 0), cell, self.part))
                for box in boxes:
                    self.lines.extend(box)
            elif child.tag == f"{W}tbl":
                self.table(child)
            elif child.tag == f"{W}sdt":
                content = child.find(f"{W}sdtContent")
                if content is not None:
                    self.block(content, cell)

    def table(self, tbl) -> None:
        # Cell by cell, row by row: each cell is a unit (date cell, job cell...).
        number = self.table_index.get(tbl, 0)
        rows = [row for row in tbl.iter(f"{W}tr") if row.getparent() is tbl]  # nested tables are read inside their cell
        for row_index, row in enumerate(rows):
            for column, cell in enumerate(row.findall(f"{W}tc")):
                self.block(cell, [number, row_index, column])

    def _paragraph(self, p, cell: list[int] | None):
        """Text of one ``w:p`` and the lines of the text boxes anchored in it (read as their own blocks)."""
        parts: list[str] = []
        boxes: list[list[tuple[str, int, list[int] | None, str | None]]] = []
        stack = [iter(p)]
        while stack:
            node = next(stack[-1], None)
            if node is None:
                stack.pop()
                continue
            tag = node.tag
            if tag == MC_FALLBACK:
                continue
            if tag == f"{W}txbxContent":
                saved, self.lines = self.lines, []
                self.block(node, cell)
                # A text box is one unit of the text: its lines joined, each keeping its paragraph.
                boxes.append(self.lines)
                self.lines = saved
                continue
            if tag == f"{W}t":
                parts.append(node.text or "")
            elif tag == f"{W}tab":
                parts.append("\t")
            elif tag in (f"{W}br", f"{W}cr"):
                parts.append("\n")
            stack.append(iter(node))
        return "".join(parts), boxes


def _photos(document) -> list[bytes]:
    photos: list[bytes] = []
    for rel in document.part.rels.values():
        if "image" not in rel.reltype or rel.is_external:
            continue
        blob = rel.target_part.blob
        try:
            with Image.open(io.BytesIO(blob)) as img:
                size = img.size
                fmt = img.format
        except Exception:  # noqa: BLE001 - an unreadable picture is not the CV's text
            continue
        if fmt in ("PNG", "JPEG") and is_plausible_photo(*size):
            photos.append(blob)
    return photos


def _page_count(path: str | Path) -> int:
    """Pages as last counted by the authoring application (1 when not recorded)."""
    try:
        with zipfile.ZipFile(path) as zf:
            app = zf.read("docProps/app.xml").decode("utf-8", errors="replace")
    except (KeyError, zipfile.BadZipFile, OSError):
        return 1
    found = re.search(r"<Pages>(\d+)</Pages>", app)
    return max(1, int(found.group(1))) if found else 1


def extract_docx(path: str | Path) -> tuple[str, list[bytes], bool, int, TextMap]:
    """Return (text, photos, has_tables, pages, text map) of a DOCX after the zip safety checks."""
    check_zip(path)
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx and lxml raise many types for a broken part
        raise ExtractionError(CORRUPT_FILE, "The DOCX file is damaged and cannot be read.") from exc

    header_lines: list[tuple[str, int, list[int] | None, str | None]] = []
    footer_lines: list[tuple[str, int, list[int] | None, str | None]] = []
    seen_parts: set[int] = set()
    for section in document.sections:
        for part_holder, sink, name in ((section.header, header_lines, "header"), (section.footer, footer_lines, "footer")):
            if part_holder.is_linked_to_previous:
                continue
            element = part_holder._element  # noqa: SLF001 - python-docx exposes no walker
            if id(element) in seen_parts:
                continue
            seen_parts.add(id(element))
            walk = _Walk(element, name)
            walk.block(element)
            sink.extend(walk.lines)

    body = document.element.body
    walk = _Walk(body, None)
    walk.block(body)
    text, text_map = _join_lines(header_lines + walk.lines + footer_lines)
    has_tables = body.find(f"{W}tbl") is not None
    return text, _photos(document), has_tables, _page_count(path), text_map


def _join_lines(lines: list[tuple[str, int, list[int] | None, str | None]]) -> tuple[str, TextMap]:
    parts: list[str] = []
    paragraphs: list[Para] = []
    length = 0
    for text, paragraph, cell, part in lines:
        if parts:
            parts.append("\n")
            length += 1
        paragraphs.append((length, length + len(text), paragraph, cell, part))
        parts.append(text)
        length += len(text)
    return "".join(parts), TextMap(paragraphs=paragraphs)
