"""Locating values of ``data`` that are not copied from the text: by their source form.

The parser normalises what it reads: "Jan 2020" becomes ``2020-01``, "Present" the current
month, "BSc" the level ``bachelor``, "+44 20 7946 0958" ``+442079460958``, "postgres"
"PostgreSQL"; OCR misreads letters; a summary or description joins lines around others. Each
kind is looked for here by what the text says, for any CV (the same readers as the parser, no
per-file rules). A value located this way gets one of these ``match`` kinds:

- ``normalised``: a printed form of the value (a date, a level keyword, the phone's digits, a
  skill alias) near the entry's other values;
- ``fuzzy``: the value with a few character errors (OCR);
- ``partial``: a long value whose parts are found, from the first to the last;
- ``derived``: a value computed from other text (the CV's language code: the whole text; an
  education level no keyword names: its degree).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, cached_property
from typing import Any

import regex

from .levels import LEVEL_WORD_PATTERNS
from .rules.dates import _TOKEN as DATE_TOKEN
from .rules.dates import _is_grade, _token_value
from .rules.skills import _key as skill_key
from .rules.skills import load_skills

_DATE_VALUE = re.compile(r"^(?:19|20)\d{2}(?:-\d{2})?$")
_PHONE_VALUE = re.compile(r"^\+?\d[\d\s().\-/]{6,}$")
_LEVELS = set(LEVEL_WORD_PATTERNS)
_NOT_WORD = re.compile(r"[^\w]")
# Long values (descriptions, summaries) are looked for in parts of this many words.
_PART_WORDS = 8
_SENTENCE_END = re.compile(r"(?<=[.;!?。；])\s+|\s*[•|\n]\s*")
_FUZZY_MIN_CHARS = 4
_PERIOD_MAX_CHARS = 40
_FUZZY_MAX_CHARS = 60


@cache
def _fold_char(ch: str) -> str:
    base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c)).lower()
    return base if len(base) == 1 else ch.lower() if len(ch.lower()) == 1 else ch


class SourceIndex:
    """Source forms found in one text, read once per text and only when a value needs them."""

    def __init__(self, text: str) -> None:
        self.text = text

    @cached_property
    def folded(self) -> str:
        """Lowercase, accent-free, same length as the text (positions carry over)."""
        text = self.text
        return text.lower() if text.isascii() and len(text.lower()) == len(text) else "".join(map(_fold_char, text))

    @cached_property
    def dates(self) -> list[tuple[int, int, str]]:
        """Every date token as (start, end, value): ``YYYY-MM``, ``YYYY`` or ``present``."""
        from datetime import date

        today = date.today()
        folded = self.folded.replace("\u2019", "'").replace("\u00a0", " ")
        out = []
        for tok in DATE_TOKEN.finditer(folded):
            if _is_grade(folded, tok):
                continue
            value = "present" if tok.group("present") else _token_value(tok, today)
            if value:
                out.append((tok.start(), tok.end(), value))
        return out

    @cached_property
    def level_words(self) -> str:
        # The level patterns read folded text with punctuation as spaces ("Ph.D." -> "ph d ").
        return _NOT_WORD.sub(" ", self.folded)

    def levels(self, level: str) -> list[tuple[int, int]]:
        pattern = LEVEL_WORD_PATTERNS.get(level)
        if pattern is None:
            return []
        out = [(m.start(), m.end()) for m in pattern.finditer(self.level_words)]
        out += [(m.start(), m.end()) for m in pattern.finditer(self.text)]
        return sorted(set(out))


def _nearest(candidates: list[tuple[int, int]], anchor: int | None, used: set[tuple[int, int]]) -> tuple[int, int] | None:
    if not candidates:
        return None
    if anchor is None:
        free = [c for c in candidates if c not in used]
        return (free or candidates)[0]
    return min(candidates, key=lambda c: (abs(c[0] - anchor), c in used))


def locate_source(
    pointer: str, value: str, data: dict[str, Any], index: SourceIndex, anchors: dict[str, int], used: set[tuple[int, int]]
) -> tuple[list[int], str] | None:
    """(span, match) of a value by its source form, or None. ``anchors``: where each entry's located
    values start (``/experience/0`` -> offset), to pick the occurrence of a repeated form."""
    entry, _, key = pointer.rpartition("/")
    anchor = anchors.get(entry)
    found: tuple[int, int] | None = None
    if _DATE_VALUE.match(value):
        wanted = {value}
        parent = _parent(data, entry)
        if key.startswith("end") and isinstance(parent, dict) and parent.get("is_current"):
            wanted.add("present")  # the parser writes the current month for "Present"
        found = _nearest([(s, e) for s, e, v in index.dates if v in wanted], anchor, used)
        if found is None and "present" in wanted:
            found = _nearest([(s, e) for s, e, v in index.dates if v == "present"], anchor, used)
        kind = "normalised"
    elif value in _LEVELS and key.endswith("level"):
        if anchor is None and entry == "":  # the CV's highest level: where an entry with that level is
            anchor = next((anchors[f"/education/{i}"] for i, school in enumerate(data.get("education") or [])
                           if isinstance(school, dict) and school.get("level") == value and f"/education/{i}" in anchors), None)
        found = _nearest(index.levels(value), anchor, used)
        kind = "normalised"
        if found is None and anchor is not None:
            return [anchor, anchor + 1], "derived"  # from the entry's degree, which names no known keyword
    elif key == "language" and entry == "":
        return [0, len(index.text)], "derived"
    elif _PHONE_VALUE.match(value):
        digits = re.sub(r"\D", "", value)
        # The national number: the country code may be printed or not.
        pattern = r"[\s().\-/]*".join(digits[-min(len(digits), 9):])
        hits = [(m.start(), m.end()) for m in re.finditer(pattern, index.text)]
        found = _nearest(hits, anchors.get("/contact_info"), used)
        kind = "normalised"
    else:
        found, kind = _date_run(value, index, anchor, used), "normalised"
        if found is None:
            found = _alias(value, index)
        if found is None:
            found, kind = _fuzzy(value, index), "fuzzy"
        if found is None:
            found, kind = _partial(value, index), "partial"
    if found is None:
        return None
    used.add(found)
    return [found[0], found[1]], kind


def _date_run(value: str, index: SourceIndex, anchor: int | None, used: set[tuple[int, int]]) -> tuple[int, int] | None:
    """A period written from dates ("Jul 2023 – Present") where the text prints the same dates
    another way ("07/2023 -- present"): the same date tokens in a row, nearest to the entry."""
    if len(value) > _PERIOD_MAX_CHARS:
        return None
    wanted = [v for _, _, v in SourceIndex(value).dates]
    if not wanted:
        return None
    dates, n = index.dates, len(wanted)
    runs = []
    for i in range(len(dates) - n + 1):
        if [v for _, _, v in dates[i:i + n]] == wanted:
            start, end = dates[i][0], dates[i + n - 1][1]
            # A layout may split the period over two rows with other text between: then the span is
            # its first date, not the text between.
            runs.append((start, end) if end - start <= _PERIOD_MAX_CHARS else (start, dates[i][1]))
    return _nearest(runs, anchor, used)


def _parent(data: dict[str, Any], entry: str) -> Any:
    from .evidence import value_at

    return value_at(data, entry) if entry else data


def _alias(value: str, index: SourceIndex) -> tuple[int, int] | None:
    """A canonicalised skill by one of its dictionary aliases ("PostgreSQL" printed "Postgres")."""
    aliases = sorted(_skill_aliases().get(skill_key(value), []), key=len, reverse=True)
    for alias in aliases:
        found = re.search(rf"(?<!\w){re.escape(alias)}(?!\w)", index.folded)
        if found:
            return found.start(), found.end()
    return None


@cache
def _skill_aliases() -> dict[str, list[str]]:
    """Folded canonical skill name -> its folded aliases."""
    out: dict[str, list[str]] = {}
    for alias, name in load_skills().canonical.items():
        out.setdefault(skill_key(name), []).append(alias)
    return out


def _fuzzy(value: str, index: SourceIndex) -> tuple[int, int] | None:
    """The value with about one character error in six (OCR confusions, a dropped letter)."""
    value = " ".join(value.split())
    if not _FUZZY_MIN_CHARS <= len(value) <= _FUZZY_MAX_CHARS:
        return None
    errors = max(1, len(value) // 6)
    words = [regex.escape(word) for word in value.casefold().split()]
    joined = r"\s+".join(words)
    pattern = rf"(?:{joined}){{e<={errors}}}"
    found = regex.search(pattern, index.folded, flags=regex.BESTMATCH)
    if found is None or found.end() - found.start() < len(value) - errors:
        return None
    return found.start(), found.end()


def _partial(value: str, index: SourceIndex) -> tuple[int, int] | None:
    """A long value (lines joined around others, a summary with a link appended) by its parts: its
    sentences, cut to at most eight words. From the first part found to the last found after it,
    when at least half of the parts are found."""
    parts = [
        " ".join(words[i:i + _PART_WORDS])
        for sentence in _SENTENCE_END.split(value)
        if (words := sentence.split())
        for i in range(0, len(words), _PART_WORDS)
    ]
    return _parts(parts, index) if len(parts) >= 2 else None


def _parts(parts: list[str], index: SourceIndex) -> tuple[int, int] | None:
    spans = []
    for part in parts:
        words = [re.escape(word) for word in part.casefold().split()]
        found = re.search(r"\s+".join(words), index.folded) if words else None
        if found:
            spans.append((found.start(), found.end()))
    if not spans or 2 * len(spans) < len(parts):
        return None
    start = spans[0][0]
    end = max(e for s, e in spans if s >= start)
    return start, end
