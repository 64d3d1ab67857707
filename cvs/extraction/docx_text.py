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


def _paragraph_text(p) -> tuple[str, list[str]]:
    """Text of one ``w:p`` and the texts of the text boxes anchored in it."""
    parts: list[str] = []
    boxes: list[str] = []
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
            boxes.append("\n".join(_block_texts(node)))
            continue
        if tag == f"{W}t":
            parts.append(node.text or "")
        elif tag == f"{W}tab":
            parts.append("\t")
        elif tag in (f"{W}br", f"{W}cr"):
            parts.append("\n")
        stack.append(iter(node))
    return "".join(parts), boxes


def _block_texts(container) -> list[str]:
    """Lines of a body, cell, header or text box, in document order."""
    out: list[str] = []
    for child in container:
        if child.tag == f"{W}p":
            text, boxes = _paragraph_text(child)
            if text.strip():
                out.append(text)
            out.extend(box for box in boxes if box.strip())
        elif child.tag == f"{W}tbl":
            out.extend(_table_texts(child))
        elif child.tag == f"{W}sdt":
            content = child.find(f"{W}sdtContent")
            if content is not None:
                out.extend(_block_texts(content))
    return out


def _table_texts(tbl) -> list[str]:
    # Cell by cell, row by row: each cell is a unit (date cell, job cell...).
    out: list[str] = []
    for row in tbl.iter(f"{W}tr"):
        if row.getparent() is not tbl:
            continue  # nested tables are read inside their cell
        for cell in row.findall(f"{W}tc"):
            out.extend(_block_texts(cell))
    return out


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


def extract_docx(path: str | Path) -> tuple[str, list[bytes], bool, int]:
    """Return (text, photos, has_tables, pages) of a DOCX after the zip safety checks."""
    check_zip(path)
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx and lxml raise many types for a broken part
        raise ExtractionError(CORRUPT_FILE, "The DOCX file is damaged and cannot be read.") from exc

    header_lines: list[str] = []
    footer_lines: list[str] = []
    seen_parts: set[int] = set()
    for section in document.sections:
        for part_holder, sink in ((section.header, header_lines), (section.footer, footer_lines)):
            if part_holder.is_linked_to_previous:
                continue
            element = part_holder._element  # noqa: SLF001 - python-docx exposes no walker
            if id(element) in seen_parts:
                continue
            seen_parts.add(id(element))
            sink.extend(_block_texts(element))

    body = document.element.body
    lines = header_lines + _block_texts(body) + footer_lines
    has_tables = body.find(f"{W}tbl") is not None
    return "\n".join(lines), _photos(document), has_tables, _page_count(path)
