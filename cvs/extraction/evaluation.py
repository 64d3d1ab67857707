"""Scoring extraction against a folder of CVs with truth files (``X`` + ``X.json``).

Follows the corpus rules (``../shared/corpus/README.md``):
- entries are matched one to one before scoring: experience by company,
  education by institution, with fuzzy matching that ignores case, accents and
  punctuation (languages and certifications by name, the same way);
- only what the truth states is scored: a contact field absent from the
  truth's ``contact_info``, or a list (``skills``, ``languages``...) absent
  from the truth file, is skipped, not counted as false positives (real sets
  state a few fields only); a field stated as ``null`` or ``[]`` is scored
  (anything predicted for it is a false positive);
- name, email, phone (last 9 digits) and LinkedIn profile (scheme, ``www.``,
  country sub-domain and trailing slash ignored) are right or wrong;
- skills: recall against ``skills``; a predicted skill is a false positive only
  when it is in neither ``skills`` nor ``tools_in_jobs``;
- precision, recall and F1 per field, then macro F1 over the fields the set
  states, overall and per layout, language and template family (with a
  per-field table for each group).

Detail checks that the README does not score (headline, job titles and dates,
degrees, years of experience...) are reported separately as accuracies and do
not enter the macro F1.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import random
import re
import statistics
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from .errors import ExtractionError
from .evidence import (
    build_evidence,
    calibration_error,
    field_kind,
    key_confidence,
    key_pointers,
    reliability_bins,
    value_at,
)
from .providers import LLMConfig, extract_structured
from .sniff import sniff_file
from .text import extract_text
from .textnorm import fold

SCALARS = ("name", "email", "phone", "linkedin")
LISTS = ("experience", "education", "skills", "languages", "certifications")
FIELDS = SCALARS + LISTS
# Truth keys that group documents in the report, when the truth files carry them.
GROUP_KEYS = ("layout", "language", "family")
_FUZZY_MATCH = 85
# Below this many wrong key values, one more or less moves the review queue's catch rate by > 5 points.
MEANINGFUL_KEY_ERRORS = 20


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    def prf(self) -> dict[str, float]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


@dataclass
class DocResult:
    file: str
    groups: dict[str, str]  # group key ("layout", "language", "family") -> value
    counts: dict[str, Counts]  # only the fields the truth states
    details: dict[str, tuple[int, int]]  # check -> (right, total)
    text_ms: float
    parse_ms: float
    ocr_used: bool
    error: str | None = None
    misses: list[str] = field(default_factory=list)
    values: int = 0  # predicted string values
    located: int = 0  # ... of which have a span in the text
    positioned: int = 0  # ... of which have a span and a page box or a paragraph
    judged: list[tuple[str, str, float, bool]] = field(default_factory=list)  # (kind, match, confidence, right)
    key_confidence: float | None = None  # what the review queue compares with the tenant's threshold
    key_wrong: int = 0  # key values predicted wrong, or stated by the truth and not predicted
    key_errors: list[str] = field(default_factory=list)  # ... each as "field: got ..., want ..."


def _same(a: str | None, b: str | None) -> bool:
    return bool(a and b and fold(a) == fold(b))


def _similar(a: str | None, b: str | None) -> float:
    if not a or not b:
        return 0.0
    return fuzz.ratio(fold(a), fold(b))


def match_one_to_one(pred: list[str | None], truth: list[str | None]) -> list[tuple[int, int]]:
    """Greedy best-first one-to-one matching of fuzzy-equal strings."""
    pairs = sorted(
        (-s, i, j) for i, p in enumerate(pred) for j, t in enumerate(truth) if (s := _similar(p, t)) >= _FUZZY_MATCH
    )
    used_p: set[int] = set()
    used_t: set[int] = set()
    out: list[tuple[int, int]] = []
    for _, i, j in pairs:
        if i not in used_p and j not in used_t:
            used_p.add(i)
            used_t.add(j)
            out.append((i, j))
    return out


def _scalar(pred: str | None, truth: str | None, equal: bool) -> Counts:
    if not truth:
        return Counts(fp=1 if pred else 0)
    if not pred:
        return Counts(fn=1)
    return Counts(tp=1) if equal else Counts(fp=1, fn=1)


def _entries(pred: list[str | None], truth: list[str | None]) -> tuple[Counts, list[tuple[int, int]]]:
    pairs = match_one_to_one(pred, truth)
    return Counts(tp=len(pairs), fp=len(pred) - len(pairs), fn=len(truth) - len(pairs)), pairs


def _digits(value: str | None) -> str:
    return re.sub(r"\D", "", value or "")[-9:]


_LINKEDIN_HOST = re.compile(r"^(?:https?://)?(?:[a-z]{2,3}\.|www\.)?linkedin\.com", re.IGNORECASE)


def normalise_profile_url(value: str | None) -> str:
    """``https://sg.linkedin.com/in/x/`` and ``linkedin.com/in/x`` are the same profile."""
    text = (value or "").strip().lower()
    text = _LINKEDIN_HOST.sub("linkedin.com", text)
    return re.sub(r"^(?:https?://)?(?:www\.)?", "", text).rstrip("/")


def score_document(pred: dict, truth: dict) -> tuple[dict[str, Counts], dict[str, tuple[int, int]], list[str]]:
    """Per-field counts (stated fields only), detail accuracies and human-readable misses for one CV."""
    counts: dict[str, Counts] = {}
    misses: list[str] = []
    pc, tc = pred.get("contact_info") or {}, truth.get("contact_info") or {}
    equal = {
        "name": lambda a, b: _same(a, b),
        "email": lambda a, b: (a or "").lower() == (b or "").lower(),
        "phone": lambda a, b: bool(_digits(a)) and _digits(a) == _digits(b),
        "linkedin": lambda a, b: bool(a) and normalise_profile_url(a) == normalise_profile_url(b),
    }
    for key in SCALARS:
        if key not in tc:
            continue  # the truth does not state it: not scored
        counts[key] = _scalar(pc.get(key), tc[key], equal[key](pc.get(key), tc[key]))
        if counts[key].fn or counts[key].fp:
            misses.append(f"{key}: got {pc.get(key)!r}, want {tc.get(key)!r}")

    pj, tj = pred.get("experience") or [], truth.get("experience") or []
    job_pairs: list[tuple[int, int]] = []
    if "experience" in truth:
        counts["experience"], job_pairs = _entries([j.get("company") for j in pj], [j.get("company") for j in tj])
        if counts["experience"].fp or counts["experience"].fn:
            misses.append(f"experience: got {[j.get('company') for j in pj]}, want {[j.get('company') for j in tj]}")
    pe, te = pred.get("education") or [], truth.get("education") or []
    school_pairs: list[tuple[int, int]] = []
    if "education" in truth:
        counts["education"], school_pairs = _entries(
            [e.get("institution") for e in pe], [e.get("institution") for e in te]
        )
        if counts["education"].fp or counts["education"].fn:
            misses.append(
                f"education: got {[e.get('institution') for e in pe]}, want {[e.get('institution') for e in te]}"
            )

    if "skills" in truth:
        truth_skills = {fold(s) for s in truth.get("skills") or []}
        allowed = truth_skills | {fold(s) for s in truth.get("tools_in_jobs") or []}
        predicted = {fold(s) for s in pred.get("skills") or []}
        found = truth_skills & predicted
        false = predicted - allowed
        # Tools named under jobs are neither hits nor false positives.
        counts["skills"] = Counts(tp=len(found), fp=len(false), fn=len(truth_skills - found))
        if false or truth_skills - found:
            misses.append(f"skills: extra {sorted(false)}, missing {sorted(truth_skills - found)}")

    listed = {
        "languages": [lang.get("language") for lang in pred.get("languages") or []],
        "certifications": [c.get("name") for c in pred.get("certifications") or []],
    }
    for key, got in listed.items():
        if key not in truth:
            continue
        counts[key], _ = _entries(got, list(truth.get(key) or []))
        if counts[key].fp or counts[key].fn:
            misses.append(f"{key}: got {got}, want {truth.get(key)}")

    details: dict[str, tuple[int, int]] = {}

    def check(name: str, ok: bool) -> None:
        right, total = details.get(name, (0, 0))
        details[name] = (right + int(ok), total + 1)

    if truth.get("headline"):
        check("headline", _same(pred.get("headline"), truth["headline"]))
    if tc.get("location"):
        check("location", _same(pc.get("location"), tc["location"]))
    for i, j in job_pairs:
        check("job.title", _similar(pj[i].get("title"), tj[j].get("title")) >= _FUZZY_MATCH)
        check("job.start", pj[i].get("start_date") == tj[j].get("start"))
        check("job.end", pj[i].get("end_date") == tj[j].get("end"))
        check("job.is_current", bool(pj[i].get("is_current")) == bool(tj[j].get("is_current")))
    for i, j in school_pairs:
        check("education.degree", _similar(pe[i].get("degree"), te[j].get("degree")) >= _FUZZY_MATCH)
        check("education.end_year", pe[i].get("graduation_year") == te[j].get("end_year"))
    if truth.get("years_of_experience") is not None:
        years = pred.get("years_of_experience")
        check("years_of_experience±0.5", years is not None and abs(years - truth["years_of_experience"]) <= 0.5)
    if truth.get("language"):
        check("cv_language", pred.get("language") == truth["language"])
    return counts, details, misses


def judge_values(pred: dict, truth: dict) -> dict[str, bool]:
    """Right or wrong for each predicted value the truth can judge, keyed by JSON pointer.

    Uses the scoring rules above; values the truth does not state (summary, tasks, a list the
    truth leaves out) are not judged. Feeds the confidence calibration and its report.
    """
    judged: dict[str, bool] = {}
    pc, tc = pred.get("contact_info") or {}, truth.get("contact_info") or {}
    for key, equal in (
        ("name", _same),
        ("email", lambda a, b: (a or "").lower() == (b or "").lower()),
        ("phone", lambda a, b: bool(_digits(a)) and _digits(a) == _digits(b)),
        ("linkedin", lambda a, b: bool(a) and normalise_profile_url(a) == normalise_profile_url(b)),
        ("location", _same),
    ):
        if pc.get(key) and key in tc:
            judged[f"/contact_info/{key}"] = bool(tc[key]) and equal(pc[key], tc[key])
    if pred.get("headline") and truth.get("headline"):
        judged["/headline"] = _same(pred["headline"], truth["headline"])

    pj, tj = pred.get("experience") or [], truth.get("experience") or []
    if "experience" in truth:
        pairs = dict(match_one_to_one([j.get("company") for j in pj], [j.get("company") for j in tj]))
        for i, job in enumerate(pj):
            judged[f"/experience/{i}/company"] = i in pairs
            if i not in pairs:
                continue
            want = tj[pairs[i]]
            judged[f"/experience/{i}/title"] = _similar(job.get("title"), want.get("title")) >= _FUZZY_MATCH
            judged[f"/experience/{i}/start_date"] = job.get("start_date") == want.get("start")
            judged[f"/experience/{i}/end_date"] = job.get("end_date") == want.get("end")
    pe, te = pred.get("education") or [], truth.get("education") or []
    if "education" in truth:
        pairs = dict(match_one_to_one([e.get("institution") for e in pe], [e.get("institution") for e in te]))
        for i, school in enumerate(pe):
            judged[f"/education/{i}/institution"] = i in pairs
            if i in pairs:
                want = te[pairs[i]]
                judged[f"/education/{i}/degree"] = _similar(school.get("degree"), want.get("degree")) >= _FUZZY_MATCH
    if "skills" in truth:
        allowed = {fold(s) for s in [*(truth.get("skills") or []), *(truth.get("tools_in_jobs") or [])]}
        for i, skill in enumerate(pred.get("skills") or []):
            judged[f"/skills/{i}"] = fold(skill) in allowed
    for key, name in (("languages", "language"), ("certifications", "name")):
        if key in truth:
            got = [entry.get(name) for entry in pred.get(key) or []]
            pairs = dict(match_one_to_one(got, list(truth.get(key) or [])))
            for i, value in enumerate(got):
                if value:
                    judged[f"/{key}/{i}/{name}"] = i in pairs
    # Only values that are strings carry evidence (dates may be absent or null).
    return {pointer: right for pointer, right in judged.items() if isinstance(value_at(pred, pointer), str)}


def data_to_truth(data: dict, *, file_name: str) -> dict[str, Any]:
    """A cv-data document written as a truth file of the corpus format (``../shared/corpus/README.md``).

    For data a person has checked (reviewed jobs in the back office), so it can be scored against.
    Every list is stated, so predictions beyond it count as false positives.
    """
    contact = data.get("contact_info") or {}
    jobs = [j for j in data.get("experience") or [] if isinstance(j, dict)]
    return {
        "file": file_name,
        "format": Path(file_name).suffix.lstrip(".").lower(),
        "language": data.get("language"),
        "contact_info": {key: contact.get(key) for key in ("name", "email", "phone", "location", "linkedin")},
        "headline": data.get("headline"),
        "years_of_experience": data.get("years_of_experience"),
        "experience": [
            {"title": j.get("title"), "company": j.get("company"), "start": j.get("start_date"), "end": j.get("end_date"),
             "is_current": bool(j.get("is_current"))}
            for j in jobs
        ],
        "education": [
            {"institution": e.get("institution"), "degree": e.get("degree"), "field": e.get("field_of_study"),
             "end_year": e.get("graduation_year")}
            for e in data.get("education") or [] if isinstance(e, dict)
        ],
        "skills": list(data.get("skills") or []),
        "tools_in_jobs": sorted({tool for j in jobs for tool in j.get("tech_tools") or [] if isinstance(tool, str)}),
        "languages": [entry.get("language") for entry in data.get("languages") or [] if isinstance(entry, dict)],
        "certifications": [entry.get("name") for entry in data.get("certifications") or [] if isinstance(entry, dict)],
    }


def _cached_text(path: Path, mime: str, cache_dir: Path | None) -> tuple[str, bool, dict[str, Any]]:
    """Text, whether OCR was used, and the text map (JSON) of a file, from the cache when it has them."""
    if cache_dir is None:
        extracted = extract_text(path, mime)
        return extracted.text, extracted.ocr_used, extracted.text_map.to_json()
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    cached = cache_dir / f"{digest}.json"
    if cached.exists():
        data = json.loads(cached.read_text(encoding="utf-8"))
        if "text_map" in data:  # entries cached before text maps existed are extracted again
            return data["text"], data["ocr_used"], data["text_map"]
    extracted = extract_text(path, mime)
    text_map = extracted.text_map.to_json()
    cache_dir.mkdir(parents=True, exist_ok=True)
    cached.write_text(json.dumps({"text": extracted.text, "ocr_used": extracted.ocr_used, "text_map": text_map}),
                      encoding="utf-8")
    return extracted.text, extracted.ocr_used, text_map


def evaluate_file(
    path: Path,
    provider: str = "rules",
    llm: LLMConfig | None = None,
    today: date | None = None,
    cache_dir: Path | None = None,
) -> DocResult:
    truth = json.loads(path.with_name(path.name + ".json").read_text(encoding="utf-8"))
    groups = {key: str(truth[key]) for key in GROUP_KEYS if truth.get(key)}
    start = time.perf_counter()
    try:
        mime = sniff_file(path)
        text, ocr_used, text_map = _cached_text(path, mime or "", cache_dir)
        text_ms = (time.perf_counter() - start) * 1000
        start = time.perf_counter()
        result = extract_structured(text, provider=provider, llm=llm, today=today)
        parse_ms = (time.perf_counter() - start) * 1000
        pred = result.data
        evidence = build_evidence(pred, text, result.provider, text_map, dropped=result.dropped)
        error = None
    except ExtractionError as exc:
        pred, evidence, error, ocr_used, text_ms, parse_ms = {}, {}, f"{exc.code}: {exc.message}", False, 0.0, 0.0
    counts, details, misses = score_document(pred, truth)
    judged = [
        (field_kind(pointer), evidence[pointer]["match"], evidence[pointer].get("confidence", 0.0), right)
        for pointer, right in judge_values(pred, truth).items()
        if pointer in evidence
    ]
    # A dropped LLM value with nothing in its place is a record, not a predicted value.
    values = [entry for pointer, entry in evidence.items() if value_at(pred, pointer) is not None]
    located = sum(1 for entry in values if entry["span"] is not None)
    positioned = sum(1 for entry in values if entry["span"] is not None and ("bbox" in entry or "paragraph" in entry))
    verdicts = judge_values(pred, truth)
    stated = truth.get("contact_info") or {}
    key_errors = [
        f"{key}: missed, want {stated[key]!r}"
        for key in ("name", "email", "phone") if stated.get(key) and not (pred.get("contact_info") or {}).get(key)
    ]
    for pointer in key_pointers(pred):
        if verdicts.get(pointer) is False:
            want = stated.get(pointer.rsplit("/", 1)[1]) if pointer.startswith("/contact_info/") else None
            key_errors.append(f"{pointer}: got {value_at(pred, pointer)!r}" + (f", want {want!r}" if want else ""))
    return DocResult(path.name, groups, counts, details, text_ms, parse_ms, ocr_used, error, misses,
                     len(values), located, positioned, judged, key_confidence(pred, evidence), len(key_errors), key_errors)


def _truth_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.iterdir() if p.is_file() and not p.name.endswith(".json") and p.with_name(p.name + ".json").exists())


def _summarise(results: Iterable[DocResult]) -> dict[str, Any]:
    """Per-field P/R/F1 and their macro F1, over the fields at least one truth states."""
    totals: dict[str, Counts] = {}
    for r in results:
        for f, counts in r.counts.items():
            totals.setdefault(f, Counts()).add(counts)
    fields = {f: totals[f].prf() for f in FIELDS if f in totals}
    macro = round(statistics.mean(v["f1"] for v in fields.values()), 4) if fields else None
    return {"macro_f1": macro, "fields": fields}


def calibration_noise_floor(confidences: list[float], draws: int = 200) -> float | None:
    """The ECE a perfectly calibrated table would show on these values, on average: each value drawn
    right with probability equal to its confidence. On few values (a 3-CV corpus) chance alone gives
    an ECE of several points, so a measured ECE is only meaningful beside this floor."""
    if not confidences:
        return None
    draw = random.Random(0)  # fixed: the report is reproducible
    total = 0.0
    for _ in range(draws):
        total += calibration_error([(c, draw.random() < c) for c in confidences]) or 0.0
    return round(total / draws, 4)


def _evidence_summary(results: list[DocResult], review_threshold: float) -> dict[str, Any]:
    """Share of values located in the text, and how well confidence predicts correctness."""
    judged = [entry for r in results for entry in r.judged]
    values = sum(r.values for r in results)
    sure = [right for _, _, confidence, right in judged if confidence >= 0.9]
    cells: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for kind, match, _, right in judged:
        cells[f"{kind}|{match}"][0] += int(right)
        cells[f"{kind}|{match}"][1] += 1
    return {
        "values": values,
        "with_span": round(sum(r.located for r in results) / values, 4) if values else None,
        "with_position": round(sum(r.positioned for r in results) / values, 4) if values else None,
        "judged": len(judged),
        "accuracy": round(sum(right for *_, right in judged) / len(judged), 4) if judged else None,
        "ece": calibration_error([(confidence, right) for _, _, confidence, right in judged]),
        "ece_floor": calibration_noise_floor([confidence for _, _, confidence, _ in judged]),
        "reliability": reliability_bins([(confidence, right) for _, _, confidence, right in judged]),
        "share_at_0.9": round(len(sure) / len(judged), 4) if judged else None,
        "accuracy_at_0.9": round(sum(sure) / len(sure), 4) if sure else None,
        "review": _review_summary(results, review_threshold),
        "cells": dict(sorted(cells.items())),
    }


def _review_summary(results: list[DocResult], threshold: float) -> dict[str, Any]:
    """The admin's review queue at ``threshold``: share of documents flagged, and share of the wrong or
    missed key values that sit in a flagged document (the reviewer opens it and sees them)."""
    flagged = [r for r in results if r.key_confidence is not None and r.key_confidence < threshold]
    wrong = sum(r.key_wrong for r in results)
    return {
        "threshold": threshold,
        "flagged_share": round(len(flagged) / len(results), 4) if results else None,
        "wrong_key_values": wrong,
        "caught_share": round(sum(r.key_wrong for r in flagged) / wrong, 4) if wrong else None,
        "wrong": [
            {"file": r.file, "error": error, "key_confidence": r.key_confidence, "flagged": r in flagged}
            for r in results for error in r.key_errors
        ],
    }


def evaluate_dir(
    directory: str | Path | list[str] | list[Path],
    *,
    provider: str = "rules",
    llm: LLMConfig | None = None,
    today: date | None = None,
    text_cache: bool = False,
    jobs: int | None = None,
    review_threshold: float = 0.6,
) -> dict[str, Any]:
    """Score every CV of ``directory`` (or of each of a list) that has a truth file; returns a JSON-able report."""
    directories = directory if isinstance(directory, list) else [directory]
    files = [f for d in directories for f in _truth_files(Path(d))]
    cache_dir = Path(tempfile.gettempdir()) / "cv-extraction-text-cache" if text_cache else None
    workers = jobs or min(len(files) or 1, os.cpu_count() or 1)
    args = [(f, provider, llm, today, cache_dir) for f in files]
    if workers > 1 and provider == "rules":
        # spawn, not fork: forking a process that runs threads (Django, a test runner) can deadlock the children.
        with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            results = list(pool.map(_evaluate_args, args))
    else:
        results = [evaluate_file(*a) for a in args]

    report = _summarise(results)
    report["not_scored"] = [f for f in FIELDS if f not in report["fields"]]
    for key in GROUP_KEYS:
        groups: dict[str, list[DocResult]] = defaultdict(list)
        for r in results:
            if key in r.groups:
                groups[r.groups[key]].append(r)
        if groups:
            report[f"by_{key}"] = {g: _summarise(rs) for g, rs in sorted(groups.items())}
    details: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for r in results:
        for name, (right, total) in r.details.items():
            details[name][0] += right
            details[name][1] += total
    report["details"] = {k: round(v[0] / v[1], 4) for k, v in sorted(details.items()) if v[1]}
    text_layer = [r.parse_ms for r in results if not r.ocr_used and not r.error]
    report["timing_ms"] = {
        "parse_median_text_layer": round(statistics.median(text_layer), 1) if text_layer else None,
        "parse_median_all": round(statistics.median(r.parse_ms for r in results), 1) if results else None,
        "text_median_by_layout": {
            g: round(statistics.median(r.text_ms for r in results if r.groups.get("layout", "?") == g), 1)
            for g in sorted({r.groups.get("layout", "?") for r in results})
        },
    }
    report["evidence"] = _evidence_summary(results, review_threshold)
    report["documents"] = len(results)
    report["provider"] = provider
    report["errors"] = {r.file: r.error for r in results if r.error}
    report["misses"] = {r.file: r.misses for r in results if r.misses}
    return report


def _evaluate_args(args: tuple) -> DocResult:
    return evaluate_file(*args)


def _group_table(title: str, groups: dict[str, dict[str, Any]], fields: list[str]) -> list[str]:
    """One row per group: its macro F1, then the F1 of every scored field."""
    width = max([len(title), *(len(g) for g in groups)]) + 2
    lines = [f"{title:<{width}}{'macro':>7}" + "".join(f"{f[:10]:>11}" for f in fields)]
    for name, summary in groups.items():
        cells = "".join(
            f"{summary['fields'][f]['f1']:>11.3f}" if f in summary["fields"] else f"{'-':>11}" for f in fields
        )
        lines.append(f"{name:<{width}}{summary['macro_f1']:>7.3f}{cells}")
    return lines


def format_report(report: dict[str, Any], *, show_misses: bool = False) -> str:
    lines = [f"Provider: {report['provider']}   documents: {report['documents']}", ""]
    lines.append(f"{'field':<16}{'precision':>10}{'recall':>10}{'f1':>10}")
    for name, v in report["fields"].items():
        lines.append(f"{name:<16}{v['precision']:>10.3f}{v['recall']:>10.3f}{v['f1']:>10.3f}")
    macro = report["macro_f1"]
    lines.append(f"{'MACRO F1':<36}{macro:>10.3f}" if macro is not None else "MACRO F1: nothing scored")
    ev = report["evidence"]
    if ev["judged"]:
        lines.append(
            f"evidence: {ev['with_span']:.1%} of {ev['values']} values located in the text, {ev['with_position']:.1%} "
            f"with a page box or paragraph too; confidence on "
            f"{ev['judged']} judged values: ECE {ev['ece']:.3f} (10 bins; {ev['ece_floor']:.3f} expected from "
            f"chance alone on this many values), accuracy {ev['accuracy']:.3f}, "
            f"{ev['share_at_0.9']:.1%} at >= 0.9 of which right {ev['accuracy_at_0.9'] or 0:.3f}"
        )
        review = ev["review"]
        caught = f"{review['caught_share']:.1%}" if review["caught_share"] is not None else "-"
        lines.append(
            f"review queue at threshold {review['threshold']}: flags {review['flagged_share']:.1%} of documents, "
            f"catches {caught} of {review['wrong_key_values']} wrong or missed key values"
            + (f" (n = {review['wrong_key_values']}: too few for the share to mean much)"
               if 0 < review["wrong_key_values"] < MEANINGFUL_KEY_ERRORS else "")
        )
        for wrong in review["wrong"]:
            confidence = "-" if wrong["key_confidence"] is None else f"{wrong['key_confidence']:.2f}"
            lines.append(f"  {'caught' if wrong['flagged'] else 'MISSED'} {wrong['file']}: {wrong['error']} "
                         f"(key confidence {confidence})")
    if report["not_scored"]:
        lines.append("not scored (no truth states them): " + ", ".join(report["not_scored"]))
    fields = list(report["fields"])
    for key in GROUP_KEYS:
        if f"by_{key}" in report:
            lines.append("")
            lines.extend(_group_table(key, report[f"by_{key}"], fields))
    lines.append("")
    lines.append("detail accuracies (not in macro): " + "  ".join(f"{k} {v:.3f}" for k, v in report["details"].items()))
    t = report["timing_ms"]
    lines.append(
        f"rules parse median: {t['parse_median_text_layer']} ms (text-layer CVs), {t['parse_median_all']} ms (all)"
    )
    lines.append("text extraction median ms by layout: " + "  ".join(f"{k} {v}" for k, v in t["text_median_by_layout"].items()))
    if report["errors"]:
        lines.append("")
        lines.extend(f"ERROR {k}: {v}" for k, v in report["errors"].items())
    if show_misses:
        for name, misses in report["misses"].items():
            lines.append(f"-- {name}")
            lines.extend(f"   {m}" for m in misses)
    return "\n".join(lines)


def draw_reliability(report: dict[str, Any], path: str | Path, *, title: str) -> None:
    """A reliability diagram (PNG): accuracy per confidence bin against the diagonal, bar width ~ share of values."""
    from PIL import Image, ImageDraw

    size, margin = 480, 56
    plot = size - 2 * margin
    image = Image.new("RGB", (size, size + 24), "white")
    draw = ImageDraw.Draw(image)

    def xy(x: float, y: float) -> tuple[float, float]:
        return margin + x * plot, margin + (1 - y) * plot

    draw.rectangle([xy(0, 1), xy(1, 0)], outline="#888")
    for tick in range(0, 11, 2):
        draw.text((xy(tick / 10, 0)[0] - 8, size - margin + 6), f"{tick / 10:.1f}", fill="#444")
        draw.text((margin - 30, xy(0, tick / 10)[1] - 6), f"{tick / 10:.1f}", fill="#444")
    evidence = report["evidence"]
    total = max(evidence["judged"], 1)
    for b in evidence["reliability"]:
        # A bar per bin at its accuracy; its width says how many values the bin holds.
        width = max(0.1 * min(1.0, 4 * b["n"] / total), 0.01)
        centre = (b["low"] + b["high"]) / 2
        draw.rectangle([xy(centre - width / 2, b["accuracy"]), xy(centre + width / 2, 0)], fill="#1f6fb2")
        draw.ellipse([xy(b["confidence"], b["accuracy"])[0] - 3, xy(b["confidence"], b["accuracy"])[1] - 3,
                      xy(b["confidence"], b["accuracy"])[0] + 3, xy(b["confidence"], b["accuracy"])[1] + 3], fill="#c9302c")
    draw.line([xy(0, 0), xy(1, 1)], fill="#2e8540", width=2)
    draw.text((margin, 16), title, fill="black")
    draw.text((margin, 32), f"ECE {evidence['ece']:.3f} over {evidence['judged']} judged values", fill="#444")
    draw.text((margin, size - margin + 22), "confidence (bins of 0.1); bar: accuracy, width ~ values; dot: mean confidence",
              fill="#444")
    image.save(path)
