"""Extraction benchmark over the dev corpus (printed figures, no asserts).

    python benchmarks/bench_extraction.py [--corpus ../shared/corpus/dev] [--repeat 5]

Prints:
- rules parse time per CV (text extraction excluded): median and p95;
- evidence time per CV (span, source forms, page box or paragraph of every value): median and p95;
- text extraction time per layout (median);
- OCR seconds per scanned page (wall clock, and Tesseract CPU time, which does
  not depend on what else the machine is running).

Files are processed one at a time so the per-page figures are not shared
between parallel workers.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
from collections import defaultdict
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cvs.extraction.evidence import build_evidence  # noqa: E402
from cvs.extraction.providers import extract_structured  # noqa: E402
from cvs.extraction.sniff import sniff_file  # noqa: E402
from cvs.extraction.text import extract_text  # noqa: E402

DEFAULT_CORPUS = Path(__file__).resolve().parents[1] / "../shared/corpus/dev"


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--repeat", type=int, default=5, help="rules parses per CV (the median is kept)")
    args = parser.parse_args()
    if not args.corpus.is_dir():
        print(f"skipped: no corpus at {args.corpus.resolve()} (the optional ../shared/corpus/dev, or pass --corpus)")
        return 0

    files = sorted(p for p in args.corpus.resolve().iterdir() if p.is_file() and not p.name.endswith((".json", ".txt")))
    print(f"corpus: {args.corpus.resolve()} ({len(files)} files), cpus: {os.cpu_count()}, load: {os.getloadavg()}")
    text_ms: dict[str, list[float]] = defaultdict(list)
    parse_ms: list[tuple[bool, float]] = []
    evidence_ms: list[tuple[bool, float]] = []
    ocr_wall: list[float] = []
    ocr_cpu: list[float] = []
    today = date.today()
    for path in files:
        layout = path.stem.rsplit("_", 1)[-1]
        cpu0, wall0 = _children_cpu(), time.perf_counter()
        extracted = extract_text(path, sniff_file(path) or "")
        wall = time.perf_counter() - wall0
        text_ms[layout].append(wall * 1000)
        if extracted.ocr_used:
            ocr_wall.append(wall / extracted.pages)
            ocr_cpu.append((_children_cpu() - cpu0) / extracted.pages)
        runs, evidence_runs = [], []
        for _ in range(args.repeat):
            start = time.perf_counter()
            data = extract_structured(extracted.text, provider="rules", today=today).data
            runs.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            # As the pipeline does it: the text map comes back from the job's JSON.
            build_evidence(data, extracted.text, "rules", extracted.text_map.to_json())
            evidence_runs.append((time.perf_counter() - start) * 1000)
        parse_ms.append((extracted.ocr_used, statistics.median(runs)))
        evidence_ms.append((extracted.ocr_used, statistics.median(evidence_runs)))

    text_layer = [ms for ocr, ms in parse_ms if not ocr]
    every = [ms for _, ms in parse_ms]
    print()
    print("rules parse (text extraction excluded)")
    print(f"  text-layer CVs: median {statistics.median(text_layer):.1f} ms, p95 {_percentile(text_layer, 0.95):.1f} ms")
    print(f"  all CVs:        median {statistics.median(every):.1f} ms, p95 {_percentile(every, 0.95):.1f} ms")
    text_layer_evidence = [ms for ocr, ms in evidence_ms if not ocr]
    print()
    print("evidence (spans, source forms, page boxes / paragraphs)")
    print(f"  text-layer CVs: median {statistics.median(text_layer_evidence):.1f} ms, "
          f"p95 {_percentile(text_layer_evidence, 0.95):.1f} ms")
    print()
    print("text extraction, median per CV")
    for layout, values in sorted(text_ms.items()):
        print(f"  {layout:<10} {statistics.median(values):9.1f} ms")
    if ocr_wall:
        print()
        print(f"OCR per scanned page ({len(ocr_wall)} pages)")
        print(f"  wall: median {statistics.median(ocr_wall):.2f} s, p95 {_percentile(ocr_wall, 0.95):.2f} s, max {max(ocr_wall):.2f} s")
        print(f"  tesseract CPU: median {statistics.median(ocr_cpu):.2f} s, max {max(ocr_cpu):.2f} s")
    print(f"load at end: {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
