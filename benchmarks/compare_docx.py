"""Which DOCX is easier to edit: pdf2docx's conversion of our PDF, or python-docx writing it directly?

    python benchmarks/compare_docx.py            # eight corpus candidates, two per language
    python benchmarks/compare_docx.py --keep /tmp/docx-compare   # also write the files for a look in Word

For each candidate it renders the PDF, converts it with pdf2docx (then drops empty
paragraphs, as the old service should have), renders the DOCX directly, and counts what
makes a document hard to edit: text boxes, frames, floating (anchored) shapes, layout
tables, section breaks, hand-drawn bullets, direct spacing standing in for styles, runs
per paragraph; and what makes it easy: paragraphs with real heading/list styles, Word
numbering, text found intact. Results are in docs/documents.md.
"""

from __future__ import annotations

import argparse
import io
import logging
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import django  # noqa: E402

from config.bootstrap import prepare  # noqa: E402

prepare()  # local settings: embedded PostgreSQL when DATABASE_URL is unset, local secret key
django.setup()

import docx  # noqa: E402
from docx.oxml.ns import qn  # noqa: E402
from pdf2docx import Converter  # noqa: E402

from cvs.documents.content import build_content  # noqa: E402
from cvs.documents.render_docx import render_docx  # noqa: E402
from cvs.documents.render_pdf import Branding, render_pdf  # noqa: E402
from tests.documents.corpus import corpus_cv  # noqa: E402

CANDIDATES = [
    "cv01_000_en_pdf1.pdf", "cv01_004_en_pdf2.pdf", "cv01_001_es_pdf1.pdf", "cv01_005_es_pdf2.pdf",
    "cv01_002_fr_pdf1.pdf", "cv01_006_fr_pdf2.pdf", "cv01_003_zh_pdf1.pdf", "cv01_007_zh_pdf2.pdf",
]
BRANDING = Branding(firm_name="Talentia Partners", contact_line="8 Quai des Chartrons, Bordeaux · talentia.example")
TASKS = ["Designed and shipped the reporting service used by every customer team",
         "Cut infrastructure costs by a third by consolidating clusters",
         "Mentored new engineers and ran the on-call rotation"]


def convert_with_pdf2docx(pdf: bytes) -> bytes:
    """The old service's path: PDF → pdf2docx, then drop the empty paragraphs it leaves behind."""
    with tempfile.TemporaryDirectory() as tmp:
        pdf_path, docx_path = Path(tmp) / "cv.pdf", Path(tmp) / "cv.docx"
        pdf_path.write_bytes(pdf)
        converter = Converter(str(pdf_path))
        converter.convert(str(docx_path))
        converter.close()
        document = docx.Document(str(docx_path))
    for paragraph in list(iter_paragraphs(document)):
        if not paragraph.text.strip() and not paragraph._p.xpath(".//w:drawing | .//w:pict"):
            paragraph._p.getparent().remove(paragraph._p)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def iter_paragraphs(document):
    yield from document.paragraphs
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                yield from cell.paragraphs


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def measure(body: bytes, expected: list[str]) -> dict[str, float]:
    document = docx.Document(io.BytesIO(body))
    xml = document.element.body
    paragraphs = [p for p in iter_paragraphs(document) if p.text.strip()]
    text = squash("\n".join(p.text for p in iter_paragraphs(document)))
    styled = [p for p in paragraphs if p.style is not None and p.style.name not in ("Normal", "Body Text")]
    direct_spacing = [p for p in paragraphs if p._p.pPr is not None and p._p.pPr.find(qn("w:spacing")) is not None]
    runs = [len(p.runs) for p in paragraphs] or [0]
    return {
        "text found %": 100 * sum(squash(s) in text for s in expected) / len(expected),
        "paragraphs with text": len(paragraphs),
        "styled paragraphs %": 100 * len(styled) / max(len(paragraphs), 1),
        "heading paragraphs": sum(p.style.name.startswith(("Heading", "Title")) for p in styled),
        "Word list items": len(xml.xpath(".//w:numPr")) + sum(p.style.name.startswith("List") for p in styled),
        "typed bullets (•)": sum(p.text.lstrip().startswith(("•", "▪", "-")) for p in paragraphs),
        "tables": len(xml.xpath(".//w:tbl")),
        "text boxes": len(xml.xpath(".//w:txbxContent")),
        "frames": len(xml.xpath(".//w:framePr")),
        "floating shapes": len(xml.xpath(".//wp:anchor")),
        "section breaks": len(xml.xpath(".//w:sectPr")),
        "direct spacing %": 100 * len(direct_spacing) / max(len(paragraphs), 1),
        "runs per paragraph": statistics.mean(runs),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--keep", type=Path, help="write the DOCX files here")
    args = parser.parse_args()
    logging.getLogger("root").setLevel(logging.WARNING)  # pdf2docx logs every page it parses
    results: dict[str, list[dict[str, float]]] = {"pdf2docx": [], "python-docx": []}
    timings: dict[str, list[float]] = {"pdf2docx": [], "python-docx": []}
    for file_name in CANDIDATES:
        data = corpus_cv(file_name)
        data["summary"] = "Dependable engineer who enjoys turning vague requests into working software."
        data["experience"][0]["tasks"] = TASKS
        content = build_content(data)
        expected = content.all_text()
        started = time.perf_counter()
        converted = convert_with_pdf2docx(render_pdf(content, BRANDING))
        timings["pdf2docx"].append(time.perf_counter() - started)
        started = time.perf_counter()
        direct = render_docx(content, BRANDING)
        timings["python-docx"].append(time.perf_counter() - started)
        for name, body in (("pdf2docx", converted), ("python-docx", direct)):
            results[name].append(measure(body, expected))
            if args.keep:
                args.keep.mkdir(parents=True, exist_ok=True)
                (args.keep / f"{file_name}.{name}.docx").write_bytes(body)
    metrics = list(results["pdf2docx"][0])
    print(f"{len(CANDIDATES)} candidates ({', '.join(CANDIDATES)}); mean per document\n")
    print("| metric | pdf2docx (+ empty paragraphs removed) | python-docx |\n|---|---:|---:|")
    for metric in metrics:
        row = [statistics.mean(r[metric] for r in results[name]) for name in results]
        print(f"| {metric} | {row[0]:.1f} | {row[1]:.1f} |")
    row = [statistics.mean(timings[name]) * 1000 for name in timings]
    print(f"| time to produce, ms (pdf2docx includes the PDF) | {row[0]:.0f} | {row[1]:.0f} |")


if __name__ == "__main__":
    main()
