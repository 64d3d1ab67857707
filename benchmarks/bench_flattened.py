"""Extraction from text that lost its line breaks (issue 15, class 8). Prints figures; asserts nothing.

    .venv/bin/python benchmarks/bench_flattened.py [DIR ...] [--today 2026-10-15]

Each text-layer document (PDF, DOCX) of the folders is read as usual, then its text is flattened
to one line, as a web form or a one-run-per-page PDF gives it, and parsed by the rules. Printed:
per-field F1 and macro F1 of the flattened text beside the same document read normally. Scanned
and image documents are skipped (their text comes from OCR lines, never flattened).
Default folders: the team corpus in the repository, and ../shared/corpus/dev when present.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

from cvs.extraction.evaluation import FIELDS, Counts, score_document  # noqa: E402
from cvs.extraction.providers import extract_structured  # noqa: E402
from cvs.extraction.sniff import sniff_file  # noqa: E402
from cvs.extraction.text import extract_text  # noqa: E402

TEXT_LAYER = {"application/pdf", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dirs", nargs="*", type=Path)
    parser.add_argument("--today", default="2026-10-15")
    args = parser.parse_args()
    today = date.fromisoformat(args.today)
    dirs = args.dirs or [d for d in (REPO / "benchmarks/corpus/documents", REPO.parent / "shared/corpus/dev") if d.is_dir()]
    for directory in dirs:
        totals: dict[str, dict[str, Counts]] = {"as read": {}, "flattened": {}}
        documents = 0
        for truth_path in sorted(directory.glob("*.json")):
            path = truth_path.with_suffix("")
            mime = sniff_file(path) if path.is_file() else None
            if mime not in TEXT_LAYER:
                continue
            truth = json.loads(truth_path.read_text(encoding="utf-8"))
            extracted = extract_text(path, mime)
            if extracted.ocr_used:
                continue
            documents += 1
            for variant, text in (("as read", extracted.text), ("flattened", " ".join(extracted.text.split()))):
                counts, _, _ = score_document(extract_structured(text, provider="rules", today=today).data, truth)
                for field, field_counts in counts.items():
                    totals[variant].setdefault(field, Counts()).add(field_counts)
        print(f"{directory} ({documents} text-layer documents)")
        fields = [f for f in FIELDS if f in totals["as read"]]
        print(f"  {'field':<16}{'as read':>10}{'flattened':>12}")
        for field in fields:
            print(f"  {field:<16}{totals['as read'][field].prf()['f1']:>10.3f}{totals['flattened'][field].prf()['f1']:>12.3f}")
        for variant in ("as read", "flattened"):
            f1s = [totals[variant][f].prf()["f1"] for f in fields]
            print(f"  macro F1 {variant}: {sum(f1s) / len(f1s):.3f}")


if __name__ == "__main__":
    main()
