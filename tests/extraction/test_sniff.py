import io
import zipfile
from pathlib import Path

import pymupdf
import pytest
from PIL import Image

from cvs.extraction import sniff


def _image_bytes(fmt: str) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buf, format=fmt)
    return buf.getvalue()


def _docx_bytes() -> bytes:
    import docx

    buf = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("Hello")
    document.save(buf)
    return buf.getvalue()


def _zip_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("notes.txt", "just a zip")
    return buf.getvalue()


def _pdf_bytes() -> bytes:
    doc = pymupdf.open()
    doc.new_page()
    data = doc.tobytes()
    doc.close()
    return data


@pytest.mark.parametrize(
    ("data", "mime"),
    [
        (_pdf_bytes(), sniff.PDF),
        (_image_bytes("PNG"), sniff.PNG),
        (_image_bytes("JPEG"), sniff.JPEG),
        (_image_bytes("TIFF"), sniff.TIFF),
        (_image_bytes("WEBP"), sniff.WEBP),
        ("Jane Doe\nEngineer — café\n".encode(), sniff.TEXT),
        (b"\x00\x01\x02binary", None),
        (b"", None),
        (_zip_bytes(), sniff.ZIP),
    ],
)
def test_sniff_head(data: bytes, mime: str | None) -> None:
    assert sniff.sniff_mime(data[: sniff.HEAD_SIZE]) == mime


def test_docx_needs_its_main_part(tmp_path: Path) -> None:
    docx_path = tmp_path / "cv.pdf"  # the extension lies; content decides
    docx_path.write_bytes(_docx_bytes())
    zip_path = tmp_path / "cv.docx"
    zip_path.write_bytes(_zip_bytes())
    assert sniff.sniff_file(docx_path) == sniff.DOCX
    assert sniff.sniff_file(zip_path) == sniff.ZIP
    assert sniff.ZIP not in sniff.SUPPORTED_MIMES


def test_extension_mismatch_is_reportable() -> None:
    assert sniff.extension_matches("cv.JPG", sniff.JPEG)
    assert not sniff.extension_matches("cv.pdf", sniff.PNG)
    assert all(sniff.EXTENSIONS_FOR_MIME[m] for m in sniff.SUPPORTED_MIMES)


def test_text_cut_mid_character_is_still_text() -> None:
    data = ("é" * 5000).encode()
    assert sniff.sniff_mime(data[: sniff.HEAD_SIZE - 1]) == sniff.TEXT
