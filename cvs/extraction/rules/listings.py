"""List-like sections: skills, languages, certifications and projects."""

from __future__ import annotations

import re
from datetime import date

from rapidfuzz import process

from ..textnorm import fold, has_han
from .dates import find_date_range
from .lines import is_bullet, split_items, strip_bullet, strip_label
from .sections import header_kind
from .skills import load_skills
from .vocab import LANGUAGE_LEVEL_RE, LANGUAGE_NAMES

_PAREN = re.compile(r"\s*[(（][^)）]*[)）]\s*")
_MAX_SKILL_WORDS = 5
# "English (native)", "Inglés (Avanzado (C1))", "Français : courant", "German - B2".
_LANG_ITEM = re.compile(r"^(?P<lang>[^(（:：–—\-]+?)\s*(?:[(（:：–—\-]\s*(?P<level>.*?)\s*[)）]?)?$")
_YEAR = re.compile(r"\b((?:19|20)\d{2})\b")
# Cells of a row joined by the reading order (" | ") or a tab.
_ROW_SEGMENT = re.compile(r"\s+[|｜]\s+|\t")
_ISSUER_SEP = re.compile(r"\s+[—–-]\s+|\s*[|｜]\s*")


# A proficiency printed beside a skill ("HubSpot | Advanced") is not a skill.
_SKILL_LEVEL_WORDS = {"expert", "experto", "experta", "novice", "principiante", "confirme", "master"}


def _is_level(item: str) -> bool:
    key = fold(item)
    return key in _SKILL_LEVEL_WORDS or bool(LANGUAGE_LEVEL_RE.fullmatch(key))


def _is_group_label(line: str, following: str | None) -> bool:
    """Skill group names ("Core", "Frontend", or a row "Core | Tools" of cards) above the groups'
    lists, not skills.

    Each is a lone short item that is not a known skill, over a line listing several items (one
    list per name when the names form a row).
    """
    cells = _ROW_SEGMENT.split(line.strip())
    skills = load_skills()
    if any(len(split_items(cell)) != 1 or len(cell.split()) > 3 or skills.lookup(cell) for cell in cells):
        return False
    if len(cells) == 1 and line.rstrip().endswith((":", "：")):
        return True
    if following is None:
        return False
    if len(cells) == 1:
        return len(split_items(following)) >= 2
    lists = _ROW_SEGMENT.split(following.strip())
    return len(lists) == len(cells) and all(len(split_items(cell)) >= 2 for cell in lists)


def parse_skills(lines: list[str]) -> list[str]:
    """Skills listed in a skills section; known ones in canonical spelling (the CV's own when fuller)."""
    skills = load_skills()
    out: list[str] = []
    lines = [ln for ln in lines if ln.strip()]
    for n, raw in enumerate(lines):
        following = strip_label(strip_bullet(lines[n + 1])) if n + 1 < len(lines) else None
        if _is_group_label(strip_bullet(raw), following):
            continue
        line = strip_label(strip_bullet(raw))
        for item in split_items(line):
            if _is_level(item):
                continue
            name = skills.display(item)
            if name is None:
                bare = _PAREN.sub(" ", item).strip()
                name = skills.display(bare)
                if name is None:
                    found = skills.find(item)
                    if found:
                        out.extend(found)
                        continue
                    words = bare.split()
                    if not words or len(words) > _MAX_SKILL_WORDS or header_kind(bare) or bare.endswith("."):
                        continue
                    if not re.search(r"[A-Za-z\u4e00-\u9fff]", bare):
                        continue
                    name = bare
            out.append(name)
    return out


def _language_code(name: str) -> str | None:
    key = fold(name)
    if key in LANGUAGE_NAMES:
        return LANGUAGE_NAMES[key]
    if name in LANGUAGE_NAMES:
        return LANGUAGE_NAMES[name]
    if has_han(name) or len(key) < 5:
        return None
    match = process.extractOne(key, LANGUAGE_NAMES.keys(), score_cutoff=85)
    return LANGUAGE_NAMES[match[0]] if match else None


def _pair_card_rows(lines: list[str]) -> list[str]:
    """A grid of cards read row by row ("Español | Inglés" over "Nativo | Avanzado (C1)") as
    one "language (level)" item per card."""
    out: list[str] = []
    n = 0
    while n < len(lines):
        names = _ROW_SEGMENT.split(lines[n])
        levels = _ROW_SEGMENT.split(lines[n + 1]) if n + 1 < len(lines) else []
        if (
            len(names) >= 2
            and len(levels) == len(names)
            and all(_language_code(name.strip()) for name in names)
            and all(LANGUAGE_LEVEL_RE.search(fold(level) + " " + level) for level in levels)
        ):
            out.extend(f"{name.strip()} ({level.strip()})" for name, level in zip(names, levels, strict=True))
            n += 2
            continue
        out.append(lines[n])
        n += 1
    return out


def parse_languages(lines: list[str]) -> list[dict]:
    out: list[dict] = []
    seen: set[str] = set()
    for raw in _pair_card_rows(lines):
        for item in split_items(strip_bullet(raw)):
            m = _LANG_ITEM.match(item)
            if not m:
                continue
            name = m.group("lang").strip()
            level = (m.group("level") or "").strip() or None
            if level is None and " " in name:
                # "English Native", "Inglés nativo"
                first, _, rest = name.partition(" ")
                if _language_code(first) and LANGUAGE_LEVEL_RE.search(fold(rest) + " " + rest):
                    name, level = first, rest
            known = _language_code(name) is not None
            if not known and out and out[-1]["level"] is None and LANGUAGE_LEVEL_RE.match(fold(name)):
                # "Inglés" / "Avanzado (C1)": the line under a language is its level.
                out[-1]["level"] = item.strip()
                continue
            has_level = level is not None and bool(LANGUAGE_LEVEL_RE.search(fold(level) + " " + level))
            if not known and not (has_level and len(name.split()) <= 2 and not any(c.isdigit() for c in name)):
                continue
            if fold(name) in seen:
                continue
            seen.add(fold(name))
            out.append({"language": name, "level": level})
    return out


_MIN_HEADER_LANGUAGES = 2


def languages_in_contact_lines(lines: list[str]) -> list[dict]:
    """Languages printed in the header's contact row ("Lyon | jane@example.com | English, French").

    For CVs without a languages section; a segment counts only when every item of it is a known
    language name, so a city or a skill list is never read as languages.
    """
    for line in lines:
        for segment in _ROW_SEGMENT.split(line):
            items = split_items(segment)
            if len(items) < _MIN_HEADER_LANGUAGES or not all(_language_code(_PAREN.sub(" ", i).strip()) for i in items):
                continue
            return parse_languages([segment])
    return []


def parse_certifications(lines: list[str]) -> list[dict]:
    out: list[dict] = []
    for raw in lines:
        line = strip_bullet(raw)
        if not line or len(line.split()) > 15:
            continue
        year = None
        if m := _YEAR.search(line):
            year = int(m.group(1))
            line = (line[: m.start()] + line[m.end() :]).strip(" ,()-–—|")
            line = re.sub(r"\(\s*\)", "", line).strip()
        issuer = None
        parts = _ISSUER_SEP.split(line, maxsplit=1)
        if len(parts) == 2 and parts[1].strip():
            line, issuer = parts[0].strip(), parts[1].strip()
        if line:
            out.append({"name": line, "issuer": issuer, "year": year})
    return out


def parse_projects(lines: list[str], today: date) -> list[dict]:
    projects: list[dict] = []
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        found = find_date_range(line, today)
        if is_bullet(raw) or (projects and len(line.split()) > 8):
            if projects:
                text = strip_bullet(line)
                desc = projects[-1]["description"]
                projects[-1]["description"] = f"{desc} {text}" if desc else text
            continue
        name = line
        period = None
        if found is not None:
            period = found.text.strip()
            name = (line[: found.start_pos] + line[found.end_pos :]).strip(" |,–—-()")
            if not name and projects and projects[-1]["period"] is None:
                projects[-1]["period"] = period
                continue
        role = None
        parts = re.split(r"\s+[—–|-]\s+", name, maxsplit=1)
        if len(parts) == 2:
            name, role = parts[0].strip(), parts[1].strip()
        projects.append({"name": name or None, "role": role, "description": None, "period": period})
    return projects
