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
from .sources import SourceIndex, locate_source

CONFIDENCE_PATH = Path(__file__).resolve().parent / "data" / "confidence.json"
LLM_PROVIDERS = frozenset({"openai", "anthropic", "hybrid"})
# The table is fitted on the rules provider only (the corpora run offline). The rules provider
# copies from the text, so its unlocated values are mostly normalised forms (dates, levels); an
# LLM's unlocated (or only approximately located) value may be invented, so it never counts as more than this.
LLM_UNGROUNDED_CAP = 0.2
# A (kind, match) cell needs this many judged values before it overrides the match kind's prior.
MIN_CELL = 10
# Values located by a source form (sources.py) start from the "none" prior: they are not copies.
_DEFAULT = {"exact": 0.9, "case": 0.8, "none": 0.3, "normalised": 0.3, "fuzzy": 0.3, "partial": 0.3, "derived": 0.3}
SOURCE_MATCHES = frozenset({"normalised", "fuzzy", "partial", "derived"})
# An LLM's value the text holds only approximately may be invented as much as one it does not hold.
UNCOPIED = frozenset({"none", "fuzzy", "partial", "derived"})


class ValueEvidence(TypedDict):
    span: list[int] | None
    # "exact", "case" (case/spacing-insensitive), "none" (not found in the text), or found by a source
    # form: "normalised", "fuzzy", "partial", "derived" (see sources.py)
    match: str
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


_MAX_OCCURRENCES = 20
_ENTRY = re.compile(r"^(/[^/]+/\d+)/")


def occurrences(value: str, text: str) -> list[tuple[int, int]]:
    """Where ``value`` occurs in ``text`` as a whole (not inside a longer word: the skill "Go" is not
    in "Google"), at most 20: exact occurrences, else case/spacing-insensitive ones."""
    out: list[tuple[int, int]] = []
    start = text.find(value)
    while start >= 0 and len(out) < _MAX_OCCURRENCES:
        if _whole(value, text, start, start + len(value)):
            out.append((start, start + len(value)))
        start = text.find(value, start + 1)
    if not out:
        for found in _loose_pattern(value).finditer(text):
            if _whole(value, text, found.start(), found.end()):
                out.append((found.start(), found.end()))
                if len(out) >= _MAX_OCCURRENCES:
                    break
    return out


def _whole(value: str, text: str, start: int, end: int) -> bool:
    # Han text has no spaces between words: only Latin letters and digits must not run on.
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return not (_run_on(value[0], before) or _run_on(value[-1], after))


def _run_on(edge: str, neighbour: str) -> bool:
    return edge.isascii() and edge.isalnum() and neighbour.isascii() and neighbour.isalnum()


def _locate_whole(value: str, text: str) -> ValueEvidence:
    """:func:`locate` for evidence: the first occurrence of the value as a whole."""
    found = occurrences(value, text)
    if found:
        start, end = found[0]
        return {"span": [start, end], "match": "exact" if text[start:end] == value else "case"}
    # An e-mail or URL a narrow column wrapped; short values would match across any line break.
    wrapped = _wrapped_pattern(value) if len(value) >= 6 else None
    hit = wrapped.search(text) if wrapped else None
    if hit and _whole(value, text, hit.start(), hit.end()):
        return {"span": [hit.start(), hit.end()], "match": "case"}
    return {"span": None, "match": "none"}


def _entry_occurrences(data: dict[str, Any], text: str, evidence: dict[str, ValueEvidence]) -> dict[str, int]:
    """Place the values of each list entry (a job, a school) together, and return where each entry is.

    A job title often also heads the CV ("Data Engineer" as headline, then as the last job): the
    first occurrence is not the job's. The entry's value with the fewest occurrences (its company,
    its dates' neighbour) fixes where the entry is; each other value takes its occurrence nearest
    to it.
    """
    groups: dict[str, list[tuple[str, list[tuple[int, int]]]]] = {}
    for pointer, found in evidence.items():
        in_entry = _ENTRY.match(pointer)
        if in_entry and found["span"] is not None:
            groups.setdefault(in_entry.group(1), []).append((pointer, occurrences(str(value_at(data, pointer)), text)))
    anchors: dict[str, int] = {}
    for entry, values in groups.items():
        values = [(pointer, spans) for pointer, spans in values if spans]
        if not values:
            continue
        anchor = min(values, key=lambda item: len(item[1]))[1][0][0]
        for pointer, spans in values:
            best = min(spans, key=lambda span: abs(span[0] - anchor))
            evidence[pointer]["span"] = [best[0], best[1]]
        anchors[entry] = anchor
    return anchors


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
    cell = table["by_kind"].get(f"{kind}|{match}")
    if cell is None and match in SOURCE_MATCHES:
        # A table fitted before values were located by source form counted them as "none": that
        # cell (or the "none" prior) still describes them until the table is refitted.
        match = "none"
        cell = table["by_kind"].get(f"{kind}|none")
    value = float(cell if cell is not None else table["by_match"].get(match, _DEFAULT[match]))
    if provider in LLM_PROVIDERS and match in UNCOPIED:
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
    evidence: dict[str, ValueEvidence] = {pointer: _locate_whole(value, text) for pointer, value in iter_scalars(data)}
    # Values not copied from the text (dates, levels, the phone's E.164 form, OCR misreads) are looked
    # for by their source form, near their entry's copied values.
    anchors = _entry_occurrences(data, text, evidence)
    for pointer, found in evidence.items():
        owner = pointer.rpartition("/")[0]
        if found["span"] is not None and owner not in anchors:
            anchors[owner] = found["span"][0]  # e.g. /contact_info: where its first value is
    index = SourceIndex(text)
    used: set[tuple[int, int]] = set()
    for pointer, found in evidence.items():
        if found["span"] is None:
            source = locate_source(pointer, str(value_at(data, pointer)), data, index, anchors, used)
            if source is not None:
                found["span"], found["match"] = source
    for pointer, found in evidence.items():
        found["confidence"] = confidence_for(field_kind(pointer), found["match"], provider)
        if found["span"] is not None:
            found.update(positions.position(found["span"]))  # type: ignore[typeddict-item]
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
