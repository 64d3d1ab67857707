"""Test files built on the fly: real documents, and the bad inputs clients send."""

from __future__ import annotations

import io
import zipfile

import pymupdf
from docx import Document
from PIL import Image, ImageDraw, ImageFont

CV_LINES = [
    "Laura Martín",
    "laura.martin@example.com | +34 612 345 678 | Madrid",
    "Backend Engineer",
    "EXPERIENCE",
    "Backend Engineer at Acme Cloud S.L.",
    "Jan 2020 - Present",
    "Developed APIs in Python and Django on PostgreSQL.",
    "EDUCATION",
    "Universidad Politécnica de Madrid",
    "Master in Computer Science, 2019",
    "SKILLS",
    "Python, Django, PostgreSQL, Docker",
]


def pdf_bytes(lines: list[str] | None = None, pages: int = 1, pad_to: int = 0) -> bytes:
    doc = pymupdf.open()
    for _ in range(pages):
        page = doc.new_page()
        y = 72
        for line in lines or CV_LINES:
            page.insert_text((72, y), line, fontsize=11)
            y += 16
    data = doc.tobytes()
    doc.close()
    if pad_to and len(data) < pad_to:
        # Trailing bytes after %%EOF are ignored by readers: a realistic way to reach a size.
        data += b"\n%" + b"0" * (pad_to - len(data) - 2)
    return data


def encrypted_pdf_bytes() -> bytes:
    doc = pymupdf.open(stream=pdf_bytes(), filetype="pdf")
    data = doc.tobytes(encryption=pymupdf.PDF_ENCRYPT_AES_256, owner_pw="owner", user_pw="user")
    doc.close()
    return data


def docx_bytes(lines: list[str] | None = None) -> bytes:
    document = Document()
    for line in lines or CV_LINES:
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def image_bytes(lines: list[str] | None = None, fmt: str = "PNG", blank: bool = False) -> bytes:
    image = Image.new("RGB", (1240, 900), "white")
    if not blank:
        draw = ImageDraw.Draw(image)
        font = ImageFont.truetype("DejaVuSans.ttf", 28) if _has_dejavu() else ImageFont.load_default()
        y = 60
        for line in (lines or CV_LINES):
            draw.text((60, y), line, fill="black", font=font)
            y += 40
    buffer = io.BytesIO()
    image.save(buffer, fmt)
    return buffer.getvalue()


def _has_dejavu() -> bool:
    try:
        ImageFont.truetype("DejaVuSans.ttf", 10)
    except OSError:
        return False
    return True


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "not a docx")
    return buffer.getvalue()


def zip_bomb_docx_bytes() -> bytes:
    """A DOCX whose document part inflates to ~1 GB: tiny on the wire, huge in memory."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(1024):
                part.write(chunk)
    return buffer.getvalue()


def pixel_bomb_png_bytes() -> bytes:
    """A PNG that declares 50,000 × 50,000 pixels (2.5 gigapixels) in a few hundred KB."""
    import struct
    import zlib

    width = height = 50_000
    header = b"\x89PNG\r\n\x1a\n"

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    compressor = zlib.compressobj(9)
    row = b"\x00" + b"\x00" * (width // 8)
    body = b"".join(compressor.compress(row) for _ in range(2000)) + compressor.flush()
    return header + chunk(b"IHDR", ihdr) + chunk(b"IDAT", body) + chunk(b"IEND", b"")


def scanned_pdf_bytes(pages: int = 6) -> bytes:
    """An image-only PDF (no text layer), as a scanner makes: every page needs OCR."""
    png = image_bytes()
    doc = pymupdf.open()
    for _ in range(pages):
        page = doc.new_page(width=595, height=842)
        page.insert_image(page.rect, stream=png)
    data = doc.tobytes()
    doc.close()
    return data
