"""Sniffing and reading of DOC, RTF, ODT, HTML and Markdown CVs (no database, no worker)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from cvs.extraction import sniff
from cvs.extraction.errors import ExtractionError
from cvs.extraction.markup_text import html_to_text, markdown_to_text
from cvs.extraction.office_text import rtf_to_text
from cvs.extraction.providers import extract_structured
from cvs.extraction.text import extract_text

SAMPLES = Path(__file__).with_name("samples")
EXPECTED_MIME = {
    "cv.doc": sniff.DOC,
    "cv.rtf": sniff.RTF,
    "cv.odt": sniff.ODT,
    "cv.html": sniff.HTML,
    "cv.md": sniff.MARKDOWN,
}


def _ods_bytes() -> bytes:
    """A spreadsheet: an ODF ZIP, but not a text document."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


OLE_NOT_WORD = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024 + "Workbook".encode("utf-16-le") + b"\x00" * 512


@pytest.mark.parametrize("name", sorted(EXPECTED_MIME))
def test_samples_are_sniffed_from_content_whatever_their_name(name, tmp_path):
    data = (SAMPLES / name).read_bytes()
    renamed = tmp_path / "upload.bin"
    renamed.write_bytes(data)
    assert sniff.sniff_file(renamed) == EXPECTED_MIME[name]
    with open(renamed, "rb") as stream:
        assert sniff.sniff_stream(stream) == EXPECTED_MIME[name]
        assert stream.tell() == 0
    assert sniff.extension_matches(name, EXPECTED_MIME[name])


@pytest.mark.parametrize(("data", "mime"), [
    (OLE_NOT_WORD, sniff.OLE),
    (_ods_bytes(), sniff.ZIP),
    (b"{\\rtf1\\ansi Hello}", sniff.RTF),
    (b"<p>Jane Doe</p><p>Engineer</p>\n<body>", sniff.HTML),
    (b"<?xml version='1.0'?>\n<!DOCTYPE html><html><body>x</body></html>", sniff.HTML),
    (b"Jane Doe\n- Python\n- Django\n", sniff.TEXT),  # bullets alone are plain text
    (b"Jane Doe\n\n## Experience\n", sniff.MARKDOWN),
    (b"Jane Doe\n========\n\n**Python** and [site](https://x.org)\n", sniff.MARKDOWN),
])
def test_sniff_tells_close_formats_apart(data, mime, tmp_path):
    path = tmp_path / "f"
    path.write_bytes(data)
    assert sniff.sniff_file(path) == mime
    assert (mime in sniff.SUPPORTED_MIMES) == (mime not in (sniff.OLE, sniff.ZIP))


def test_word_aliases_and_text_family_are_not_mismatches():
    assert sniff.extension_matches("cv.doc", sniff.RTF)  # Word's "save as .doc" of an RTF
    assert sniff.extension_matches("cv.txt", sniff.MARKDOWN)
    assert sniff.extension_matches("cv.md", sniff.TEXT)
    assert not sniff.extension_matches("cv.pdf", sniff.RTF)
    assert not sniff.extension_matches("cv.odt", sniff.DOC)


@pytest.mark.parametrize("name", sorted(EXPECTED_MIME))
def test_samples_read_into_name_email_and_both_jobs(name):
    extracted = extract_text(SAMPLES / name, EXPECTED_MIME[name])
    assert "<" not in extracted.text and "**" not in extracted.text and "\\" not in extracted.text
    data = extract_structured(extracted.text).data
    data = data if isinstance(data, dict) else data.model_dump()
    assert data["contact_info"]["name"] == "Sofía Herrera Gómez"
    assert data["contact_info"]["email"] == "sofia.herrera@example.org"
    jobs = [(job["title"], job["company"], job["start_date"]) for job in data["experience"]]
    assert jobs == [
        ("Senior Data Engineer", "Nimbus Analytics S.L.", "2021-03"),
        ("Data Analyst", "Banco Meridiano", "2017-09"),
    ]
    assert {"Python", "SQL", "Apache Spark"} <= set(data["skills"])


def test_html_drops_scripts_styles_and_keeps_blocks():
    text, has_tables = html_to_text(
        "<html><head><title>T</title><style>p{color:red}</style></head><body>"
        "<script>var leak = 'secret@example.com';</script><h1>Ana Ruiz</h1><p>ana@<b>example</b>.com</p>"
        "<h2>Skills</h2><ul><li>SQL</li><li>Go<br>Rust</li></ul>"
        "<table><tr><td>2020</td><td>ACME</td></tr></table><!-- a comment --></body></html>"
    )
    assert text.splitlines() == ["Ana Ruiz", "ana@example.com", "", "Skills", "• SQL", "• Go", "Rust", "2020", "ACME"]
    assert has_tables


def test_markdown_headings_become_section_breaks_and_markup_goes():
    text, _ = markdown_to_text("# Ana Ruiz\n**Backend** engineer, [site](https://a.dev)\n## Skills\n* `SQL`\n")
    assert text.splitlines() == ["Ana Ruiz", "Backend engineer, site", "", "Skills", "• SQL"]


def test_rtf_code_pages_unicode_and_skipped_destinations():
    raw = (
        b"{\\rtf1\\ansi\\ansicpg1252\\uc1{\\fonttbl{\\f0 Arial;}}{\\colortbl;\\red0\\green0\\blue0;}"
        b"{\\*\\generator Writer}{\\info{\\author Someone Else}}"
        b"Jos\\'e9 P\\'e9rez\\par ingeniero\\tab Madrid\\line \\u26446?\\u26126?\\par "
        b"{\\field{\\*\\fldinst HYPERLINK \"mailto:x@y.z\"}{\\fldrslt jose@example.com}}\\par"
        b"\\trowd\\cellx1000 A\\cell B\\cell\\row}"
    )
    assert rtf_to_text(raw).splitlines() == ["José Pérez", "ingeniero\tMadrid", "李明", "jose@example.com", "A", "B"]
    chinese = b"{\\rtf1\\ansi\\ansicpg936 \\'c0\\'ee\\'c3\\'f7\\par}"
    assert rtf_to_text(chinese) == "李明"


def test_broken_inputs_fail_with_stable_codes(tmp_path):
    broken_doc = tmp_path / "broken.doc"
    broken_doc.write_bytes(OLE_NOT_WORD.replace(b"W\x00o\x00r\x00k", "WordDocument".encode("utf-16-le")[:8]))
    odt = tmp_path / "ods.odt"
    odt.write_bytes(_ods_bytes().replace(b"content.xml", b"content.xmx"))
    for path, mime in ((broken_doc, sniff.DOC), (odt, sniff.ODT)):
        with pytest.raises(ExtractionError) as caught:
            extract_text(path, mime)
        assert caught.value.code in {"corrupt_file", "unsupported_type"}
