"""Write the repository's own sample CVs: fictional people, made here, free to ship.

    .venv/bin/python tests/samples/make_samples.py

Writes ``jane_doe.pdf`` (text PDF, ReportLab), ``carlos_ruiz.docx`` (python-docx) and ``li_wei.png``
(an image, so OCR runs) beside this file, each with its truth in ``<file>.json`` (the corpus format of
``../shared/corpus/README.md``), so ``evaluate_extraction tests/samples`` scores them too. bin/run's
printed curl line sends ``jane_doe.pdf``; tests may use them where a realistic CV is needed without
../shared. The output is committed; rerun after edits.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent

JANE = [
    ("Jane Doe", "title"),
    ("Senior Backend Engineer", "subtitle"),
    ("jane.doe@example.com | +1 415 555 0100 | San Francisco, CA", "body"),
    ("Summary", "heading"),
    ("Backend engineer with 8 years of experience building Python and Django services.", "body"),
    ("Experience", "heading"),
    ("Senior Backend Engineer, Acme Analytics — Jan 2020 – Present", "body"),
    ("Designed a multi-tenant REST API in Django and PostgreSQL serving 2,000 customers.", "body"),
    ("Software Engineer, Globex Corporation — Jun 2016 – Dec 2019", "body"),
    ("Built Celery data pipelines and Redis caching for reporting.", "body"),
    ("Education", "heading"),
    ("B.Sc. Computer Science, University of California, Berkeley — 2012 – 2016", "body"),
    ("Skills", "heading"),
    ("Python, Django, PostgreSQL, Redis, Celery, Docker, AWS", "body"),
    ("Languages", "heading"),
    ("English (native), Spanish (professional)", "body"),
]

CARLOS = [
    ("Carlos Ruiz", "title"),
    ("Data Analyst", "subtitle"),
    ("carlos.ruiz@example.org | +34 600 123 456 | Madrid, Spain", "body"),
    ("Experience", "heading"),
    ("Data Analyst, Iberia Retail S.A. — Mar 2019 – Present", "body"),
    ("Sales dashboards in SQL and Power BI; demand forecasting in Python (pandas).", "body"),
    ("Junior Analyst, Banco Ejemplo — Sep 2017 – Feb 2019", "body"),
    ("Education", "heading"),
    ("M.Sc. Statistics, Universidad Complutense de Madrid — 2015 – 2017", "body"),
    ("Skills", "heading"),
    ("SQL, Python, pandas, Power BI, Excel, statistics", "body"),
    ("Languages", "heading"),
    ("Spanish (native), English (fluent)", "body"),
]

LI = [
    "Li Wei",
    "Mechanical Engineer",
    "li.wei@example.net  +86 138 0000 0000  Shanghai",
    "",
    "EXPERIENCE",
    "Mechanical Engineer, Example Motors Co. 2018 - Present",
    "CAD design of battery housings in SolidWorks.",
    "",
    "EDUCATION",
    "B.Eng. Mechanical Engineering, Tongji University 2014 - 2018",
    "",
    "SKILLS",
    "SolidWorks, AutoCAD, MATLAB, FEA",
]


def _job(title: str, company: str, start: str, end: str | None) -> dict:
    return {"title": title, "company": company, "start": start, "end": end, "is_current": end is None}


# What each sample states, in the corpus truth format; kept beside the content above.
TRUTH = {
    "jane_doe.pdf": {
        "format": "pdf", "layout": "pdf", "language": "en",
        "contact_info": {"name": "Jane Doe", "email": "jane.doe@example.com", "phone": "+1 415 555 0100",
                         "location": "San Francisco, CA"},
        "headline": "Senior Backend Engineer",
        "experience": [_job("Senior Backend Engineer", "Acme Analytics", "2020-01", None),
                       _job("Software Engineer", "Globex Corporation", "2016-06", "2019-12")],
        "education": [{"institution": "University of California, Berkeley", "degree": "B.Sc.",
                       "field": "Computer Science", "end_year": 2016}],
        "skills": ["Python", "Django", "PostgreSQL", "Redis", "Celery", "Docker", "AWS"],
        "languages": ["English", "Spanish"],
    },
    "carlos_ruiz.docx": {
        "format": "docx", "layout": "docx", "language": "en",
        "contact_info": {"name": "Carlos Ruiz", "email": "carlos.ruiz@example.org", "phone": "+34 600 123 456",
                         "location": "Madrid, Spain"},
        "headline": "Data Analyst",
        "experience": [_job("Data Analyst", "Iberia Retail S.A.", "2019-03", None),
                       _job("Junior Analyst", "Banco Ejemplo", "2017-09", "2019-02")],
        "education": [{"institution": "Universidad Complutense de Madrid", "degree": "M.Sc.", "field": "Statistics",
                       "end_year": 2017}],
        "skills": ["SQL", "Python", "pandas", "Power BI", "Excel", "statistics"],
        "languages": ["Spanish", "English"],
    },
    "li_wei.png": {
        "format": "png", "layout": "png", "language": "en",
        "contact_info": {"name": "Li Wei", "email": "li.wei@example.net", "phone": "+86 138 0000 0000",
                         "location": "Shanghai"},
        "headline": "Mechanical Engineer",
        "experience": [_job("Mechanical Engineer", "Example Motors Co.", "2018", None)],
        "education": [{"institution": "Tongji University", "degree": "B.Eng.", "field": "Mechanical Engineering",
                       "end_year": 2018}],
        "skills": ["SolidWorks", "AutoCAD", "MATLAB", "FEA"],
    },
}


def write_truth() -> None:
    for name, truth in TRUTH.items():
        (HERE / f"{name}.json").write_text(json.dumps({"file": name, **truth}, indent=1, ensure_ascii=False) + "\n",
                                           encoding="utf-8")


def make_pdf(path: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    sizes = {"title": 20, "subtitle": 13, "heading": 12, "body": 10}
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)  # invariant: same bytes on every run
    pdf.setTitle("Jane Doe - CV")
    y = A4[1] - 60
    for text, style in JANE:
        if style == "heading":
            y -= 8
        pdf.setFont("Helvetica-Bold" if style in {"title", "heading"} else "Helvetica", sizes[style])
        pdf.drawString(56, y, text)
        y -= sizes[style] + 8
    pdf.save()


def make_docx(path: Path) -> None:
    import docx

    document = docx.Document()
    # Fixed dates, not today: regenerating changes no visible property.
    document.core_properties.created = datetime(2026, 1, 1, tzinfo=UTC)
    document.core_properties.modified = datetime(2026, 1, 1, tzinfo=UTC)
    for text, style in CARLOS:
        if style == "title":
            document.add_heading(text, level=0)
        elif style == "heading":
            document.add_heading(text, level=1)
        else:
            document.add_paragraph(text)
    document.save(str(path))


def make_png(path: Path) -> None:
    from PIL import Image, ImageDraw, ImageFont

    font_path = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
    font = ImageFont.truetype(font_path, 28) if Path(font_path).exists() else ImageFont.load_default(28)
    image = Image.new("L", (1240, 80 + 44 * len(LI)), color=255)
    draw = ImageDraw.Draw(image)
    for index, line in enumerate(LI):
        draw.text((60, 40 + 44 * index), line, fill=0, font=font)
    image.save(path, optimize=True)


def main() -> None:
    make_pdf(HERE / "jane_doe.pdf")
    make_docx(HERE / "carlos_ruiz.docx")
    make_png(HERE / "li_wei.png")
    write_truth()


if __name__ == "__main__":
    main()
