import io
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.shared import Inches
from PIL import Image

from cvs.extraction import sniff
from cvs.extraction.text import LAYOUT_MULTI_COLUMN, LAYOUT_TABLE, extract_text

from .helpers import HAN_FONT_PATHS, font, text_image, two_column_pdf


def test_two_column_pdf_reads_column_by_column(tmp_path: Path) -> None:
    left = ["CONTACT", "jane@example.com", "+44 20 7946 0958", "SKILLS", "Python", "Docker", "Kubernetes"]
    right = [
        "EXPERIENCE",
        "Data Engineer at Acme Analytics Ltd",
        "Jan 2021 - Present",
        "Built streaming pipelines for billing and fraud",
        "Backend Developer at Globex Corporation",
        "Mar 2017 - Dec 2020",
        "Designed payment APIs used by millions of users",
    ]
    path = two_column_pdf(tmp_path / "cv.pdf", left, right, banner="Jane Doe")
    result = extract_text(path, sniff.PDF)
    lines = result.text.splitlines()
    assert result.layout_hint == LAYOUT_MULTI_COLUMN
    assert lines[0] == "Jane Doe"
    # Each column is contiguous: no interleaving line by line.
    assert lines[1 : 1 + len(left)] == left
    assert lines[1 + len(left) :] == right


def test_aligned_grid_reads_row_by_row(tmp_path: Path) -> None:
    # A dates column beside job entries (a table exported to PDF): one date per entry.
    dates, jobs = [], []
    for start, title in ((2021, "Engineer, Acme Ltd"), (2018, "Developer, Globex"), (2015, "Analyst, Initech")):
        dates += [f"{start} - {start + 3}", "", ""]
        jobs += [title, "Built internal tools for the finance team", "Python, PostgreSQL"]
    path = two_column_pdf(tmp_path / "grid.pdf", dates, jobs)
    lines = extract_text(path, sniff.PDF).text.splitlines()
    assert lines[:3] == [
        "2021 - 2024 | Engineer, Acme Ltd",
        "Built internal tools for the finance team",
        "Python, PostgreSQL",
    ]


def _textbox_xml(text: str) -> str:
    # A DrawingML text box with its VML fallback, as Word writes it.
    para = f'<w:p><w:r><w:t>{text}</w:t></w:r></w:p>'
    return (
        '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
        ' xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
        ' xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'
        ' xmlns:v="urn:schemas-microsoft-com:vml">'
        "<mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><wps:wsp><wps:txbx>"
        f"<w:txbxContent>{para}</w:txbxContent>"
        "</wps:txbx></wps:wsp></w:drawing></mc:Choice>"
        "<mc:Fallback><w:pict><v:shape><v:textbox>"
        f"<w:txbxContent>{para}</w:txbxContent>"
        "</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
    )


def _png(size: tuple[int, int]) -> io.BytesIO:
    buf = io.BytesIO()
    Image.new("RGB", size, (200, 180, 160)).save(buf, format="PNG")
    buf.seek(0)
    return buf


def test_docx_tables_textboxes_headers_and_photos(tmp_path: Path) -> None:
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "Jane Doe — Curriculum Vitae"
    document.sections[0].footer.paragraphs[0].text = "jane@example.com"
    document.add_paragraph("Data Engineer")
    anchor = document.add_paragraph("Profile")
    anchor._p.append(parse_xml(_textbox_xml("Text box: London, UK")))
    document.add_paragraph("EXPERIENCE")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "2021 - Present"
    table.cell(0, 1).text = "Data Engineer at Acme Analytics Ltd"
    table.cell(1, 0).text = "2017 - 2020"
    table.cell(1, 1).text = "Backend Developer at Globex"
    document.add_paragraph("SKILLS")
    document.add_picture(_png((300, 380)), width=Inches(1))
    document.add_picture(_png((16, 16)), width=Inches(0.2))
    path = tmp_path / "cv.docx"
    document.save(path)

    result = extract_text(path, sniff.DOCX)
    lines = result.text.splitlines()
    assert lines[0] == "Jane Doe — Curriculum Vitae"
    assert lines[-1] == "jane@example.com"
    assert result.text.count("Text box: London, UK") == 1
    assert lines.index("Profile") < lines.index("Text box: London, UK") < lines.index("EXPERIENCE")
    cells = ["2021 - Present", "Data Engineer at Acme Analytics Ltd", "2017 - 2020", "Backend Developer at Globex"]
    start = lines.index(cells[0])
    assert lines[start : start + 4] == cells
    assert lines.index("SKILLS") > start
    assert result.layout_hint == LAYOUT_TABLE
    assert len(result.photos) == 1


def test_rotated_image_is_read(tmp_path: Path) -> None:
    img = text_image(
        ["Jane Doe", "Senior Data Engineer", "jane.doe@example.com", "EXPERIENCE", "Acme Analytics Ltd 2021 - 2024"]
    )
    # Sideways page with a slight skew, as a phone photo or a careless scan.
    img = img.rotate(90, expand=True, fillcolor=255).rotate(2.5, expand=True, fillcolor=255)
    path = tmp_path / "cv.png"
    img.save(path)
    result = extract_text(path, sniff.PNG)
    assert result.ocr_used
    assert "Jane Doe" in result.text
    assert "jane.doe@example.com" in result.text
    assert "EXPERIENCE" in result.text


def test_chinese_image_is_read_with_the_chinese_model(tmp_path: Path) -> None:
    if font(30, HAN_FONT_PATHS) is None:
        pytest.skip("no CJK font installed")
    lines = ["王小明", "数据分析师", "工作经历", "深圳云帆科技有限公司", "负责数据仓库建设和报表开发工作", "教育背景", "浙江大学"]
    img = text_image(lines, size=(1400, 1200), font_size=40, paths=HAN_FONT_PATHS)
    path = tmp_path / "zh.png"
    img.save(path)
    text = extract_text(path, sniff.PNG).text
    assert "工作经历" in text and "深圳云帆科技有限公司" in text and "浙江大学" in text


def test_scanned_pdf_page_goes_through_ocr(tmp_path: Path) -> None:
    import pymupdf

    img = text_image(["Maria Lopez", "Analista de Datos", "EXPERIENCIA", "Banco Andaluz S.A."], size=(1700, 2200))
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    page.insert_image(page.rect, stream=buf.getvalue())
    path = tmp_path / "scan.pdf"
    doc.save(path)
    doc.close()
    result = extract_text(path, sniff.PDF)
    assert result.ocr_used and result.layout_hint == "scan"
    assert "Maria Lopez" in result.text and "Banco Andaluz" in result.text
    assert result.photos == []


def test_pdf_portrait_photo_is_returned(tmp_path: Path) -> None:
    import pymupdf

    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    page.insert_text((40, 60), "Jane Doe — Data Engineer — jane@example.com", fontsize=12)
    page.insert_image(pymupdf.Rect(450, 40, 550, 170), stream=_png((240, 300)).getvalue())
    page.insert_image(pymupdf.Rect(40, 100, 52, 112), stream=_png((24, 24)).getvalue())  # an icon
    path = tmp_path / "photo.pdf"
    doc.save(path)
    doc.close()
    result = extract_text(path, sniff.PDF)
    assert len(result.photos) == 1
    assert Image.open(io.BytesIO(result.photos[0])).size == (240, 300)


def test_plain_text(tmp_path: Path) -> None:
    path = tmp_path / "cv.txt"
    path.write_bytes("\ufeffJosé Pérez\nIngeniero".encode())
    assert extract_text(path, sniff.TEXT).text == "José Pérez\nIngeniero"


def test_right_aligned_dates_stay_apart_from_the_title(tmp_path: Path) -> None:
    import pymupdf

    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    page.insert_text((40, 100), "Software Engineer, Acme Ltd", fontsize=11)
    page.insert_text((460, 100), "2020 - 2023", fontsize=11)
    path = tmp_path / "aligned.pdf"
    doc.save(path)
    doc.close()
    text = extract_text(path, sniff.PDF).text
    assert "Acme Ltd2020" not in text
    assert "2020 - 2023" in text


def test_running_headers_footers_and_page_numbers_are_dropped(tmp_path: Path) -> None:
    import pymupdf

    doc = pymupdf.open()
    body = [["Jane Doe", "EXPERIENCE", "Data Engineer at Acme Ltd", "2021 - Present"],
            ["Backend Developer at Globex", "2017 - 2020", "EDUCATION", "University of Leeds"]]
    for number, lines in enumerate(body, start=1):
        page = doc.new_page(width=595, height=842)
        page.insert_text((40, 30), "Jane Doe - Curriculum Vitae", fontsize=9)
        for i, line in enumerate(lines):
            page.insert_text((40, 120 + i * 20), line, fontsize=11)
        page.insert_text((260, 820), f"Page {number} of 2", fontsize=9)
    path = tmp_path / "two_pages.pdf"
    doc.save(path)
    doc.close()
    result = extract_text(path, sniff.PDF)
    lines = [ln for ln in result.text.splitlines() if ln.strip()]
    assert result.pages == 2
    assert lines.count("Jane Doe - Curriculum Vitae") == 1  # kept once, on page 1
    assert not any(ln.startswith("Page ") for ln in lines)
    assert lines[lines.index("2021 - Present") + 1] == "Backend Developer at Globex"
