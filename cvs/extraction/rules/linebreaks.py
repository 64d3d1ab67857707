"""Line breaks for CV text that lost them (pasted from a web form, or a PDF whose text layer is one run per page).

The rules read a CV line by line; with no line breaks, nothing but the e-mail comes out. When the
text's lines are far longer than any CV line, :func:`restore_line_breaks` cuts them where a CV
breaks: around section headings (in capitals, in title case before a capital, or before a colon),
around date ranges, before bullets, after e-mail addresses and links, and between a name, the title
after it and a trailing "City, Country".
"""

from __future__ import annotations

import re

from ..levels import degree_level
from ..textnorm import fold, has_han
from .contacts import EMAIL_RE, is_title_like
from .dates import find_date_range
from .sections import header_kind
from .vocab import INSTITUTION_WORDS, TITLE_WORDS

# A CV line is rarely longer than this; a text whose lines average more lost its breaks.
_LONG_LINE = 250
_MAX_HEADER_WORDS = 5
_BULLETS = re.compile(r"\s+(?=[•▪●◦■►✓➢]\s)")
_CONTACT_TOKEN = re.compile(rf"(?:{EMAIL_RE.pattern}|(?:https?://|www\.)\S+)(?=\s)", re.IGNORECASE)
# The last sentence end before an entry heading: ". " then a capital.
_SENTENCE_END = re.compile(r".*[.!?](?=\s+[A-ZÀ-Þ])")
_NAME_WORD = re.compile(r"^[A-ZÀ-Þ][a-zà-ÿ'’]+(?:-[A-ZÀ-Þ][a-zà-ÿ'’]+)*$|^[A-ZÀ-Þ][A-ZÀ-Þ'’-]+$")


def lost_line_breaks(text: str) -> bool:
    lines = [ln for ln in text.splitlines() if ln.strip()]
    return bool(lines) and len(text) / len(lines) > _LONG_LINE


def restore_line_breaks(text: str) -> str:
    """``text`` with line breaks where a CV has them, when it lost them; otherwise unchanged."""
    if not lost_line_breaks(text):
        return text
    out: list[str] = []
    for line in text.splitlines():
        if len(line) <= _LONG_LINE:
            out.append(line)
            continue
        for piece in _split_headings(line):
            for part in _split_dates(_CONTACT_TOKEN.sub(lambda m: f"\n{m.group(0)}\n", _BULLETS.sub("\n", piece))):
                out.extend(p.strip() for p in part.split("\n") if p.strip())
    if out:
        out[:1] = _split_header_line(out[0])
    ranges = [_is_range(line) for line in out]
    lines: list[str] = []
    for index, line in enumerate(out):
        before_dates = index + 1 < len(out) and ranges[index + 1] and not ranges[index]
        lines.extend(_split_entry_heading(line) if before_dates else [line])
    return "\n".join(lines)


def _is_range(line: str) -> bool:
    found = find_date_range(line)
    return found is not None and found.start is not None and found.start_pos == 0


def _split_entry_heading(line: str) -> list[str]:
    """The heading before a date range, apart from the sentence it followed and cut into its fields:
    "• Led a team. Data Engineer Globex Corporation" → "• Led a team.", "Data Engineer", "Globex Corporation";
    "MSc Computer Science University of Leeds" → "MSc Computer Science", "University of Leeds"."""
    sentence = _SENTENCE_END.search(line)
    head = [line[: sentence.end()].strip()] if sentence else []
    heading = line[sentence.end():].strip() if sentence else line
    words = heading.split()
    school_at = next((i for i, w in enumerate(words) if i and fold(w) in INSTITUTION_WORDS), None)
    if school_at is not None and degree_level(" ".join(words[:school_at])):
        return [*head, " ".join(words[:school_at]), " ".join(words[school_at:])]
    title_ends = [i for i, w in enumerate(words) if fold(w) in TITLE_WORDS]
    if title_ends and title_ends[-1] + 1 < len(words) and words[title_ends[-1] + 1][:1].isupper():
        cut = title_ends[-1] + 1
        return [*head, " ".join(words[:cut]), " ".join(words[cut:])]
    return [*head, heading]


def _is_heading(words: list[str], previous: str | None, following: str | None) -> bool:
    phrase = " ".join(words)
    if header_kind(phrase, fuzzy=False) is None:
        return False
    if has_han(phrase) or phrase.endswith((":", "：")) or (following or "").startswith((":", "：")):
        return True
    letters = [w for w in words if any(ch.isalpha() for ch in w)]
    if letters and all(w.isupper() for w in letters):
        return True
    # Title case ("Work Experience") or sentence case ("Experiencia profesional"), between sentences or entries,
    # not after a small word ("years of Experience").
    title_case = bool(letters) and letters[0][:1].isupper() and (
        all(w[:1].isupper() for w in letters) or all(w.islower() for w in letters[1:])
    )
    after_break = previous is None or not previous.islower() or previous.endswith((".", ":", ";", "!", "?"))
    before_capital = following is None or following[:1].isupper() or following[:1].isdigit()
    return title_case and after_break and before_capital


def _split_headings(line: str) -> list[str]:
    words = line.split()
    pieces: list[list[str]] = [[]]
    i = 0
    while i < len(words):
        for n in range(min(_MAX_HEADER_WORDS, len(words) - i), 0, -1):
            previous = words[i - 1] if i else None
            following = words[i + n] if i + n < len(words) else None
            if _is_heading(words[i : i + n], previous, following):
                pieces.extend([words[i : i + n], []])
                i += n
                break
        else:
            pieces[-1].append(words[i])
            i += 1
    return [" ".join(p) for p in pieces if p]


def _split_dates(piece: str) -> list[str]:
    """The piece cut before and after each date range (a range, not a lone year inside a sentence)."""
    out: list[str] = []
    kept = ""  # text before the next range, lone dates included ("graduated in 2014")
    rest = piece
    while rest:
        found = find_date_range(rest)
        if found is None:
            break
        if found.start is None:
            kept, rest = kept + rest[: found.end_pos], rest[found.end_pos :]
            continue
        out.extend([kept + rest[: found.start_pos], rest[found.start_pos : found.end_pos]])
        kept, rest = "", rest[found.end_pos :]
    out.append(kept + rest)
    return [p for p in (s.strip(" ,|") for s in out) if p]


def _split_header_line(line: str) -> list[str]:
    """"Jane Roe Senior Data Engineer London, UK" → name, title, place."""
    words = line.split()
    sizes = [
        size for size in (2, 3)
        if len(words) > size and all(_NAME_WORD.match(w) for w in words[:size])
        and is_title_like(" ".join(words[size : size + 4]))
    ]
    if not sizes:
        return [line]
    # The title's first word names a role ("Senior", "Lead", "Engineer"): the name ends before it.
    size = next((n for n in sizes if fold(words[n]) in TITLE_WORDS), sizes[0])
    title, place = _trailing_place(words[size:])
    return [" ".join(words[:size]), " ".join(title), *([" ".join(place)] if place else [])]


def _trailing_place(words: list[str]) -> tuple[list[str], list[str]]:
    """(title, place) of "Senior Data Engineer New York, USA": the place is the capitalised words
    before the last comma that are not role words, and what follows the comma."""
    comma = next((i for i in range(len(words) - 1, -1, -1) if words[i].endswith(",")), None)
    if comma is None or comma + 1 >= len(words):
        return words, []
    start = comma
    while start > 0 and comma - start < 2 and words[start - 1][:1].isupper() and fold(words[start - 1]) not in TITLE_WORDS:
        start -= 1
    if start == 0 or not words[start][:1].isupper() or fold(words[start].rstrip(",")) in TITLE_WORDS:
        return words, []
    return words[:start], words[start:]
