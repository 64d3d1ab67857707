"""Reading a recruiter's question: its language and the structured filters it states (en/es/fr/zh).

Skills and locations are recognised against the tenant's own vocabulary (what its candidates
actually have), so "Go" or "Huelva" only become filters when they mean something in the pool.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from analytics.texts import CJK
from cvs.extraction.levels import mentioned_level

_CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_NUM = r"(\d+(?:[.,]\d+)?|[一二两三四五六七八九十]{1,3})"
_YEARS_WORD = r"(?:years?|yrs?|años?|anos?|ans?|ann[ée]es?)"

_MIN_YEARS = [
    rf"{_NUM}\s*\+\s*{_YEARS_WORD}",
    rf"(?:at least|more than|over|minimum(?: of)?|min\.?|más de|mas de|al menos|como mínimo|mínimo|minimo"
    rf"|plus de|au moins|au minimum)\s+{_NUM}\s*{_YEARS_WORD}",
    rf"{_NUM}\s*{_YEARS_WORD}\s*(?:or more|and above|plus|o más|o mas|y más|et plus|ou plus|minimum)",
    rf"{_NUM}\s*年(?:以上|及以上|或以上)",
    rf"(?:超过|至少|不少于|大于)\s*{_NUM}\s*年",
]
_MAX_YEARS = [
    rf"(?:less than|under|fewer than|up to|at most|menos de|como máximo|hasta|moins de|au plus|jusqu'à)\s+{_NUM}\s*{_YEARS_WORD}",
    rf"{_NUM}\s*年(?:以下|以内)",
    rf"(?:不到|少于|不超过)\s*{_NUM}\s*年",
]

_STOPWORDS = {
    "en": {"the", "with", "and", "who", "which", "what", "have", "has", "years", "in", "of", "developers", "are", "any", "how", "many"},
    "es": {"el", "la", "los", "las", "con", "que", "quién", "quienes", "cuáles", "años", "de", "en", "más", "desarrolladores",
           "hay", "y", "del", "qué"},
    "fr": {"le", "la", "les", "avec", "qui", "quels", "quelles", "ans", "des", "de", "à", "plus", "et", "du", "est", "sont",
           "développeurs", "expérience"},
}
_LOCATION_PREPOSITIONS = r"(?:in|near|based in|located in|living in|en|ubicad[oa]s? en|à|basée?s? à|situés? à)"


@dataclass
class Filters:
    min_years: float | None = None
    max_years: float | None = None
    education_min: str | None = None
    skills: list[str] = field(default_factory=list)
    location: str | None = None

    def is_empty(self) -> bool:
        return not any((self.min_years is not None, self.max_years is not None, self.education_min, self.skills, self.location))

    def as_dict(self) -> dict[str, Any]:
        return {key: value for key, value in asdict(self).items() if value not in (None, [], "")}

    def merged_with(self, explicit: Filters) -> Filters:
        """Explicit filters win over those read from the question, field by field."""
        return Filters(
            min_years=explicit.min_years if explicit.min_years is not None else self.min_years,
            max_years=explicit.max_years if explicit.max_years is not None else self.max_years,
            education_min=explicit.education_min or self.education_min,
            skills=explicit.skills or self.skills,
            location=explicit.location or self.location,
        )


def fold(text: str) -> str:
    """Lower case without accents, for matching vocabulary against free text."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(ch))


def detect_language(text: str) -> str:
    """en, es, fr or zh. CJK characters decide at once; otherwise the most stop-words wins."""
    if CJK.search(text):
        return "zh"
    words = re.findall(r"[\wáéíóúñàâçèêëîïôûüœ']+", text.casefold())
    scores = {lang: sum(word in stop for word in words) for lang, stop in _STOPWORDS.items()}
    if "¿" in text or "ñ" in text.casefold():
        scores["es"] += 2
    if re.search(r"[çèêàœ]", text.casefold()):
        scores["fr"] += 2
    best = max(scores, key=lambda lang: (scores[lang], lang == "en"))
    return best if scores[best] else "en"


def _number(raw: str) -> float:
    if raw[0].isdigit():
        return float(raw.replace(",", "."))
    if raw.startswith("十"):  # 十, 十二
        return 10 + (_CN_DIGITS.get(raw[1:], 0) if len(raw) > 1 else 0)
    if "十" in raw:  # 二十, 二十五
        tens, _, units = raw.partition("十")
        return _CN_DIGITS[tens] * 10 + (_CN_DIGITS[units] if units else 0)
    return float(_CN_DIGITS[raw])


def _first_number(patterns: list[str], text: str) -> float | None:
    for pattern in patterns:
        match = re.search(pattern, text, re.IGNORECASE)
        if match:
            return _number(match.group(1))
    return None


def _mentions(term: str, text: str) -> bool:
    # ASCII boundaries only: in "Java开发工程师" the CJK neighbour must not hide "Java".
    flags = 0 if len(term) <= 2 else re.IGNORECASE
    return re.search(rf"(?<![A-Za-z0-9+#.]){re.escape(term)}(?![A-Za-z0-9+#])", text, flags) is not None


def parse_skills(text: str, vocabulary: Iterable[str]) -> list[str]:
    found = sorted({skill for skill in vocabulary if skill and _mentions(skill, text)}, key=len, reverse=True)
    # "Spring Boot" also contains "Spring": keep the longest mention only.
    return sorted(skill for skill in found if not any(skill != other and _mentions(skill, other) for other in found))


def parse_location(text: str, vocabulary: Iterable[str], skills: list[str]) -> str | None:
    folded = fold(text)
    parts = {part.strip() for place in vocabulary for part in place.split(",") if len(part.strip()) >= 2}
    for part in sorted(parts, key=len, reverse=True):
        needle = fold(part)
        if CJK.search(needle):
            if needle in folded:
                return part
        elif re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", folded):
            return part
    # A place none of the candidates lives in is still a filter: it correctly matches nobody.
    match = re.search(rf"\b{_LOCATION_PREPOSITIONS}\s+([A-ZÀ-Ý][\w'\-]+(?:\s+[A-ZÀ-Ý][\w'\-]+)?)", text)
    if match and not any(fold(match.group(1)) == fold(skill) for skill in skills):
        return match.group(1)
    match = re.search(r"(?:在|位于|来自)([\u4e00-\u9fff]{2,4}?)(?:市|的|工作|地区)", text)
    return match.group(1) if match else None


def parse_question(question: str, *, skills_vocabulary: Iterable[str], locations_vocabulary: Iterable[str]) -> Filters:
    skills = parse_skills(question, skills_vocabulary)
    return Filters(
        min_years=_first_number(_MIN_YEARS, question),
        max_years=_first_number(_MAX_YEARS, question),
        education_min=mentioned_level(question),
        skills=skills,
        location=parse_location(question, locations_vocabulary, skills),
    )



def search_terms(question: str) -> str:
    """The question as full-text search input: numbers dropped (they are filters, not words)."""
    return re.sub(r"\d+(?:[.,]\d+)?\+?", " ", question)
