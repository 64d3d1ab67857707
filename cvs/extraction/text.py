"""Text extraction from uploaded CV files (PDF, DOCX, DOC, ODT, RTF, HTML, Markdown, images, plain text)."""

from __future__ import annotations

import os
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import pymupdf
from PIL import Image

from . import sniff
from .docx_text import extract_docx
from .errors import (
    CORRUPT_FILE,
    EMPTY_FILE,
    ENCRYPTED_PDF,
    IMAGE_TOO_LARGE,
    TOO_MANY_PAGES,
    UNSUPPORTED_TYPE,
    ExtractionError,
)
from .layout import ROW_SEPARATOR, Line, Piece, order_rows
from .markup_text import html_to_text, markdown_to_text
from .ocr import ocr_image
from .office_text import extract_doc, extract_odt, rtf_to_text
from .photos import is_plausible_photo
from .positions import Box, TextMap, line_paragraphs

DEFAULT_OCR_LANGUAGES = "eng+spa+fra+chi_sim"

# 40 megapixels is an A4 page at ~600 dpi; anything larger is refused before
# Pillow allocates it (a decompression bomb declares a huge size in a tiny file).
MAX_IMAGE_PIXELS = 40_000_000
# A page with fewer characters than this in its text layer is treated as a scan.
_MIN_TEXT_LAYER_CHARS = 20
# Icon fonts (Font Awesome, Octicons, a theme's own) put their glyphs in the Private Use Area; a
# glyph a PDF font cannot map comes out as U+FFFD or a control character. Neither is text.
_NOT_TEXT = re.compile("[\ue000-\uf8ff\ufffd\x00-\x08\x0b\x0c\x0e-\x1f]")
_OCR_DPI_RANGE = (150, 300)

LAYOUT_SINGLE_COLUMN = "single_column"
LAYOUT_MULTI_COLUMN = "multi_column"
LAYOUT_TABLE = "table"
LAYOUT_PARAGRAPHS = "paragraphs"
LAYOUT_SCAN = "scan"
LAYOUT_IMAGE = "image"
LAYOUT_PLAIN = "plain_text"


@dataclass
class ExtractedText:
    text: str
    pages: int
    ocr_used: bool = False
    photos: list[bytes] = field(default_factory=list)
    layout_hint: str | None = None
    warnings: list[str] = field(default_factory=list)
    # Where ranges of ``text`` are in the document (page boxes, paragraphs): see positions.py.
    text_map: TextMap = field(default_factory=TextMap)


def extract_text(
    path: str | Path,
    mime: str,
    *,
    max_pages: int = 50,
    ocr_languages: str = DEFAULT_OCR_LANGUAGES,
) -> ExtractedText:
    """Extract the text of a CV file whose type was sniffed from its content.

    Raises :class:`ExtractionError` for files that cannot be processed; an image
    without text or a document that is not a CV is returned as (near) empty text.
    """
    path = Path(path)
    try:
        size = os.path.getsize(path)
    except OSError as exc:
        raise ExtractionError(CORRUPT_FILE, "The file could not be read.") from exc
    if size == 0:
        raise ExtractionError(EMPTY_FILE, "The file is empty (0 bytes).")
    result = _extract(path, mime, max_pages, ocr_languages)
    if not result.text.strip():
        # Not an error (a photo, a blank scan): the job completes with empty data.
        result.warnings.append("no_text")
    return result


def _extract(path: Path, mime: str, max_pages: int, ocr_languages: str) -> ExtractedText:
    if mime == sniff.PDF:
        return _extract_pdf(path, max_pages, ocr_languages)
    if mime == sniff.DOCX:
        text, photos, has_tables, pages, text_map = extract_docx(path)
        if pages > max_pages:
            raise ExtractionError(TOO_MANY_PAGES, f"The document has {pages} pages; at most {max_pages} are accepted.")
        return ExtractedText(
            text=text,
            pages=pages,
            photos=photos,
            layout_hint=LAYOUT_TABLE if has_tables else LAYOUT_PARAGRAPHS,
            text_map=text_map,
        )
    if mime in sniff.IMAGE_MIMES:
        return _extract_image(path, max_pages, ocr_languages)
    if mime == sniff.TEXT:
        raw = path.read_bytes()
        text = _decode_text(raw).replace("\x00", "")
        return ExtractedText(text=text, pages=1, layout_hint=LAYOUT_PLAIN, text_map=line_paragraphs(text))
    if mime == sniff.DOC:
        text, pages = extract_doc(path)
        return _structured(text, pages, False, max_pages)
    if mime == sniff.ODT:
        text, has_tables, pages = extract_odt(path)
        return _structured(text, pages, has_tables, max_pages)
    if mime == sniff.RTF:
        return _structured(rtf_to_text(path.read_bytes()), 1, False, max_pages)
    if mime in (sniff.HTML, sniff.MARKDOWN):
        reader = html_to_text if mime == sniff.HTML else markdown_to_text
        text, has_tables = reader(_decode_text(path.read_bytes()))
        return _structured(text, 1, has_tables, max_pages)
    raise ExtractionError(UNSUPPORTED_TYPE, f"Files of type {mime or 'unknown'} are not supported.")


def _structured(text: str, pages: int, has_tables: bool, max_pages: int) -> ExtractedText:
    if pages > max_pages:
        raise ExtractionError(TOO_MANY_PAGES, f"The document has {pages} pages; at most {max_pages} are accepted.")
    # NUL (UTF-16 read as bytes, binary junk) is no text, and the stored text cannot hold it: removed
    # here, before the paragraphs are counted, so the text map's offsets fit the stored text.
    text = text.replace("\x00", "")
    return ExtractedText(text=text, pages=pages, layout_hint=LAYOUT_TABLE if has_tables else LAYOUT_PARAGRAPHS,
                         text_map=line_paragraphs(text))


def _decode_text(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("utf-8", errors="replace")


# ---------------------------------------------------------------- PDF


def _open_pdf(path: Path) -> pymupdf.Document:
    try:
        doc = pymupdf.open(path, filetype="pdf")
    except Exception as exc:  # PyMuPDF raises FileDataError, RuntimeError, ValueError...
        raise ExtractionError(CORRUPT_FILE, "The PDF is damaged and cannot be read.") from exc
    if doc.needs_pass and not doc.authenticate(""):
        doc.close()
        raise ExtractionError(ENCRYPTED_PDF, "The PDF is password-protected.")
    if doc.page_count == 0:
        doc.close()
        raise ExtractionError(CORRUPT_FILE, "The PDF has no pages.")
    return doc


def _page_lines(page: pymupdf.Page) -> list[Line]:
    lines: list[Line] = []
    data = page.get_text("dict", flags=pymupdf.TEXT_PRESERVE_WHITESPACE | pymupdf.TEXT_MEDIABOX_CLIP)
    for block in data["blocks"]:
        for line in block.get("lines", []):
            raw, raw_pieces = _join_spans(line["spans"])
            text, pieces = _clean_line(raw, raw_pieces)
            if text:
                x0, y0, x1, y1 = line["bbox"]
                lines.append(Line(x0, y0, x1, y1, text, pieces))
    return lines


def _join_spans(spans: list[dict]) -> tuple[str, list[Piece]]:
    """Join a line's spans, keeping the gaps a layout uses to align columns; and where each span is.

    A title on the left and its dates right-aligned on the same baseline come
    as separate spans with no space between them; a wide gap becomes a tab.
    """
    out = ""
    pieces: list[Piece] = []
    previous: dict | None = None
    for span in spans:
        if previous is not None and out and not out[-1].isspace() and not span["text"][:1].isspace():
            gap = span["bbox"][0] - previous["bbox"][2]
            size = max(span.get("size", 10.0), 1.0)
            if gap > size:
                out += "\t"
            elif gap > 0.2 * size:
                out += " "
        if span["text"]:
            pieces.append((len(out), len(out) + len(span["text"]), *span["bbox"]))
        out += span["text"]
        previous = span
    return out, pieces


def _clean_line(raw: str, pieces: list[Piece]) -> tuple[str, tuple[Piece, ...]]:
    """The line without icon glyphs and outer spaces, its pieces' offsets moved to match."""
    if _NOT_TEXT.search(raw):
        kept = [i for i, char in enumerate(raw) if not _NOT_TEXT.match(char)]
        # new offset of each raw offset: how many kept characters come before it
        new_at = [0] * (len(raw) + 1)
        count = 0
        kept_set = set(kept)
        for i in range(len(raw)):
            new_at[i] = count
            count += i in kept_set
        new_at[len(raw)] = count
        raw = "".join(raw[i] for i in kept)
        pieces = [(new_at[s], new_at[e], *box) for s, e, *box in pieces]  # type: ignore[misc]
    text = raw.strip()
    lead = len(raw) - len(raw.lstrip())
    moved = []
    for s, e, *box in pieces:
        s, e = max(0, s - lead), min(len(text), e - lead)
        if e > s:
            moved.append((s, e, *box))
    return text, tuple(moved)  # type: ignore[arg-type]


def _page_photos(doc: pymupdf.Document, page: pymupdf.Page) -> list[bytes]:
    photos: list[bytes] = []
    page_area = abs(page.rect)
    for info in page.get_image_info(xrefs=True):
        xref = info.get("xref")
        bbox = pymupdf.Rect(info["bbox"])
        # A picture filling the page is a scan, not a portrait.
        if not xref or abs(bbox) > 0.3 * page_area:
            continue
        if not is_plausible_photo(info["width"], info["height"]):
            continue
        try:
            image = doc.extract_image(xref)
        except Exception:  # noqa: BLE001 - a broken picture should not fail the CV
            continue
        if image.get("ext") in ("png", "jpeg", "jpg"):
            photos.append(image["image"])
        else:
            pix = pymupdf.Pixmap(doc, xref)
            if pix.n - pix.alpha >= 4:
                pix = pymupdf.Pixmap(pymupdf.csRGB, pix)
            photos.append(pix.tobytes("png"))
    return photos


def _ocr_dpi(page: pymupdf.Page) -> int:
    """Render a scanned page at about its native resolution, within sane bounds."""
    dpi = _OCR_DPI_RANGE[0]
    for info in page.get_image_info():
        width_in = (info["bbox"][2] - info["bbox"][0]) / 72
        if width_in > 0:
            dpi = max(dpi, int(info["width"] / width_in))
    dpi = max(_OCR_DPI_RANGE[0], min(_OCR_DPI_RANGE[1], dpi))
    # Oversized pages (posters, bogus MediaBoxes) must not render into a huge bitmap.
    area_in2 = abs(page.rect) / (72 * 72)
    return max(36, min(dpi, int((MAX_IMAGE_PIXELS / max(area_in2, 1e-6)) ** 0.5)))


_PAGE_NUMBER = re.compile(
    r"^\s*(?:page|página|pagina|pág\.?|p\.|第)?\s*\d+\s*(?:(?:of|de|sur|/|共)\s*\d+)?\s*(?:页)?\s*$", re.IGNORECASE
)
_MARGIN_SHARE = 0.08


def _margin_key(line: Line, height: float) -> str | None:
    """Digit-insensitive text of a line in the top or bottom margin, else None."""
    if line.y1 > height * _MARGIN_SHARE and line.y0 < height * (1 - _MARGIN_SHARE):
        return None
    return re.sub(r"\d+", "#", line.text.strip().casefold())


def _running_lines(pages: list[list[Line]], heights: list[float]) -> set[str]:
    """Margin lines repeated on at least two pages."""
    seen: dict[str, int] = {}
    for lines, height in zip(pages, heights, strict=True):
        for key in {key for ln in lines if (key := _margin_key(ln, height)) is not None}:
            seen[key] = seen.get(key, 0) + 1
    return {key for key, count in seen.items() if count >= 2}


_MAX_LINK_LINES = 10


def _link_lines(doc: pymupdf.Document, text: str) -> list[tuple[str, tuple[int, float, float, float, float]]]:
    """Web links that exist only as link annotations, not in the page text, with where they are.

    LinkedIn exports print "Contact X on LinkedIn" and keep the profile URL in
    the link alone; templates hyperlink "Portfolio" or an icon. The URLs are
    appended after the pages so the contact parser sees them; their evidence
    box is the link's area (the words or icon a reader clicks).
    """
    folded = text.casefold()
    out: list[tuple[str, tuple[int, float, float, float, float]]] = []
    for number, page in enumerate(doc.pages()):
        for link in page.get_links():
            uri = (link.get("uri") or "").strip()
            if not uri.lower().startswith(("http://", "https://")):
                continue  # mailto: and tel: targets are printed; file and page links are not contacts
            bare = re.sub(r"^https?://(?:www\.)?", "", uri, flags=re.IGNORECASE).rstrip("/")
            if bare.casefold() in folded or uri in (seen for seen, _ in out):
                continue
            area = link["from"]
            out.append((uri, (number + 1, area.x0, area.y0, area.x1, area.y1)))
            if len(out) >= _MAX_LINK_LINES:
                return out
    return out


def _rows_text(rows: list[list[Line]], page: int) -> tuple[str, list[Box]]:
    """A page's text, one row per line, and the box of each span in it."""
    parts: list[str] = []
    boxes: list[Box] = []
    length = 0
    for row in rows:
        if parts:
            parts.append("\n")
            length += 1
        for index, line in enumerate(row):
            if index:
                parts.append(ROW_SEPARATOR)
                length += len(ROW_SEPARATOR)
            boxes.extend((length + s, length + e, page, x0, y0, x1, y1) for s, e, x0, y0, x1, y1 in line.pieces)
            parts.append(line.text)
            length += len(line.text)
    return "".join(parts), boxes


def _join_pages(pages: list[tuple[str, list[Box]]]) -> tuple[str, TextMap]:
    """Pages' texts joined by a blank line (empty pages left out), with their boxes."""
    text = ""
    text_map = TextMap()
    for page_text, boxes in pages:
        if not page_text:
            continue
        if text:
            text += "\n\n"
        text_map.boxes.extend((s + len(text), e + len(text), p, x0, y0, x1, y1) for s, e, p, x0, y0, x1, y1 in boxes)
        text += page_text
    return text, text_map


def _extract_pdf(path: Path, max_pages: int, ocr_languages: str) -> ExtractedText:
    doc = _open_pdf(path)
    try:
        if doc.page_count > max_pages:
            raise ExtractionError(
                TOO_MANY_PAGES,
                f"The PDF has {doc.page_count} pages; at most {max_pages} are accepted.",
            )
        pages: list[tuple[str, list[Box]]] = []
        photos: list[bytes] = []
        notes: list[str] = []
        ocr_pages = 0
        columns = False
        page_lines = [_page_lines(page) for page in doc.pages()]
        repeated = _running_lines(page_lines, [page.rect.height for page in doc.pages()])
        for number, page in enumerate(doc.pages()):
            lines = page_lines[number]
            if sum(len(ln.text) for ln in lines) >= _MIN_TEXT_LAYER_CHARS:
                # Running headers/footers ("Page 2 of 3", the name on every
                # page) would land in the middle of a section; page 1 keeps its header.
                lines = [ln for ln in lines if not (number and _margin_key(ln, page.rect.height) in repeated)]
                lines = [ln for ln in lines if not _PAGE_NUMBER.match(ln.text)]
                rows, page_columns = order_rows(lines)
                columns = columns or page_columns
                pages.append(_rows_text(rows, number + 1))
            elif page.get_images():
                ocr_pages += 1
                dpi = _ocr_dpi(page)
                pix = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY)
                img = Image.frombytes("L", (pix.width, pix.height), pix.samples)
                read = ocr_image(img, ocr_languages)
                # Pixels of the rendering (the page as displayed) back to the page's own points: the
                # unrotated page, the space its text layer uses, so every PDF box shares one space.
                scale = 72 / dpi
                boxes = [(s, e, pymupdf.Rect(x0 * scale, y0 * scale, x1 * scale, y1 * scale) * page.derotation_matrix)
                         for s, e, x0, y0, x1, y1 in read.pieces]
                pages.append((read.text, [(s, e, number + 1, box.x0, box.y0, box.x1, box.y1) for s, e, box in boxes]))
            photos.extend(_page_photos(doc, page))
        if ocr_pages and ocr_pages < doc.page_count:
            notes.append(f"ocr_pages:{ocr_pages}")
        hint = LAYOUT_SCAN if ocr_pages else (LAYOUT_MULTI_COLUMN if columns else LAYOUT_SINGLE_COLUMN)
        text, text_map = _join_pages(pages)
        if links := _link_lines(doc, text):
            text += "\n"
            for uri, box in links:
                text += "\n"
                text_map.boxes.append((len(text), len(text) + len(uri), *box))
                text += uri
        return ExtractedText(
            text=text,
            pages=doc.page_count,
            ocr_used=ocr_pages > 0,
            photos=photos,
            layout_hint=hint,
            warnings=notes,
            text_map=text_map,
        )
    finally:
        doc.close()


# ---------------------------------------------------------------- images


def _extract_image(path: Path, max_pages: int, ocr_languages: str) -> ExtractedText:
    try:
        img = Image.open(path)
    except Image.DecompressionBombError as exc:
        raise ExtractionError(IMAGE_TOO_LARGE, "The image is too large to process safely.") from exc
    except Exception as exc:  # noqa: BLE001 - Pillow raises many types on bad data
        raise ExtractionError(CORRUPT_FILE, "The image is damaged and cannot be read.") from exc
    with img:
        frames = getattr(img, "n_frames", 1)
        if frames > max_pages:
            raise ExtractionError(
                TOO_MANY_PAGES, f"The image has {frames} pages; at most {max_pages} are accepted."
            )
        pages: list[tuple[str, list[Box]]] = []
        for index in range(frames):
            img.seek(index)
            width, height = img.size
            # Checked before load(): the header alone declares the size.
            if width * height > MAX_IMAGE_PIXELS:
                raise ExtractionError(
                    IMAGE_TOO_LARGE,
                    f"The image is {width}x{height} pixels; that is too large to process safely.",
                )
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("error", Image.DecompressionBombWarning)
                    img.load()
            except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
                raise ExtractionError(IMAGE_TOO_LARGE, "The image is too large to process safely.") from exc
            except Exception as exc:  # noqa: BLE001 - truncated or malformed data
                raise ExtractionError(CORRUPT_FILE, "The image is damaged and cannot be read.") from exc
            read = ocr_image(img, ocr_languages)
            pages.append((read.text, [(s, e, index + 1, *box) for s, e, *box in read.pieces]))  # type: ignore[misc]
    text, text_map = _join_pages(pages)
    return ExtractedText(text=text, pages=frames, ocr_used=True, layout_hint=LAYOUT_IMAGE, text_map=text_map)
