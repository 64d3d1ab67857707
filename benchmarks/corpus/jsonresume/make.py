"""Build the JSON Resume part of the team's real-layout corpus (see ../README.md).

    cd benchmarks/corpus/jsonresume && npm ci        # once: the themes, dev-only
    .venv/bin/python benchmarks/corpus/jsonresume/make.py [--people 9] [--seed 15]

Makes fictional people (seeded, so the output is reproducible), writes each one's JSON Resume
document, renders it with every theme of ``THEMES`` (``render.mjs``: npm theme → HTML, assets
served from node_modules) and prints the HTML to PDF with headless Chromium. The truth file of
each PDF is derived from the JSON Resume input alone (the corpus truth format of
``../shared/corpus/README.md`` plus ``family``), so it is exact by construction. Everything is
written to ``benchmarks/corpus/documents/`` (the folder ``evaluate_extraction`` scores) and
``sources/`` (the JSON Resume inputs).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from people import Person, people, write_truth  # noqa: E402  (benchmarks/corpus/people.py: one home for every family)

DOCUMENTS = HERE.parent / "documents"
SOURCES = HERE / "sources"
# theme -> layout of its printed page (the evaluator reports per layout and per family).
THEMES = {
    "even": "one-column-labels",
    "stackoverflow": "one-column",
    "flat": "one-column",
    "elegant": "two-column",
    "kendall": "two-column",
    "macchiato": "two-column",
}
# Sections a theme does not print: the truth of its documents states them empty, as the page shows.
OMITS = {"kendall": {"languages"}}


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if found := shutil.which(name):
            return found
    raise SystemExit("headless Chromium not found (apt-get install chromium)")


def render_pdf(theme: str, resume_path: Path, pdf_path: Path, browser: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        html = Path(tmp) / "resume.html"
        subprocess.run(["node", str(HERE / "render.mjs"), theme, str(resume_path), str(html)], check=True, timeout=120)
        subprocess.run(
            [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
             f"--user-data-dir={tmp}/profile", f"--print-to-pdf={pdf_path}", html.as_uri()],
            check=True, timeout=120, capture_output=True,
        )


def truth_for(person: Person, theme: str, pdf: Path) -> dict:
    truth = {"file": pdf.name, "format": "pdf", "layout": THEMES[theme], "family": f"jsonresume-{theme}",
             **person.truth}
    for section in OMITS.get(theme, ()):
        truth[section] = []
    return truth


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=9)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--themes", nargs="*", default=list(THEMES))
    parser.add_argument("--out", type=Path, default=DOCUMENTS,
                        help="output folder (a fresh seed in a temporary folder checks that fixes generalise)")
    args = parser.parse_args()
    if not (HERE / "node_modules").exists():
        raise SystemExit(f"run `npm ci` in {HERE} first")
    browser = chromium()
    documents: Path = args.out
    sources = SOURCES if documents == DOCUMENTS else documents / "sources"
    documents.mkdir(parents=True, exist_ok=True)
    sources.mkdir(exist_ok=True)
    for old in documents.glob("jr*"):
        old.unlink()
    for person in people(args.people, args.seed):
        source = sources / f"{person.key}.resume.json"
        source.write_text(json.dumps(person.resume, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        for theme in args.themes:
            pdf = documents / f"{person.key}_{theme}.pdf"
            render_pdf(theme, source, pdf, browser)
            truth = truth_for(person, theme, pdf)
            write_truth(pdf, truth)
            print(pdf)


if __name__ == "__main__":
    main()
