"""Figures for the repository's own DOC/RTF/ODT/HTML/Markdown samples (issue 14). Prints; asserts nothing.

    .venv/bin/python benchmarks/bench_formats.py      # each sample: sniffed type, text + rules time, name, e-mail, jobs

In process, without Django, services or a worker (the end-to-end run is ``tests/formats/test_formats_pipeline.py``).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from cvs.extraction import sniff  # noqa: E402
from cvs.extraction.providers import extract_structured  # noqa: E402
from cvs.extraction.text import extract_text  # noqa: E402

SAMPLES = REPO / "tests" / "formats" / "samples"
RUNS = 5


def main() -> None:
    for path in sorted(SAMPLES.iterdir()):
        mime = sniff.sniff_file(path)
        times = []
        for _ in range(RUNS):
            started = time.perf_counter()
            data = extract_structured(extract_text(path, mime).text).data
            times.append((time.perf_counter() - started) * 1000)
        cv = data if isinstance(data, dict) else data.model_dump()
        jobs = "; ".join(f"{job['title']} at {job['company']} from {job['start_date']}" for job in cv["experience"])
        print(f"{path.name}: {mime}; median {statistics.median(times):.1f} ms text + rules ({RUNS} runs); "
              f"name {cv['contact_info']['name']!r}; e-mail {cv['contact_info']['email']!r}; "
              f"{len(cv['experience'])} jobs ({jobs}); {len(cv['skills'])} skills")


if __name__ == "__main__":
    main()
