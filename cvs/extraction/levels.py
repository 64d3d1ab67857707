"""Education levels: the one enum, its order and every word that names a level (en/es/fr/zh).

The cv-data contract, the candidate model, screening, the talents API and analytics all
read levels from here, so a level added or re-ordered changes everywhere at once.
Every word that names a level is written once, in ``_WORDS``; three readers match it three ways:

- :func:`education_level` reads a *label* someone typed ('本科', 'Máster'): exact, whole label, any word.
- :func:`degree_level` reads a *degree* printed in a CV ('MSc Data Science'): any word it contains.
- :func:`mentioned_level` reads a *question* ('who has a master's degree'): only the words that cannot
  be anything else in free text, so 'mastered' or 'ma question' name no level.

Where a text names several levels, the highest wins, and a longer word wins over a shorter one inside
it ('grado superior' is vocational, 'grado' bachelor).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from enum import StrEnum
from typing import NamedTuple

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


# How each level is named back to a person who asks for a language (``?lang=`` / Accept-Language); every
# label is also in _WORDS, so what the API answers it accepts again. English keeps the codes.
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


class _Names(NamedTuple):
    anywhere: tuple[str, ...]
    """Words that name the level in a label, a degree and a free-text question."""
    qualified: tuple[str, ...] = ()
    """Words that name it only where a level is expected (a typed label, a degree): short or common words
    that mean something else in free text ('ma', 'bs', 'doctor', 'licencié', 'bac', 'cap', 'lycée')."""


# The one table of level words (en/es/fr/zh), written folded: lowercase, no accents, punctuation as spaces.
# 'técnico superior' names associate, like its French peers BTS and DUT (and as the API's Spanish name for
# it), while the Spanish vocational-training words ('ciclo formativo', 'grado superior') name vocational.
_WORDS: dict[str, _Names] = {
    "doctorate": _Names(("phd", "ph d", "dphil", "doctorate", "doctoral", "doctorado", "doctorat", "docteur", "博士"),
                        ("doctor", "doctor of", "doctora", "edd", "md")),
    "master": _Names(("master", "masters", "msc", "m sc", "mba", "maestria", "magister", "mastere", "mres", "mphil",
                      "diplome d ingenieur", "titre d ingenieur", "ingeniero superior", "ingenieria superior",
                      "硕士", "研究生"),
                     ("ma", "ms", "m s", "meng", "m eng", "dea", "dess", "llm", "ingenieur",
                      "m tech", "mtech", "m e", "mca", "m com", "mcom")),
    "bachelor": _Names(("bachelor", "bachelors", "bsc", "b sc", "licenciatura", "grado", "licence", "本科", "学士"),
                       ("ba", "bs", "b s", "beng", "b eng", "bba", "llb", "graduado", "graduada", "licenciado",
                        "licenciada", "licencie", "ingenieria tecnica", "ingeniero tecnico",
                        "b tech", "btech", "b e", "bca", "b com", "bcom")),
    "associate": _Names(("associate degree", "associate s degree", "associates degree", "bts", "dut", "tecnico superior",
                         "大专", "专科"),
                        ("associate", "associates", "aas", "deust", "hnd", "foundation degree", "高职")),
    "vocational": _Names(("vocational", "formacion profesional", "formation professionnelle", "ciclo formativo",
                          "grado superior", "grado medio", "tecnico medio", "fp", "中专", "职高"),
                         ("apprenticeship", "ciclo superior", "cap", "bep", "bac pro", "certificat d aptitude", "技校")),
    "secondary": _Names(("high school", "secondary school", "bachillerato", "baccalaureat", "高中"),
                        ("ged", "a levels", "bac", "eso", "lycee",
                         "class xii", "class x", "hsc", "ssc", "higher secondary", "senior secondary")),
    "other": _Names((), ("其他", "otro", "autre")),  # a label only: no degree or question names 'other'
}

_LABEL_LEVELS = {
    compact(word): level for level, names in _WORDS.items() for word in (level, *names.anywhere, *names.qualified)
}


def education_level(label: str) -> str | None:
    """Level code for a label ('本科' → 'bachelor', 'Master of Science' → 'master'), or None."""
    words = (label or "").split()
    return _LABEL_LEVELS.get(compact(label or "")) or (_LABEL_LEVELS.get(compact(words[0])) if words else None)


def _pattern(words: Iterable[tuple[str, str]]) -> tuple[re.Pattern[str], dict[str, str]]:
    """One alternation over folded text, longest word first (so it wins over a shorter word inside it)."""
    levels = dict(words)
    alternation = "|".join(re.escape(word) for word in sorted(levels, key=len, reverse=True))
    return re.compile(rf"(?<![a-z0-9])(?:{alternation})(?![a-z0-9])"), levels


# Per ranked level, its degree words: where evidence (``sources``) looks for the words a level was read from.
LEVEL_WORD_PATTERNS: dict[str, re.Pattern[str]] = {
    level: _pattern((word, level) for word in (*names.anywhere, *names.qualified))[0]
    for level, names in _WORDS.items()
    if level in RANKED_LEVELS
}
_DEGREE_WORDS = _pattern(
    (word, level) for level, names in _WORDS.items() if level in RANKED_LEVELS for word in (*names.anywhere, *names.qualified)
)
_QUESTION_WORDS = _pattern((word, level) for level, names in _WORDS.items() if level in RANKED_LEVELS for word in names.anywhere)


def _highest_named(text: str, words: tuple[re.Pattern[str], dict[str, str]]) -> str | None:
    pattern, levels = words
    return highest_level(levels[match.group(0)] for match in pattern.finditer(fold(text or "")))


def degree_level(text: str) -> str | None:
    """Education level named in a degree string, or None when it names none."""
    return _highest_named(text, _DEGREE_WORDS)


def mentioned_level(text: str) -> str | None:
    """The highest level a free-text question names, or None."""
    return _highest_named(text, _QUESTION_WORDS)
