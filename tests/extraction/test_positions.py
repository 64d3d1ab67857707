"""Evidence positions: the page box (PDF, image) or paragraph (DOCX, other text formats) of each value.

Fixtures are made here at known positions; the expected boxes come from an independent source
(PyMuPDF's own text search for PDFs, Pillow's text box for the drawn image), not from our text map.
"""

from pathlib import Path

import docx
import jsonschema
import pymupdf
from PIL import ImageDraw

from cvs.extraction import sniff
from cvs.extraction.evidence import build_evidence
from cvs.extraction.positions import TextMap, line_paragraphs
from cvs.extraction.schema import load_json_schema
from cvs.extraction.text import extract_text

from .helpers import font, two_column_pdf


def _iou(a: list[float], b: tuple[float, float, float, float]) -> float:
    ix = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union else 0.0


def _evidence(path: Path, mime: str, data: dict) -> dict:
    extracted = extract_text(path, mime)
    evidence = build_evidence(data, extracted.text, text_map=extracted.text_map.to_json())
    jsonschema.validate(evidence, load_json_schema()["$defs"]["evidence"])
    return evidence


def test_pdf_values_get_their_page_and_box(tmp_path: Path) -> None:
    doc = pymupdf.open()
    first = doc.new_page(width=595, height=842)
    first.insert_text((72, 80), "Jane Doe", fontsize=22)
    first.insert_text((72, 110), "jane.doe@example.com  |  +44 20 7946 0958", fontsize=10)
    first.insert_text((72, 160), "EXPERIENCE", fontsize=12)
    first.insert_text((72, 180), "Data Engineer at Acme Analytics Ltd", fontsize=10)
    second = doc.new_page(width=595, height=842)
    second.insert_text((300, 400), "EDUCATION", fontsize=12)
    second.insert_text((300, 420), "University of Leeds, BSc Computer Science", fontsize=10)
    path = tmp_path / "cv.pdf"
    doc.save(path)
    data = {
        "contact_info": {"name": "Jane Doe", "email": "jane.doe@example.com"},
        "experience": [{"title": "Data Engineer", "company": "Acme Analytics Ltd"}],
        "education": [{"institution": "University of Leeds"}],
    }
    evidence = _evidence(path, sniff.PDF, data)

    with pymupdf.open(path) as reopened:
        for pointer, page in (("/contact_info/name", 1), ("/contact_info/email", 1), ("/experience/0/title", 1),
                              ("/experience/0/company", 1), ("/education/0/institution", 2)):
            entry = evidence[pointer]
            truth = reopened[page - 1].search_for(data_value(data, pointer))[0]
            assert entry["page"] == page, pointer
            # Part of a line (the e-mail, the company after "at") is placed by interpolation in its span.
            assert _iou(entry["bbox"], tuple(truth)) > 0.7, (pointer, entry["bbox"], truth)


def data_value(data: dict, pointer: str) -> str:
    node: object = data
    for part in pointer.split("/")[1:]:
        node = node[int(part)] if isinstance(node, list) else node[part]  # type: ignore[index]
    assert isinstance(node, str)
    return node


def test_two_column_pdf_boxes_follow_the_reading_order(tmp_path: Path) -> None:
    left = ["CONTACT", "jane@example.com", "SKILLS", "Python", "Kubernetes"]
    right = ["EXPERIENCE", "Data Engineer at Acme Analytics Ltd", "Jan 2021 - Present", "Backend Developer at Globex"]
    path = two_column_pdf(tmp_path / "cv.pdf", left, right, banner="Jane Doe")
    evidence = _evidence(path, sniff.PDF, {"skills": ["Kubernetes"], "experience": [{"company": "Globex"}]})
    kubernetes, globex = evidence["/skills/0"]["bbox"], evidence["/experience/0/company"]["bbox"]
    assert kubernetes[0] < 100 < 230 <= globex[0] + 1  # the sidebar is left, the main column starts at x=230
    with pymupdf.open(path) as reopened:
        assert _iou(globex, tuple(reopened[0].search_for("Globex")[0])) > 0.6


def test_multi_line_value_gets_the_union_box_on_its_first_page() -> None:
    text_map = TextMap(boxes=[(0, 10, 1, 50, 100, 150, 112), (11, 20, 1, 50, 114, 140, 126), (22, 30, 2, 50, 50, 120, 62)])
    # From x=70 on the first line to the end of the second: the union reaches back to the second line's start.
    assert text_map.position([2, 15]) == {"page": 1, "bbox": [50.0, 100.0, 150.0, 126.0]}
    # Pieces on a later page are not in the box.
    assert text_map.position([12, 28])["bbox"] == [60.0, 114.0, 140.0, 126.0]
    assert text_map.position([20, 22]) == {}  # between pieces: the separator has no box


def test_docx_values_get_paragraph_cell_and_part(tmp_path: Path) -> None:
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "Jane Doe"
    document.add_paragraph("Senior Data Engineer")
    document.add_paragraph("")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "2021 - Present"
    table.cell(0, 1).text = "Data Engineer at Acme Analytics Ltd"
    table.cell(1, 0).text = "2017 - 2020"
    table.cell(1, 1).text = "Backend Developer at Globex"
    document.add_paragraph("SKILLS")
    document.add_paragraph("Python, Kubernetes")
    path = tmp_path / "cv.docx"
    document.save(path)
    data = {"contact_info": {"name": "Jane Doe"}, "headline": "Senior Data Engineer",
            "experience": [{"company": "Acme Analytics Ltd"}, {"company": "Globex"}], "skills": ["Kubernetes"]}
    evidence = _evidence(path, sniff.DOCX, data)

    assert evidence["/contact_info/name"]["paragraph"] == 0 and evidence["/contact_info/name"]["part"] == "header"
    assert evidence["/headline"]["paragraph"] == 0 and "part" not in evidence["/headline"]
    # Body w:p in XML order: headline 0, empty 1, the four cells 2-5, SKILLS 6, skills line 7.
    assert evidence["/experience/0/company"]["paragraph"] == 3
    assert evidence["/experience/0/company"]["cell"] == [0, 0, 1]
    assert evidence["/experience/1/company"]["cell"] == [0, 1, 1]
    assert evidence["/skills/0"]["paragraph"] == 7 and "cell" not in evidence["/skills/0"]
    assert "page" not in evidence["/skills/0"]


def test_image_boxes_are_in_pixels_of_the_image_as_given(tmp_path: Path) -> None:
    from PIL import Image

    width, height = 1400, 1000
    img = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(img)
    face = font(40)
    lines = ["Jane Doe", "Senior Data Engineer", "jane.doe@example.com", "EXPERIENCE", "Acme Analytics Ltd 2021 - 2024"]
    boxes = {}
    for index, line in enumerate(lines):
        position = (80, 80 + index * 70)
        draw.text(position, line, fill=0, font=face)
        boxes[line] = draw.textbbox(position, line, font=face)
    # Sideways, as a phone photo: OCR turns it upright, the evidence box must fit the file as given.
    # PIL's rotate(90) is counter-clockwise: (x, y) goes to (y, width - x).
    turned = img.rotate(90, expand=True, fillcolor=255)
    path = tmp_path / "cv.png"
    turned.save(path)
    evidence = _evidence(path, sniff.PNG, {"contact_info": {"email": "jane.doe@example.com"},
                                           "experience": [{"company": "Acme Analytics Ltd"}]})

    x0, y0, x1, y1 = boxes["jane.doe@example.com"]
    assert evidence["/contact_info/email"]["page"] == 1
    assert _iou(evidence["/contact_info/email"]["bbox"], (y0, width - x1, y1, width - x0)) > 0.6
    # "Acme Analytics Ltd" is three of the line's words: their own boxes, not the line's.
    company = evidence["/experience/0/company"]["bbox"]
    full = boxes["Acme Analytics Ltd 2021 - 2024"]
    # Turned, the line runs bottom to top: the company (its start) is the lower part, the years stay out.
    assert company[3] > width - full[0] - 10
    assert company[1] > width - full[2] + 0.3 * (full[2] - full[0])


def test_line_based_formats_get_the_line_as_paragraph(tmp_path: Path) -> None:
    text = "Jane Doe\n\nSenior Data Engineer\nPython, Kubernetes\n"
    assert line_paragraphs(text).position([text.index("Kubernetes"), len(text) - 1]) == {"paragraph": 2}
    path = tmp_path / "cv.md"
    path.write_text("# Jane Doe\n\nSenior Data Engineer at Acme\n\n- Python\n- Kubernetes\n", encoding="utf-8")
    evidence = _evidence(path, sniff.MARKDOWN, {"skills": ["Kubernetes"], "contact_info": {"name": "Jane Doe"}})
    assert evidence["/contact_info/name"]["paragraph"] == 0
    assert evidence["/skills/0"]["paragraph"] >= 2


SOURCE_TEXT = """Data Engineer
Jane Doe · +44 20 7946 0958
EXPERIENCE
Backend Developer at Globex
Mar 2017 - Dec 2020
Data Engineer at Acme Analytics Ltd
Jan 2021 - Present
EDUCATION
University of Leeds, BSc Computer Science, 2016
SKILLS
Postgres, Kubernetes
Built streaming pipelines for billing and fraud detection across three countries, with alerts on every stage."""


def test_normalised_values_are_located_by_their_source_form() -> None:
    data = {
        "headline": "Data Engineer",
        "contact_info": {"name": "Jane Doe", "phone": "+44 20 7946 0958", "phone_e164": "+442079460958"},
        "experience": [
            {"title": "Backend Developer", "company": "Globex", "start_date": "2017-03", "end_date": "2020-12"},
            {"title": "Data Engineer", "company": "Acme Analytics Ltd", "start_date": "2021-01", "end_date": "2026-10",
             "is_current": True},
        ],
        "education": [{"institution": "University of Leeds", "level": "bachelor"}],
        "education_level": "bachelor",
        "skills": ["PostgreSQL", "Kubernetes"],
        "language": "en",
    }
    evidence = build_evidence(data, SOURCE_TEXT)
    jsonschema.validate(evidence, load_json_schema()["$defs"]["evidence"])

    def source(pointer: str) -> str:
        start, end = evidence[pointer]["span"]
        return SOURCE_TEXT[start:end]

    assert all(entry["span"] is not None for entry in evidence.values())
    assert source("/experience/0/start_date") == "Mar 2017" and source("/experience/0/end_date") == "Dec 2020"
    assert source("/experience/1/start_date") == "Jan 2021" and source("/experience/1/end_date") == "Present"
    assert evidence["/experience/1/end_date"]["match"] == "normalised"
    # The job's title is the one in the job, not the headline above it.
    assert evidence["/experience/1/title"]["span"][0] > SOURCE_TEXT.index("Acme") - 20
    assert evidence["/headline"]["span"][0] == 0
    assert source("/education/0/level") == "BSc" and source("/education_level") == "BSc"
    assert source("/contact_info/phone_e164") == "+44 20 7946 0958"
    assert source("/skills/0") == "Postgres"
    assert evidence["/language"]["match"] == "derived"


def test_ocr_misreads_and_joined_values_are_located_loosely() -> None:
    text = "Jane Doe\nFastAP1 developer\nBuilt streaming pipelines for billing and\nfraud detection.\nOther line."
    data = {"skills": ["FastAPI"], "experience": [{"description": "Built streaming pipelines for billing and fraud "
                                                   "detection. Alerts on every stage of the platform."}],
            "contact_info": {"email": "nobody@example.com"}}
    evidence = build_evidence(data, text)
    assert evidence["/skills/0"]["match"] == "fuzzy"
    assert text[slice(*evidence["/skills/0"]["span"])] == "FastAP1"
    assert evidence["/experience/0/description"]["match"] == "partial"
    assert text[slice(*evidence["/experience/0/description"]["span"])].startswith("Built streaming")
    # An e-mail the text does not hold is not made up from a near miss.
    assert evidence["/contact_info/email"]["span"] is None and evidence["/contact_info/email"]["match"] == "none"


def test_a_period_is_located_by_its_dates_printed_another_way() -> None:
    text = "Globex\n03/2017 - 12/2020\nAcme Analytics Ltd\n01/2021 -- present"
    data = {"experience": [{"company": "Globex", "period": "Mar 2017 – Dec 2020"},
                           {"company": "Acme Analytics Ltd", "period": "Jan 2021 – Present"}]}
    evidence = build_evidence(data, text)
    assert text[slice(*evidence["/experience/0/period"]["span"])] == "03/2017 - 12/2020"
    assert text[slice(*evidence["/experience/1/period"]["span"])] == "01/2021 -- present"


def test_a_rotated_scanned_pdf_page_gets_boxes_in_the_unrotated_page(tmp_path: Path) -> None:
    """OCR reads the page as displayed; its boxes come back in the page's own (unrotated) points,
    the space a text layer uses, so every PDF box shares one coordinate space."""
    from PIL import Image

    img = Image.new("L", (1190, 1684), 255)  # two pixels per point of an A4 page
    draw = ImageDraw.Draw(img)
    face = font(40)
    lines = ["Jane Doe", "Senior Data Engineer", "jane.doe@example.com", "EXPERIENCE", "Acme Analytics Ltd 2021 - 2024"]
    boxes = {}
    for index, line in enumerate(lines):
        position = (120, 160 + index * 80)
        draw.text(position, line, fill=0, font=face)
        boxes[line] = [v / 2 for v in draw.textbbox(position, line, font=face)]
    scan = tmp_path / "scan.png"
    img.save(scan)
    document = pymupdf.open()
    page = document.new_page(width=595, height=842)
    page.insert_image(page.rect, filename=str(scan))
    page.set_rotation(90)  # shown sideways, as a scanner that fed the sheet turned
    path = tmp_path / "cv.pdf"
    document.save(path)

    evidence = _evidence(path, sniff.PDF, {"contact_info": {"email": "jane.doe@example.com"}})

    assert evidence["/contact_info/email"]["page"] == 1
    assert _iou(evidence["/contact_info/email"]["bbox"], tuple(boxes["jane.doe@example.com"])) > 0.6
