"""Content-based file type detection: the one home of "what is this upload".

Clients rename files freely, so the type is told from the bytes, never from the
extension. The extension is only compared afterwards to report a mismatch.
Every caller (API intake, HR uploads and ZIP expansion, the evaluator) goes
through :func:`sniff_stream` / :func:`sniff_file`, so a ZIP is told apart from
a DOCX or an ODT, and an OLE file from a Word ``.doc``, in one place.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import IO

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DOC = "application/msword"
ODT = "application/vnd.oasis.opendocument.text"
RTF = "application/rtf"
ZIP = "application/zip"
OLE = "application/x-ole-storage"  # an OLE container that is not a Word document (.xls, .msg, ...)
PNG = "image/png"
JPEG = "image/jpeg"
TIFF = "image/tiff"
WEBP = "image/webp"
TEXT = "text/plain"
HTML = "text/html"
MARKDOWN = "text/markdown"

SUPPORTED_MIMES: frozenset[str] = frozenset(
    {PDF, DOCX, DOC, ODT, RTF, PNG, JPEG, TIFF, WEBP, TEXT, HTML, MARKDOWN}
)
# For messages and API docs: what clients may send.
SUPPORTED_FORMATS_TEXT = "PDF, DOCX, DOC, ODT, RTF, HTML, Markdown, TXT, PNG, JPEG, TIFF or WebP"
IMAGE_MIMES: frozenset[str] = frozenset({PNG, JPEG, TIFF, WEBP})
# Text formats told apart by their markup only: a ".txt" holding Markdown or a
# ".html" that is really plain text is not a mislabelled file.
TEXT_FAMILY: frozenset[str] = frozenset({TEXT, HTML, MARKDOWN})

EXTENSIONS_FOR_MIME: dict[str, frozenset[str]] = {
    PDF: frozenset({".pdf"}),
    DOCX: frozenset({".docx"}),
    DOC: frozenset({".doc", ".dot"}),
    ODT: frozenset({".odt"}),
    RTF: frozenset({".rtf"}),
    PNG: frozenset({".png"}),
    JPEG: frozenset({".jpg", ".jpeg", ".jpe", ".jfif"}),
    TIFF: frozenset({".tif", ".tiff"}),
    WEBP: frozenset({".webp"}),
    TEXT: frozenset({".txt", ".text"}),
    HTML: frozenset({".html", ".htm", ".xhtml"}),
    MARKDOWN: frozenset({".md", ".markdown"}),
    ZIP: frozenset({".zip"}),
}

# Word saves RTF, HTML ("Web page") and DOCX under ".doc" when asked to, and
# users rename freely between them: not a mislabelled upload, the content decides.
_ALSO_ACCEPTED: dict[str, frozenset[str]] = {
    RTF: frozenset({".doc"}),
    HTML: frozenset({".doc"}),
    DOCX: frozenset({".doc"}),
}

HEAD_SIZE = 8192
DOCX_MAIN_PART = "word/document.xml"
_ODT_MIMETYPE = ODT.encode()
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Word 97-2003 keeps its text in a stream of this name; the OLE directory stores
# names in UTF-16LE. Excel/Outlook OLE files have no such stream.
_WORD_STREAM = "WordDocument".encode("utf-16-le")
# Read at most this much of an OLE file to find the directory entry (the
# directory of a CV-sized file sits well within it).
_OLE_SCAN_BYTES = 32 * 1024 * 1024

_HTML_START = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])", re.I | re.S)
_HTML_BODY = re.compile(rb"<(?:body|head)[\s>]", re.I)
_MD_HEADING = re.compile(r"^#{1,6}[ \t]+\S", re.M)
_MD_SETEXT = re.compile(r"^[^\s#].*\n(?:={3,}|-{3,})[ \t]*$", re.M)
_MD_INLINE = re.compile(r"\*\*[^*\n]+\*\*|__[^_\n]+__|\[[^\]\n]+\]\([^)\s]+\)|^[ \t]*[-*+][ \t]+\S", re.M)


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


def _text_kind(head: bytes) -> str:
    """Plain text, HTML or Markdown, from the markup the head shows."""
    if _HTML_START.match(head) or _HTML_BODY.search(head):
        return HTML
    text = head.decode("utf-8", errors="ignore")
    if _MD_HEADING.search(text) or _MD_SETEXT.search(text):
        return MARKDOWN
    # Bullets alone are common in plain CVs: Markdown needs two kinds of markup.
    if len({match.group(0)[:2] for match in _MD_INLINE.finditer(text)}) >= 2 and (
        "**" in text or "](" in text or "__" in text
    ):
        return MARKDOWN
    return TEXT


def sniff_mime(head: bytes) -> str | None:
    """Detect the MIME type from the first bytes of a file (``HEAD_SIZE`` is enough).

    A ZIP counts as DOCX or ODT only when the head shows it (``word/document.xml``
    entry, or ODF's leading ``mimetype`` entry), and an OLE file as DOC only
    when the head shows its ``WordDocument`` stream; use :func:`sniff_stream`
    or :func:`sniff_file` when the whole file is available.
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
        if DOCX_MAIN_PART.encode() in head:
            return DOCX
        # ODF stores an uncompressed "mimetype" entry first (ODF 1.2, 3.3).
        if head[30:38] == b"mimetype" and head[38:38 + len(_ODT_MIMETYPE)] == _ODT_MIMETYPE:
            return ODT
        return ZIP
    if head.startswith(_OLE_MAGIC):
        return DOC if _WORD_STREAM in head else OLE
    body = head.removeprefix(b"\xef\xbb\xbf")
    # RTF is 7-bit text with escapes, but may carry raw 8-bit bytes of its code page.
    if body.lstrip().startswith(b"{\\rtf"):
        return RTF
    if _is_text(body):
        return _text_kind(body)
    return None


def sniff_stream(stream: IO[bytes]) -> str | None:
    """Detect the MIME type of a seekable binary stream; its position is restored to 0.

    Reads the ZIP directory (DOCX/ODT parts may be stored past the head) and scans
    an OLE file for Word's stream.
    """
    stream.seek(0)
    head = stream.read(HEAD_SIZE)
    mime = sniff_mime(head)
    try:
        if mime == ZIP:
            stream.seek(0)
            mime = _zip_kind(stream)
        elif mime == OLE:
            stream.seek(0)
            if _WORD_STREAM in stream.read(_OLE_SCAN_BYTES):
                mime = DOC
    finally:
        stream.seek(0)
    return mime


def _zip_kind(stream: IO[bytes]) -> str:
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
            if DOCX_MAIN_PART in names:
                return DOCX
            if (
                {"content.xml", "mimetype"} <= names
                and archive.getinfo("mimetype").file_size < 100
                and archive.read("mimetype").strip() == _ODT_MIMETYPE
            ):
                return ODT
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, EOFError):
        pass
    return ZIP


def sniff_file(path: str | Path) -> str | None:
    """Detect the MIME type of a file on disk (see :func:`sniff_stream`)."""
    with open(path, "rb") as fh:
        return sniff_stream(fh)


def extension_matches(filename: str, mime: str) -> bool:
    """Whether the file name's extension is one expected for the sniffed type."""
    suffix = Path(filename).suffix.lower()
    if mime in TEXT_FAMILY:
        return any(suffix in EXTENSIONS_FOR_MIME[kind] for kind in TEXT_FAMILY)
    return suffix in EXTENSIONS_FOR_MIME.get(mime, frozenset()) | _ALSO_ACCEPTED.get(mime, frozenset())
