"""Evidence for extracted values: where in the extracted text each value of ``data`` sits.

Provider-independent and Django-free (like the rest of ``cvs.extraction``): it runs after any
provider on the final ``data`` and the extracted text. Values are keyed by JSON pointer into
``data`` (``/experience/0/company``). Each entry records the text ``span``, how the value
matched and a ``confidence``: the accuracy observed for values of the same field kind that matched
the same way, fitted on the team's corpora (``data/confidence.json``, written by
``evaluate_extraction --fit-confidence``). Page boxes and paragraphs come from the extraction's
text map (``positions.TextMap``), looked up by span.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any, NotRequired, TypedDict

from .positions import TextMap

CONFIDENCE_PATH = Path(__file__).resolve().parent / "data" / "confidence.json"
LLM_PROVIDERS = frozenset({"openai", "anthropic", "hybrid"})
# The table is fitted on the rules provider only (the corpora run offline). The rules provider
# copies from the text, so its unlocated values are mostly normalised forms (dates, levels); an
# LLM's unlocated value may be invented, so it never counts as more than this.
LLM_UNGROUNDED_CAP = 0.2
# A (kind, match) cell needs this many judged values before it overrides the match kind's prior.
MIN_CELL = 10
_DEFAULT = {"exact": 0.9, "case": 0.8, "none": 0.3}


class ValueEvidence(TypedDict):
    span: list[int] | None
    match: str  # "exact", "case" (case/spacing-insensitive) or "none" (not found in the text)
    confidence: NotRequired[float]
    page: NotRequired[int]
    bbox: NotRequired[list[float]]
    paragraph: NotRequired[int]
    cell: NotRequired[list[int]]
    part: NotRequired[str]
    # An LLM value for this pointer that was dropped, and why ("not_in_document"); the pointer's
    # value in ``data``, if any, came from elsewhere (the rules, in hybrid mode).
    dropped: NotRequired[str]
    reason: NotRequired[str]


def json_pointer_escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def value_at(data: Any, pointer: str) -> Any:
    """The value of ``data`` at a JSON pointer, ``None`` when the path does not exist."""
    for part in pointer.split("/")[1:]:
        key = part.replace("~1", "/").replace("~0", "~")
        if isinstance(data, list):
            data = data[int(key)] if key.isdigit() and int(key) < len(data) else None
        elif isinstance(data, dict):
            data = data.get(key)
        else:
            return None
    return data


def iter_scalars(data: Any, pointer: str = "") -> Iterator[tuple[str, str]]:
    """Every non-empty string value of ``data`` with its JSON pointer, in document order."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from iter_scalars(value, f"{pointer}/{json_pointer_escape(str(key))}")
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from iter_scalars(value, f"{pointer}/{index}")
    elif isinstance(data, str) and data.strip():
        yield pointer, data


def _loose_pattern(value: str) -> re.Pattern[str]:
    # Line breaks and repeated spaces in the extracted text must not hide a value.
    words = [re.escape(word) for word in value.split()]
    return re.compile(r"\s+".join(words), re.IGNORECASE)


def _wrapped_pattern(value: str) -> re.Pattern[str] | None:
    # A one-word value (e-mail, URL) that a narrow column wrapped: line breaks inside the word.
    if len(value) > 120 or any(char.isspace() for char in value.strip()):
        return None
    return re.compile(r"\s*".join(re.escape(char) for char in value.strip()), re.IGNORECASE)


def locate(value: str, text: str) -> ValueEvidence:
    """Where ``value`` first occurs in ``text``: exact, else ignoring case and spacing (within words too)."""
    start = text.find(value)
    if start >= 0:
        return {"span": [start, start + len(value)], "match": "exact"}
    found = _loose_pattern(value).search(text)
    wrapped = None if found else _wrapped_pattern(value)
    found = found or (wrapped.search(text) if wrapped else None)
    if found:
        return {"span": [found.start(), found.end()], "match": "case"}
    return {"span": None, "match": "none"}


def field_kind(pointer: str) -> str:
    """``/experience/0/company`` -> ``experience.company``: the pointer without list indexes."""
    return ".".join(part for part in pointer.split("/")[1:] if not part.isdigit())


@cache
def confidence_table() -> dict[str, Any]:
    if not CONFIDENCE_PATH.exists():
        return {"by_match": _DEFAULT, "by_kind": {}}
    return json.loads(CONFIDENCE_PATH.read_text(encoding="utf-8"))


def confidence_for(kind: str, match: str, provider: str = "rules") -> float:
    table = confidence_table()
    value = float(table["by_kind"].get(f"{kind}|{match}", table["by_match"].get(match, _DEFAULT[match])))
    if provider in LLM_PROVIDERS and match == "none":
        value = min(value, LLM_UNGROUNDED_CAP)
    return round(value, 3)


def fit_confidence(cells: dict[str, list[int]], *, sources: list[str]) -> dict[str, Any]:
    """Calibration table from ``{"kind|match": [right, total]}``: observed accuracy per cell.

    A cell's rate is shrunk towards the prior of its match kind (two pseudo-counts); cells with
    fewer than ``MIN_CELL`` values are left out and keep that prior. The prior is not pooled over
    kinds on purpose: unlocated dates (normalised by the parser) are nearly always right, an
    unlocated e-mail is not.
    """
    by_kind = {
        key: round((right + 2 * _DEFAULT[key.split("|")[1]]) / (total + 2), 3)
        for key, (right, total) in sorted(cells.items())
        if total >= MIN_CELL
    }
    return {"fitted_on": sources, "by_match": _DEFAULT, "by_kind": by_kind,
            "counts": {key: cells[key] for key in sorted(cells)}}


def reliability_bins(pairs: list[tuple[float, bool]], bins: int = 10) -> list[dict[str, Any]]:
    """Per equal-width confidence bin with values: its range, mean confidence, accuracy and size."""
    grouped: dict[int, list[tuple[float, bool]]] = {}
    for confidence, right in pairs:
        grouped.setdefault(min(int(confidence * bins), bins - 1), []).append((confidence, right))
    return [
        {"low": index / bins, "high": (index + 1) / bins, "n": len(group),
         "confidence": round(sum(c for c, _ in group) / len(group), 4),
         "accuracy": round(sum(r for _, r in group) / len(group), 4)}
        for index, group in sorted(grouped.items())
    ]


def calibration_error(pairs: list[tuple[float, bool]], bins: int = 10) -> float | None:
    """Expected calibration error: per equal-width confidence bin, |accuracy - mean confidence|, weighted."""
    if not pairs:
        return None
    return round(sum(b["n"] * abs(b["accuracy"] - b["confidence"]) for b in reliability_bins(pairs, bins)) / len(pairs), 4)


def build_evidence(
    data: dict[str, Any], text: str, provider: str = "rules", text_map: TextMap | dict[str, Any] | None = None,
    dropped: dict[str, dict[str, str]] | None = None,
) -> dict[str, ValueEvidence]:
    """Evidence object beside ``data``: JSON pointer -> where the value was found in ``text`` (and, with
    the extraction's ``text_map``, on which page and in which box or paragraph), and how sure.

    ``dropped`` (pointer -> ``{"value", "reason"}``, from an LLM provider's grounding) is recorded at its
    pointer. Where ``data`` has no value there, the entry has confidence 0: the LLM saw something the
    document does not hold, so a reviewer should look (a dropped key value flags the job).
    """
    positions = text_map if isinstance(text_map, TextMap) else TextMap.from_json(text_map)
    evidence: dict[str, ValueEvidence] = {}
    for pointer, value in iter_scalars(data):
        found = locate(value, text)
        found["confidence"] = confidence_for(field_kind(pointer), found["match"], provider)
        if found["span"] is not None:
            found.update(positions.position(found["span"]))  # type: ignore[typeddict-item]
        evidence[pointer] = found
    for pointer, record in (dropped or {}).items():
        entry = evidence.setdefault(pointer, {"span": None, "match": "none", "confidence": 0.0})
        entry["dropped"], entry["reason"] = record["value"], record["reason"]
    return evidence


def dropped_records(evidence: dict[str, Any]) -> dict[str, dict[str, str]]:
    """The dropped LLM values an evidence object records, in ``build_evidence``'s ``dropped`` form (to rebuild it)."""
    return {
        pointer: {"value": entry["dropped"], "reason": entry.get("reason", "not_in_document")}
        for pointer, entry in evidence.items()
        if isinstance(entry, dict) and "dropped" in entry
    }


def key_pointers(data: dict[str, Any]) -> list[str]:
    """The values a reviewer must trust: name, e-mail, phone, and the current job's title and company.

    The current job is the one marked ``is_current``, else the first listed (CVs list the newest first).
    """
    pointers = ["/contact_info/name", "/contact_info/email", "/contact_info/phone"]
    jobs = data.get("experience") or []
    if jobs:
        current = next((index for index, job in enumerate(jobs) if isinstance(job, dict) and job.get("is_current")), 0)
        pointers += [f"/experience/{current}/title", f"/experience/{current}/company"]
    return pointers


def key_confidence(data: dict[str, Any] | None, evidence: dict[str, Any]) -> float | None:
    """The lowest confidence among the key values present; ``None`` when none has one.

    A CV always names its person, so data without a name is 0: the name was missed. (An absent
    e-mail or phone is not: many CVs, LinkedIn exports among them, print neither.)
    """
    if data and not (data.get("contact_info") or {}).get("name"):
        return 0.0
    scores = [
        float(evidence[pointer]["confidence"])
        for pointer in key_pointers(data or {})
        if isinstance(evidence.get(pointer), dict) and "confidence" in evidence[pointer]
    ]
    return min(scores) if scores else None
