"""Content-based file type detection.

Clients rename files freely, so the type is told from the bytes, never from the
extension. The extension is only compared afterwards to report a mismatch.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ZIP = "application/zip"
PNG = "image/png"
JPEG = "image/jpeg"
TIFF = "image/tiff"
WEBP = "image/webp"
TEXT = "text/plain"

SUPPORTED_MIMES: frozenset[str] = frozenset({PDF, DOCX, PNG, JPEG, TIFF, WEBP, TEXT})
IMAGE_MIMES: frozenset[str] = frozenset({PNG, JPEG, TIFF, WEBP})

EXTENSIONS_FOR_MIME: dict[str, frozenset[str]] = {
    PDF: frozenset({".pdf"}),
    DOCX: frozenset({".docx"}),
    PNG: frozenset({".png"}),
    JPEG: frozenset({".jpg", ".jpeg", ".jpe", ".jfif"}),
    TIFF: frozenset({".tif", ".tiff"}),
    WEBP: frozenset({".webp"}),
    TEXT: frozenset({".txt", ".text"}),
    ZIP: frozenset({".zip"}),
}

HEAD_SIZE = 8192
_DOCX_MAIN_PART = "word/document.xml"


def _is_text(head: bytes) -> bool:
    if not head or b"\x00" in head:
        return False
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # The head may cut a multi-byte character in half; only the tail may fail.
        if exc.start < len(head) - 3:
            return False
        text = head[: exc.start].decode("utf-8")
    control = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    return control <= len(text) * 0.01


def sniff_mime(head: bytes) -> str | None:
    """Detect the MIME type from the first bytes of a file (``HEAD_SIZE`` is enough).

    A ZIP counts as DOCX only when the head shows its ``word/document.xml`` entry;
    use :func:`sniff_file` when the whole file is available, since that entry may
    be stored past the head.
    """
    if not head:
        return None
    # PDF readers accept up to 1 KB of junk before the header, so do we.
    if b"%PDF-" in head[:1024]:
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return TIFF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        return DOCX if _DOCX_MAIN_PART.encode() in head else ZIP
    if _is_text(head.removeprefix(b"\xef\xbb\xbf")):
        return TEXT
    return None


def sniff_file(path: str | Path) -> str | None:
    """Detect the MIME type of a file on disk, reading the ZIP directory for DOCX."""
    with open(path, "rb") as fh:
        head = fh.read(HEAD_SIZE)
    mime = sniff_mime(head)
    if mime == ZIP:
        try:
            with zipfile.ZipFile(path) as zf:
                if _DOCX_MAIN_PART in zf.namelist():
                    return DOCX
        except (zipfile.BadZipFile, OSError):
            return ZIP
    return mime


def extension_matches(filename: str, mime: str) -> bool:
    """Whether the file name's extension is one expected for the sniffed type."""
    suffix = Path(filename).suffix.lower()
    return suffix in EXTENSIONS_FOR_MIME.get(mime, frozenset())
