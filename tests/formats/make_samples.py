"""Write the CV samples of tests/formats/samples/ (run by hand; the output is committed).

    .venv/bin/python -m tests.formats.make_samples

One CV (Sofía Herrera: two jobs, a degree, skills) in every input format the
service reads besides PDF/DOCX/images. The DOCX is built with python-docx (with a
table for the jobs and a bullet list, as real CVs have), then converted by
LibreOffice headless to Word 97-2003 ``.doc``, ``.odt`` and ``.rtf`` — the same
converter users' own office suites are. HTML and Markdown are hand-written,
with the noise real exports carry (scripts, styles, navigation markup).
Needs ``soffice`` (Debian: libreoffice-writer-nogui) only to regenerate.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from docx import Document

SAMPLES = Path(__file__).with_name("samples")

NAME = "Sofía Herrera Gómez"
EMAIL = "sofia.herrera@example.org"
PHONE = "+34 699 123 456"
JOBS = [
    ("Senior Data Engineer", "Nimbus Analytics S.L.", "03/2021 – Present",
     "Built Spark and Airflow pipelines on AWS for 40 clients."),
    ("Data Analyst", "Banco Meridiano", "09/2017 – 02/2021",
     "Designed SQL reporting and Python forecasting models."),
]
DEGREE = ("Master in Data Science", "Universidad de Sevilla", "2017")
SKILLS = ["Python", "SQL", "Apache Spark", "Airflow", "AWS"]


def _docx(path: Path) -> None:
    doc = Document()
    doc.add_heading(NAME, level=0)
    doc.add_paragraph(f"{EMAIL} | {PHONE} | Sevilla, Spain")
    doc.add_heading("Experience", level=1)
    table = doc.add_table(rows=0, cols=2)
    for title, company, dates, summary in JOBS:
        cells = table.add_row().cells
        cells[0].text = dates
        cells[1].text = f"{title} at {company}"
        cells[1].add_paragraph(summary)
    doc.add_heading("Education", level=1)
    doc.add_paragraph(f"{DEGREE[0]}, {DEGREE[1]}, {DEGREE[2]}")
    doc.add_heading("Skills", level=1)
    for skill in SKILLS:
        doc.add_paragraph(skill, style="List Bullet")
    doc.save(path)


def _html() -> str:
    jobs = "\n".join(
        f"""  <article class="job">
    <h3>{title} at {company}</h3>
    <p class="dates">{dates}</p>
    <p>{summary}</p>
  </article>"""
        for title, company, dates, summary in JOBS
    )
    skills = "".join(f"<li>{skill}</li>" for skill in SKILLS)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>CV – {NAME}</title>
  <style>body {{ font-family: sans-serif }} .dates {{ color: #666 }}</style>
  <script>window.analytics = {{ track: function () {{ return "Tracked Person"; }} }};</script>
</head>
<body>
<nav><a href="#experience">Experience</a> · <a href="#education">Education</a></nav>
<header>
  <h1>{NAME}</h1>
  <p><a href="mailto:{EMAIL}">{EMAIL}</a> | {PHONE} | Sevilla, Spain</p>
</header>
<section id="experience">
  <h2>Experience</h2>
{jobs}
</section>
<section id="education">
  <h2>Education</h2>
  <p>{DEGREE[0]}, {DEGREE[1]}, {DEGREE[2]}</p>
</section>
<section>
  <h2>Skills</h2>
  <ul>{skills}</ul>
</section>
<script>document.write("<p>injected@example.com</p>")</script>
</body>
</html>
"""


def _markdown() -> str:
    jobs = "\n\n".join(
        f"### {title} at {company}\n*{dates}*\n\n{summary}" for title, company, dates, summary in JOBS
    )
    skills = "\n".join(f"- **{skill}**" for skill in SKILLS)
    return f"""# {NAME}

[{EMAIL}](mailto:{EMAIL}) | {PHONE} | Sevilla, Spain

## Experience

{jobs}

## Education

{DEGREE[0]}, {DEGREE[1]}, {DEGREE[2]}

## Skills

{skills}
"""


def main() -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        raise SystemExit("soffice (LibreOffice) is needed to regenerate the samples")
    SAMPLES.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "cv.docx"
        _docx(source)
        for target in ("doc:MS Word 97", "odt", "rtf"):
            subprocess.run(
                [soffice, "--headless", f"-env:UserInstallation=file://{tmp}/profile", "--convert-to", target,
                 "--outdir", str(SAMPLES), str(source)],
                check=True, capture_output=True, timeout=180,
            )
    (SAMPLES / "cv.html").write_text(_html(), encoding="utf-8")
    (SAMPLES / "cv.md").write_text(_markdown(), encoding="utf-8")


if __name__ == "__main__":
    main()
