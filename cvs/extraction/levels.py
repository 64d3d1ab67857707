"""Education levels: the one enum, its order and every word that names a level (en/es/fr/zh).

The cv-data contract, the candidate model, screening, the talents API and analytics all
read levels from here, so a level added or re-ordered changes everywhere at once.
Three readers need three kinds of matching, each with its own table below:

- :func:`education_level` reads a *label* someone typed ('本科', 'Máster'): exact, whole label.
- :func:`degree_level` reads a *degree* printed in a CV ('MSc Data Science'): the first of
  many patterns, abbreviations included, that the degree string contains.
- :func:`mentioned_level` reads a *question* ('who has a master's degree'): only words that
  cannot be anything else in free text, so 'mastered' or 'ma question' name no level.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from enum import StrEnum

from .textnorm import compact, fold


class EducationLevel(StrEnum):
    """In ascending order; ``OTHER`` is a level the contract can state but not rank."""

    SECONDARY = "secondary"
    VOCATIONAL = "vocational"
    ASSOCIATE = "associate"
    BACHELOR = "bachelor"
    MASTER = "master"
    DOCTORATE = "doctorate"
    OTHER = "other"


EDUCATION_LEVELS: tuple[str, ...] = tuple(level.value for level in EducationLevel)
RANKED_LEVELS: tuple[str, ...] = tuple(level for level in EDUCATION_LEVELS if level != EducationLevel.OTHER)


def education_rank(level: str | None) -> int | None:
    """1 for secondary up to 6 for doctorate; None for 'other', blanks and unknown strings."""
    return RANKED_LEVELS.index(level) + 1 if level in RANKED_LEVELS else None


def highest_level(levels: Iterable[str | None]) -> str | None:
    """The highest ranked level among ``levels``, or None when none is ranked."""
    ranked = [level for level in levels if level in RANKED_LEVELS]
    return max(ranked, key=RANKED_LEVELS.index) if ranked else None


def levels_at_least(level: str) -> list[str]:
    """``level`` and every level above it (a requested level means "this or higher")."""
    return list(RANKED_LEVELS[RANKED_LEVELS.index(level) :]) if level in RANKED_LEVELS else [level]


# Labels a person types for a level, besides its code.
_LABELS: dict[str, tuple[str, ...]] = {
    "secondary": ("高中", "high school", "bachillerato", "baccalauréat", "lycée"),
    "vocational": ("中专", "职高", "技校", "fp", "formación profesional", "formation professionnelle"),
    "associate": ("大专", "专科", "associate degree", "técnico superior", "dut", "bts"),
    "bachelor": ("本科", "学士", "bachelors", "bachelor's", "grado", "licenciatura", "licence", "bsc", "ba"),
    "master": ("硕士", "研究生", "masters", "master's", "máster", "maestría", "msc", "mba", "diplôme d'ingénieur", "ingénieur"),
    "doctorate": ("博士", "phd", "doctorado", "doctorat", "doctor"),
    "other": ("其他", "otro", "autre"),
}
_LABEL_LEVELS = {compact(label): level for level, labels in _LABELS.items() for label in (level, *labels)}


# How each level is named back to a person who asks for a language (``?lang=`` / Accept-Language); every
# label is also in _LABELS, so what the API answers it accepts again. English keeps the codes.
LEVEL_LANGUAGES = ("en", "es", "fr", "zh")
_DISPLAY: dict[str, dict[str, str]] = {
    "zh": {"secondary": "高中", "vocational": "中专", "associate": "大专", "bachelor": "本科", "master": "硕士",
           "doctorate": "博士", "other": "其他"},
    "es": {"secondary": "bachillerato", "vocational": "formación profesional", "associate": "técnico superior",
           "bachelor": "grado", "master": "máster", "doctorate": "doctorado", "other": "otro"},
    "fr": {"secondary": "baccalauréat", "vocational": "formation professionnelle", "associate": "bts",
           "bachelor": "licence", "master": "master", "doctorate": "doctorat", "other": "autre"},
}


def language_asked(lang_param: str | None, accept_language: str | None) -> str | None:
    """The language a caller asks answers in: ``?lang=``, else the first Accept-Language tag; en/es/fr/zh or None."""
    raw = lang_param or (accept_language or "").split(",")[0]
    primary = raw.split(";")[0].strip().split("-")[0].lower()
    return primary if primary in LEVEL_LANGUAGES else None


def level_label(level: str | None, language: str | None) -> str | None:
    """The name of a level code in ``language`` (en, es, fr, zh); the code itself otherwise."""
    return _DISPLAY.get(language or "", {}).get(level or "", level)


def education_level(label: str) -> str | None:
    """Level code for a label ('本科' → 'bachelor', 'Master of Science' → 'master'), or None."""
    words = (label or "").split()
    return _LABEL_LEVELS.get(compact(label or "")) or (_LABEL_LEVELS.get(compact(words[0])) if words else None)


# (pattern on the folded degree string, level); the first matching pattern wins, so the
# most specific forms come first.
_DEGREE_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"\b(?:phd|ph d|dphil|doctorate|doctor of|doctorado|doctora?|doctorat|docteur|edd|md)\b", "doctorate"),
    (r"博士", "doctorate"),
    (r"\b(?:diplome d ingenieur|titre d ingenieur|ingeniero superior|ingenieria superior)\b", "master"),
    (r"\b(?:master|masters|msc|m sc|mba|meng|m eng|ma|ms|m s|mres|mphil|maestria|magister|mastere"
     r"|dea|dess|llm)\b", "master"),
    (r"硕士|研究生", "master"),
    # Spanish vocational titles contain "grado"/"técnico superior"; decide them first.
    (r"\b(?:ciclo formativo|ciclo superior|formacion profesional|grado superior|grado medio"
     r"|tecnico superior|tecnico medio)\b", "vocational"),
    (r"\b(?:bachelor|bachelors|bsc|b sc|ba|bs|b s|beng|b eng|bba|llb|grado|graduado|graduada"
     r"|licenciatura|licenciado|licenciada|licence|licencie|ingenieria tecnica|ingeniero tecnico"
     r"|bachelor universitaire)\b", "bachelor"),
    (r"本科|学士", "bachelor"),
    (r"\b(?:associate|associates|aas|dut|bts|deust|hnd|foundation degree)\b", "associate"),
    (r"大专|专科|高职", "associate"),
    (r"\b(?:vocational|apprenticeship|fp|cap|bep|bac pro|certificat d aptitude)\b", "vocational"),
    (r"中专|职高|技校", "vocational"),
    (r"\b(?:high school|secondary school|ged|a levels|bachillerato|baccalaureat|bac|eso)\b", "secondary"),
    (r"高中", "secondary"),
)
_DEGREES = tuple((re.compile(pattern), level) for pattern, level in _DEGREE_PATTERNS)


def degree_level(text: str) -> str | None:
    """Education level named in a degree string, or None when it names none."""
    folded = fold(text)
    for pattern, level in _DEGREES:
        if pattern.search(folded) or pattern.search(text):
            return level
    return None


# (level, pattern on the raw question); searched between ASCII letter boundaries, highest level first.
_MENTION_PATTERNS: tuple[tuple[str, str], ...] = (
    ("doctorate", r"ph\.?\s?d|doctora(?:te|l|do)|doctorat|博士"),
    ("master", r"master'?s?|m\.?sc|mba|m[aá]ster|maestr[ií]a|mag[ií]ster|硕士|研究生"),
    ("bachelor", r"bachelor'?s?|b\.?sc|licenciatura|grado|licence|本科|学士"),
    ("associate", r"associate(?:'s)? degree|bts|dut|大专|专科"),
    ("vocational", r"vocational|formaci[oó]n profesional|fp|中专|职高"),
)
_MENTIONS = tuple(
    (level, re.compile(rf"(?<![A-Za-z])(?:{pattern})(?![A-Za-z])", re.IGNORECASE)) for level, pattern in _MENTION_PATTERNS
)


def mentioned_level(text: str) -> str | None:
    """The highest level a free-text question names, or None."""
    for level, pattern in _MENTIONS:
        if pattern.search(text):
            return level
    return None
