"""Extraction benchmark over the dev corpus (printed figures, no asserts).

    python benchmarks/bench_extraction.py [--corpus ../shared/corpus/dev] [--repeat 5] [--match _zh_]
    CV_OCR_ENGINE=tesseract python benchmarks/bench_extraction.py --match _zh_   # one engine for every page

Prints:
- rules parse time per CV (text extraction excluded): median and p95;
- evidence time per CV (span, source forms, page box or paragraph of every value): median and p95;
- text extraction time per layout (median);
- OCR seconds per scanned page (wall clock, and CPU time: Tesseract's processes
  plus this process's onnxruntime for RapidOCR pages, which does not depend on
  what else the machine is running), per script the page was read as.

Files are processed one at a time so the per-page figures are not shared
between parallel workers.
"""

from __future__ import annotations

import argparse
import os
import re
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

_HAN = re.compile(r"[\u4e00-\u9fff]")
# A page read as Chinese yields hundreds of Han characters; a Latin one, none or a few.
_HAN_PAGE = 25
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
    parser.add_argument("--match", default="", help="only files whose name contains this (e.g. _zh_)")
    args = parser.parse_args()
    if not args.corpus.is_dir():
        print(f"skipped: no corpus at {args.corpus.resolve()} (the optional ../shared/corpus/dev, or pass --corpus)")
        return 0

    files = sorted(p for p in args.corpus.resolve().iterdir()
                   if p.is_file() and not p.name.endswith((".json", ".txt")) and args.match in p.name)
    print(f"corpus: {args.corpus.resolve()} ({len(files)} files), cpus: {os.cpu_count()}, load: {os.getloadavg()}")
    text_ms: dict[str, list[float]] = defaultdict(list)
    parse_ms: list[tuple[bool, float]] = []
    evidence_ms: list[tuple[bool, float]] = []
    ocr_wall: dict[str, list[float]] = defaultdict(list)  # script read as -> seconds per page
    ocr_cpu: dict[str, list[float]] = defaultdict(list)
    today = date.today()
    for path in files:
        layout = path.stem.rsplit("_", 1)[-1]
        cpu0, wall0 = _children_cpu() + time.process_time(), time.perf_counter()
        extracted = extract_text(path, sniff_file(path) or "")
        wall = time.perf_counter() - wall0
        text_ms[layout].append(wall * 1000)
        if extracted.ocr_used:
            script = "Han" if len(_HAN.findall(extracted.text)) >= _HAN_PAGE else "Latin"
            ocr_wall[script].append(wall / extracted.pages)
            ocr_cpu[script].append((_children_cpu() + time.process_time() - cpu0) / extracted.pages)
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
    every_wall = [s for values in ocr_wall.values() for s in values]
    if every_wall:
        print()
        print(f"OCR per scanned page ({len(every_wall)} pages), engine choice CV_OCR_ENGINE={os.environ.get('CV_OCR_ENGINE', 'auto')}")
        for script, wall in sorted(ocr_wall.items()) + [("all", every_wall)]:
            cpu = ocr_cpu[script] if script != "all" else [s for values in ocr_cpu.values() for s in values]
            print(f"  {script:<6} {len(wall):3d} pages  wall: median {statistics.median(wall):.2f} s, "
                  f"p95 {_percentile(wall, 0.95):.2f} s, max {max(wall):.2f} s  "
                  f"CPU: median {statistics.median(cpu):.2f} s, max {max(cpu):.2f} s")
    print(f"load at end: {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
