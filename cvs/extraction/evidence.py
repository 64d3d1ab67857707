"""Evidence for extracted values: where in the extracted text each value of ``data`` sits.

Provider-independent and Django-free (like the rest of ``cvs.extraction``): it runs after any
provider on the final ``data`` and the extracted text. Values are keyed by JSON pointer into
``data`` (``/experience/0/company``). This first stage records the text ``span`` and how the
value matched; page boxes, DOCX paragraphs and calibrated confidence build on these spans.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, TypedDict


class ValueEvidence(TypedDict):
    span: list[int] | None
    match: str  # "exact", "case" (case/spacing-insensitive) or "none" (not found in the text)


def json_pointer_escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


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


def locate(value: str, text: str) -> ValueEvidence:
    """Where ``value`` first occurs in ``text``: exact, else ignoring case and spacing."""
    start = text.find(value)
    if start >= 0:
        return {"span": [start, start + len(value)], "match": "exact"}
    found = _loose_pattern(value).search(text)
    if found:
        return {"span": [found.start(), found.end()], "match": "case"}
    return {"span": None, "match": "none"}


def build_evidence(data: dict[str, Any], text: str) -> dict[str, ValueEvidence]:
    """Evidence object beside ``data``: JSON pointer -> where the value was found in ``text``."""
    return {pointer: locate(value, text) for pointer, value in iter_scalars(data)}
