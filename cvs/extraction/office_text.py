"""Legacy Word (.doc), RTF and OpenDocument (.odt) CVs as text with their block structure kept.

- ``.doc`` is read by Debian's ``antiword`` (a small C program; see docs/extraction.md
  for why not LibreOffice headless, measured): UTF-8 output, no line wrapping.
- RTF is read by the small parser below: paragraphs, line breaks, table cells and
  rows end lines; font/colour/style tables, pictures, field instructions and all
  ``\\*`` destinations are skipped; ``\\'hh`` bytes are decoded with the document's
  ``\\ansicpg`` code page (multi-byte pages such as 936 included) and ``\\uN`` as Unicode.
- ``.odt`` is read from ``content.xml`` after the same ZIP bomb checks as DOCX:
  headings (preceded by a blank line, as section breaks), paragraphs, list items
  (with a bullet), tables cell by cell, frames and text boxes in place.
"""

from __future__ import annotations

import codecs
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

from lxml import etree

from .docx_text import check_zip
from .errors import CORRUPT_FILE, UNSUPPORTED_TYPE, ExtractionError
from .markup_text import BULLET

# antiword takes ~10 ms on a CV; a file that keeps it busy this long is hostile.
ANTIWORD_TIMEOUT_S = 30


# ---------------------------------------------------------------- DOC


def extract_doc(path: str | Path) -> tuple[str, int]:
    """Return (text, pages) of a Word 97-2003 document."""
    binary = shutil.which("antiword")
    if binary is None:
        # A deployment fault, not the client's: bin/setup installs antiword.
        raise RuntimeError("antiword is not installed; run bin/setup")
    try:
        done = subprocess.run(  # noqa: S603 - fixed binary, the path is an argument, no shell
            [binary, "-m", "UTF-8.txt", "-w", "0", str(path)],
            capture_output=True,
            timeout=ANTIWORD_TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise ExtractionError(CORRUPT_FILE, "The Word document could not be read in time.") from exc
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", errors="replace")
        if "not a Word Document" in message or "Rich Text Format" in message:
            raise ExtractionError(UNSUPPORTED_TYPE, "The file is an Office file, but not a Word document.")
        if "Encrypted" in message or "encrypted" in message:
            raise ExtractionError(CORRUPT_FILE, "The Word document is password-protected.")
        raise ExtractionError(CORRUPT_FILE, "The Word document is damaged and cannot be read.")
    text = done.stdout.decode("utf-8", errors="replace")
    pages = text.count("\f") + 1
    lines: list[str] = []
    for line in text.replace("\f", "\n").splitlines():
        if line.startswith("|") and line.rstrip().endswith("|"):
            # antiword draws table rows as |cell|cell|: read them cell by cell, as DOCX tables are.
            lines.extend(cell.strip() for cell in line.strip().strip("|").split("|") if cell.strip())
        elif not line.strip().startswith("[pic]"):  # pictures antiword cannot render
            lines.append(line.rstrip())
    return "\n".join(_squeeze_blank(lines)), pages


def _squeeze_blank(lines: list[str]) -> list[str]:
    out: list[str] = []
    for line in lines:
        if line.strip() or (out and out[-1].strip()):
            out.append(line)
    while out and not out[-1].strip():
        out.pop()
    return out


# ---------------------------------------------------------------- RTF

_RTF_TOKEN = re.compile(
    rb"\\([a-zA-Z]{1,32})(-?\d{1,10})? ?"  # control word with optional parameter
    rb"|\\'([0-9a-fA-F]{2})"  # hex byte
    rb"|\\([^a-zA-Z])"  # control symbol
    rb"|([{}])"
    rb"|[\r\n]+"
    rb"|([^\\{}\r\n]+)"
)
_RTF_SKIP = frozenset({
    "fonttbl", "colortbl", "stylesheet", "info", "pict", "object", "listtable", "listoverridetable",
    "rsidtbl", "generator", "themedata", "colorschememapping", "datastore", "latentstyles", "xmlnstbl",
    "fldinst", "filetbl", "revtbl", "pgdsctbl", "mmathPr", "shpinst", "nonshppict",
})
_RTF_BREAKS = {"par": "\n", "line": "\n", "sect": "\n", "page": "\n", "row": "\n", "cell": "\n", "nestcell": "\n",
               "tab": "\t"}
_RTF_CHARS = {"emdash": "—", "endash": "–", "bullet": "•", "lquote": "‘", "rquote": "’", "ldblquote": "“",
              "rdblquote": "”", "emspace": " ", "enspace": " ", "qmspace": " "}
_RTF_SYMBOLS = {b"~": "\u00a0", b"_": "-", b"-": "", b"\\": "\\", b"{": "{", b"}": "}", b"\n": "\n", b"\r": "\n",
                b"\t": "\t"}


def _codec(codepage: int) -> str:
    name = f"cp{codepage}"
    try:
        codecs.lookup(name)
    except LookupError:
        return "cp1252"
    return name


def rtf_to_text(raw: bytes) -> str:
    """Plain text of an RTF document (see the module docstring)."""
    if not raw.lstrip().startswith(b"{\\rtf"):
        raise ExtractionError(CORRUPT_FILE, "The RTF document is damaged and cannot be read.")
    out: list[str] = []
    pending = bytearray()  # \'hh bytes decoded together: multi-byte code pages span several
    codec = "cp1252"
    skip_depth: int | None = None  # group depth below which everything is skipped
    depth = 0
    uc = 1
    uc_stack: list[int] = []
    to_skip = 0  # fallback characters still to drop after a \uN
    new_group = False

    def flush() -> None:
        if pending:
            out.append(pending.decode(codec, errors="replace"))
            pending.clear()

    for match in _RTF_TOKEN.finditer(raw):
        word, param, hexbyte, symbol, brace, text = match.groups()
        if brace == b"{":
            flush()
            depth += 1
            uc_stack.append(uc)
            new_group = True
            continue
        if brace == b"}":
            flush()
            depth -= 1
            uc = uc_stack.pop() if uc_stack else 1
            if skip_depth is not None and depth < skip_depth:
                skip_depth = None
            new_group = False
            continue
        starts_group, new_group = new_group, False
        if skip_depth is not None:
            continue
        if symbol == b"*" and starts_group:
            skip_depth = depth  # an ignorable destination: {\*\name ...}
            continue
        if word is not None:
            name = word.decode("ascii")
            if name in _RTF_SKIP:
                skip_depth = depth
                continue
            if name == "ansicpg" and param:
                codec = _codec(int(param))
                continue
            if name == "uc" and param is not None:
                uc = int(param)
                continue
            if name == "u" and param is not None:
                flush()
                value = int(param)
                value = value + 65536 if value < 0 else value
                # Word writes list bullets as Symbol-font glyphs in the private use area.
                out.append("•" if 0xF000 <= value <= 0xF0FF else chr(value))
                to_skip = uc
                continue
            if to_skip:
                to_skip = 0  # a control word ends the fallback text
            flush()
            if name in _RTF_BREAKS:
                out.append(_RTF_BREAKS[name])
            elif name in _RTF_CHARS:
                out.append(_RTF_CHARS[name])
            continue
        if hexbyte is not None:
            if to_skip:
                to_skip -= 1
                continue
            pending.append(int(hexbyte, 16))
            continue
        flush()
        if symbol is not None:
            if to_skip:
                to_skip -= 1
                continue
            out.append(_RTF_SYMBOLS.get(symbol, ""))
            continue
        if text:
            chunk = text.decode(codec, errors="replace")
            if to_skip:
                dropped = min(to_skip, len(chunk))
                chunk, to_skip = chunk[dropped:], to_skip - dropped
            out.append(chunk)
    flush()
    lines = [re.sub(r"[ \u00a0]+", " ", line).strip() for line in "".join(out).split("\n")]
    return "\n".join(_squeeze_blank(lines))


# ---------------------------------------------------------------- ODT

_TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_TABLE_NS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE_NS = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_T = f"{{{_TEXT_NS}}}"
_ODT_SKIP = frozenset({f"{_T}tracked-changes", f"{{{_OFFICE_NS}}}annotation", f"{_T}note-citation",
                       f"{_T}sequence-decls", f"{_T}variable-decls", f"{_T}user-field-decls"})
_ODT_PARAGRAPHS = frozenset({f"{_T}p", f"{_T}h"})


def _odt_inline(node: etree._Element, parts: list[str], boxes: list[etree._Element]) -> None:
    """Text of a paragraph's inline content; frames met on the way are collected for later."""
    if node.text:
        parts.append(node.text)
    for child in node:
        tag = child.tag
        if tag == f"{_T}s":
            parts.append(" " * int(child.get(f"{_T}c", "1") or 1))
        elif tag == f"{_T}tab":
            parts.append("\t")
        elif tag == f"{_T}line-break":
            parts.append("\n")
        elif tag in _ODT_SKIP or tag == f"{_T}note":
            pass
        elif any(grand.tag in _ODT_PARAGRAPHS for grand in child.iter()):
            boxes.append(child)  # a frame / text box holding its own paragraphs
        else:
            _odt_inline(child, parts, boxes)
        if child.tail:
            parts.append(child.tail)


def _odt_blocks(container: etree._Element, lines: list[str], bullet: bool = False) -> bool:
    """Lines of a body, cell, list or frame in document order; return whether a table was met."""
    has_table = False
    for child in container:
        tag = child.tag
        if tag in _ODT_SKIP:
            continue
        if tag in _ODT_PARAGRAPHS:
            parts: list[str] = []
            boxes: list[etree._Element] = []
            _odt_inline(child, parts, boxes)
            text = "".join(parts)
            if tag == f"{_T}h" and lines and lines[-1] != "":
                lines.append("")
            for index, line in enumerate(text.split("\n")):
                if line.strip():
                    lines.append((BULLET if bullet and index == 0 else "") + line.strip())
            for box in boxes:
                has_table = _odt_blocks(box, lines) or has_table
            bullet = False  # only a list item's first paragraph carries the bullet
        elif tag == f"{_T}list-item" or tag == f"{_T}list-header":
            has_table = _odt_blocks(child, lines, bullet=tag == f"{_T}list-item") or has_table
        elif tag == f"{{{_TABLE_NS}}}table":
            has_table = True
            for cell in child.iter(f"{{{_TABLE_NS}}}table-cell"):
                _odt_blocks(cell, lines)
        else:
            has_table = _odt_blocks(child, lines) or has_table
    return has_table


def extract_odt(path: str | Path) -> tuple[str, bool, int]:
    """Return (text, has_tables, pages) of an OpenDocument text after the ZIP safety checks."""
    check_zip(path, main_part="content.xml", kind="ODT")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        with zipfile.ZipFile(path) as archive:
            root = etree.fromstring(archive.read("content.xml"), parser)
            meta = archive.read("meta.xml") if "meta.xml" in archive.namelist() else b""
    except (zipfile.BadZipFile, OSError, KeyError, etree.XMLSyntaxError) as exc:
        raise ExtractionError(CORRUPT_FILE, "The ODT document is damaged and cannot be read.") from exc
    body = root.find(f"{{{_OFFICE_NS}}}body")
    lines: list[str] = []
    has_table = _odt_blocks(body if body is not None else root, lines)
    while lines and lines[-1] == "":
        lines.pop()
    found = re.search(rb'meta:page-count="(\d+)"', meta)
    pages = max(1, int(found.group(1))) if found else 1
    return "\n".join(lines), has_table, pages
