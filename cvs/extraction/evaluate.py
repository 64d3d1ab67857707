"""``python -m cvs.extraction.evaluate DIR`` — the evaluation without Django.

The ``evaluate_extraction`` management command calls the same :func:`main`.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from .evaluation import draw_reliability, evaluate_dir, format_report
from .evidence import CONFIDENCE_PATH, fit_confidence
from .providers import PROVIDERS, LLMConfig


def build_parser(prog: str = "python -m cvs.extraction.evaluate") -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=prog, description="Score CV extraction against X.json truth files.")
    add_arguments(parser)
    return parser


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("directory", nargs="+", help="folder(s) of CVs, each with its truth in <file>.json")
    parser.add_argument("--provider", default="rules", choices=PROVIDERS)
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--today", type=date.fromisoformat, default=None,
                        help="processing date used for 'present' (default: today)")
    parser.add_argument("--text-cache", action="store_true",
                        help="cache extracted text by file SHA-256 under the temp dir (opt-in)")
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (default: CPU count)")
    parser.add_argument("--misses", action="store_true", help="list every miss per document")
    parser.add_argument("--review-threshold", type=float, default=0.6,
                        help="report the admin review queue at this threshold (the tenant setting's default is 0.6)")
    parser.add_argument("--reliability-png", metavar="PATH", default=None,
                        help="draw the reliability diagram of the confidence (accuracy per confidence bin) to PATH")
    parser.add_argument("--fit-confidence", metavar="PATH", default=None,
                        help="write the confidence calibration table fitted on these folders to PATH "
                             f"(the one extraction uses is {CONFIDENCE_PATH.relative_to(CONFIDENCE_PATH.parents[2])})")
    parser.add_argument("--llm-base-url", default=os.environ.get("CV_LLM_BASE_URL"))
    parser.add_argument("--llm-model", default=os.environ.get("CV_LLM_MODEL", ""))
    parser.add_argument("--llm-api", default=os.environ.get("CV_LLM_API", "openai"), choices=("openai", "anthropic"))


def run(options: argparse.Namespace) -> tuple[str, dict]:
    llm = None
    if options.provider != "rules":
        llm = LLMConfig(
            base_url=options.llm_base_url,
            api_key=os.environ.get("CV_LLM_API_KEY", ""),
            model=options.llm_model,
            api="anthropic" if options.provider == "anthropic" else options.llm_api,
        )
    report = evaluate_dir(
        options.directory,
        provider=options.provider,
        llm=llm,
        today=options.today,
        text_cache=options.text_cache,
        jobs=options.jobs,
        review_threshold=options.review_threshold,
    )
    if options.reliability_png and report["evidence"]["judged"]:
        draw_reliability(report, options.reliability_png, title=" + ".join(Path(d).name for d in options.directory))
    if options.fit_confidence:
        # Fitting on ../shared/corpus/real would make its report meaningless: it is only measured.
        table = fit_confidence(report["evidence"]["cells"], sources=[Path(d).name for d in options.directory])
        Path(options.fit_confidence).write_text(json.dumps(table, indent=1) + "\n", encoding="utf-8")
    if options.json:
        return json.dumps(report, indent=2, ensure_ascii=False), report
    return format_report(report, show_misses=options.misses), report


def main(argv: Sequence[str] | None = None) -> int:
    output, _ = run(build_parser().parse_args(argv))
    sys.stdout.write(output + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
