"""Every bad upload ends in an ExtractionError with a stable code, or in empty text."""

import os
import struct
import tempfile
import zipfile
import zlib
from pathlib import Path

import pymupdf
import pytest
from PIL import Image

from cvs.extraction import sniff
from cvs.extraction.errors import ExtractionError
from cvs.extraction.text import extract_text


def _code(path: Path, mime: str, **kwargs) -> str:
    with pytest.raises(ExtractionError) as info:
        extract_text(path, mime, **kwargs)
    assert info.value.message
    return info.value.code


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "cv.pdf"
    path.write_bytes(b"")
    assert _code(path, sniff.PDF) == "empty_file"


def test_corrupt_pdf(tmp_path: Path) -> None:
    path = tmp_path / "cv.pdf"
    path.write_bytes(b"%PDF-1.7\n" + os.urandom(2000))
    assert _code(path, sniff.PDF) == "corrupt_file"


def test_encrypted_pdf(tmp_path: Path) -> None:
    doc = pymupdf.open()
    doc.new_page().insert_text((72, 72), "secret CV")
    path = tmp_path / "locked.pdf"
    doc.save(path, encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="user", owner_pw="owner")
    doc.close()
    assert _code(path, sniff.PDF) == "encrypted_pdf"


def test_too_many_pages(tmp_path: Path) -> None:
    doc = pymupdf.open()
    for _ in range(500):
        doc.new_page()
    path = tmp_path / "long.pdf"
    doc.save(path)
    doc.close()
    assert _code(path, sniff.PDF, max_pages=50) == "too_many_pages"


def test_renamed_zip_is_not_a_docx(tmp_path: Path) -> None:
    path = tmp_path / "cv.docx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("readme.txt", "not a document")
    assert _code(path, sniff.DOCX) == "unsupported_type"


def test_garbage_docx(tmp_path: Path) -> None:
    path = tmp_path / "cv.docx"
    path.write_bytes(b"PK\x03\x04" + os.urandom(500))
    assert _code(path, sniff.DOCX) == "corrupt_file"


def test_zip_bomb_is_refused_before_inflating(tmp_path: Path) -> None:
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", "<w:document/>")
        # 200 MB of zeros deflates to ~200 KB: refused from the directory alone.
        with zf.open("word/media/zeros.bin", "w", force_zip64=True) as member:
            chunk = b"\0" * (1 << 20)
            for _ in range(200):
                member.write(chunk)
    assert path.stat().st_size < 2_000_000
    assert _code(path, sniff.DOCX) == "zip_bomb"


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG declaring a huge canvas, with a tiny (truncated) body."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 1000)) + chunk(b"IEND", b"")


def test_decompression_bomb_image(tmp_path: Path) -> None:
    path = tmp_path / "bomb.png"
    path.write_bytes(_png_header_only(60_000, 60_000))
    assert _code(path, sniff.PNG) == "image_too_large"


def test_corrupt_image(tmp_path: Path) -> None:
    path = tmp_path / "broken.jpg"
    path.write_bytes(b"\xff\xd8\xff\xe0" + os.urandom(300))
    assert _code(path, sniff.JPEG) == "corrupt_file"


def test_unsupported_type(tmp_path: Path) -> None:
    path = tmp_path / "cv.pdf"
    path.write_bytes(b"\x7fELF\x02\x01\x01" + os.urandom(100))
    assert sniff.sniff_file(path) is None
    assert _code(path, "application/octet-stream") == "unsupported_type"


def test_blank_image_is_not_an_error_and_leaves_no_temp_files(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "blank.png"
    Image.new("L", (1200, 1600), 255).save(path)
    private_tmp = tmp_path / "tmp"
    private_tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(private_tmp))
    result = extract_text(path, sniff.PNG)
    assert result.text.strip() == ""
    assert result.ocr_used and result.warnings == ["no_text"]
    assert list(private_tmp.iterdir()) == []


def test_pdf_without_text_or_images_is_empty(tmp_path: Path) -> None:
    doc = pymupdf.open()
    doc.new_page()
    path = tmp_path / "blank.pdf"
    doc.save(path)
    doc.close()
    result = extract_text(path, sniff.PDF)
    assert result.text == "" and result.pages == 1 and not result.ocr_used
