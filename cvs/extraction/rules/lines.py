"""Line-level classification shared by the section parsers."""

from __future__ import annotations

import re

from ..textnorm import has_han
from .skills import load_skills

BULLET_RE = re.compile(r"^\s*(?:[-•·▪■◦●○*+=»>–—✓✔➢➤►→°]|\d{1,2}[.)])\s*(?=\S)")
# Separators between list items (skills, tools, languages).
LIST_SPLIT_RE = re.compile(r"\s*(?:[,;·•|、，；▪]|\s/\s|\t)\s*")
_LABEL_RE = re.compile(r"^[^:：]{2,30}[:：]\s*(?=\S)")


def is_bullet(line: str) -> bool:
    return bool(BULLET_RE.match(line))


def strip_bullet(line: str) -> str:
    return BULLET_RE.sub("", line, count=1).strip()


def split_items(line: str) -> list[str]:
    """List items of a line, keeping commas inside parentheses ("Java (8, 11)")."""
    items: list[str] = []
    depth = 0
    current = ""
    for part in re.split(r"([()（）])", line):
        if part in ("(", "（"):
            depth += 1
        elif part in (")", "）"):
            depth = max(0, depth - 1)
        if depth or part in (")", "）"):
            current += part
            continue
        pieces = LIST_SPLIT_RE.split(part)
        current += pieces[0]
        for piece in pieces[1:]:
            items.append(current)
            current = piece
    items.append(current)
    return [item.strip() for item in items if item.strip()]


def strip_label(line: str) -> str:
    """Drop a leading "Label:" ("Technologies: Python, Go" -> "Python, Go")."""
    return _LABEL_RE.sub("", line, count=1)


def is_tools_line(line: str) -> bool:
    """A list of tools under a job ("Django, Celery, PostgreSQL")."""
    body = strip_label(strip_bullet(line))
    items = split_items(body)
    if not items or any(len(item.split()) > 4 for item in items):
        return False
    skills = load_skills()
    known = sum(1 for item in items if skills.lookup(item))
    return known >= max(1, round(len(items) * 0.6))


_HEADING_SEPARATOR = re.compile(r"\s[—–|·]\s|[|｜]")
_ABBREVIATION_END = re.compile(r"(?:\b\w{1,4}\.){1,4}$")


def is_sentence(line: str) -> bool:
    """Prose (a task or a description) rather than a heading-like line."""
    text = strip_bullet(line).rstrip()
    if has_han(text):
        return text.endswith("。") or (len(text) > 22 and not _HEADING_SEPARATOR.search(text))
    words = text.split()
    # "S.A.", "Inc.", "Ltd." end company names, not sentences.
    ends_sentence = text.endswith(".") and not _ABBREVIATION_END.search(text.split()[-1])
    return len(words) > 10 or (len(words) > 5 and ends_sentence)


# Lines export tools add around the CV's content: page footers, "Contact X on
# LinkedIn", recommendation counters. They are nobody's school or employer.
_BOILERPLATE = re.compile(
    r"^(?:(?:page|p[aá]gina)\s+\d+(?:\s+(?:of|de|/)\s+\d+)?"
    r"|(?:page|p[aá]gina)\s+\d+\s+-\s+curriculum\s+vit(?:ae|æ)\s+(?:of|de)(?:\s+.{1,60})?"  # the Europass footer
    r"|contact\s+.{1,60}\s+on\s+linkedin"
    r"|\d+\s+(?:people|person)\s+ha(?:ve|s)\s+recommended\s+.{1,60}"
    r"|(?:curriculum vitae|resume|résumé)\s+(?:of|de)\s+.{1,60}\s+-\s+page\s+\d+)$",
    re.IGNORECASE,
)
_EMAIL_OR_URL = re.compile(
    r"^(?:[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}|(?:https?://|www\.)\S+|(?:[a-z]{2,3}\.)?linkedin\.com/\S+)$",
    re.IGNORECASE,
)


def is_boilerplate(line: str) -> bool:
    return bool(_BOILERPLATE.match(line.strip()))


def is_link_line(line: str) -> bool:
    """A line that is only an e-mail address or an explicit URL (a contact, not an entry)."""
    return bool(_EMAIL_OR_URL.match(strip_bullet(line).strip()))
