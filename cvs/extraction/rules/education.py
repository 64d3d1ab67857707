"""Education entries: institution, degree, field of study, level and dates.

Each line is typed (degree, institution, dates, other). The type of the first
line is the one that opens every entry in that section; an entry also ends when
a field it already has would be filled again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ..levels import degree_level
from ..textnorm import fold, has_han
from .contacts import is_title_like
from .dates import find_date_range
from .experience import at_heading
from .lines import is_bullet, is_sentence, strip_bullet
from .vocab import INSTITUTION_SUFFIXES_ZH, INSTITUTION_WORDS

_ZH_DEGREE_PREFIX = re.compile(r"^(本科|硕士研究生|硕士|博士研究生|博士|大专|专科|学士|研究生|高中|中专)(?:学位)?\s*[|/，,]?\s*")
_FIELD_CONNECTOR = re.compile(r"\s+(?:in|en|of|de)\s+(?=\S)", re.IGNORECASE)
_DEGREE_OF = re.compile(r"^(?:master|bachelor|doctor|associate)s?'?s?\s+of\s+(?:arts|science|engineering|business"
                        r"|fine arts|laws|philosophy|education|technology|applied science)", re.IGNORECASE)
# An abbreviated degree before its field, with no connector: "M.Sc. Statistics", "BSc Computer Science".
_DEGREE_ABBREVIATION = re.compile(
    r"^((?:[A-Z][A-Za-z]{0,3}\.){1,3}|(?:B|M)(?:Sc|Eng|Ed|Tech|Phil|Arch|Com|BA|FA|S|A)|MBA|PhD|DPhil|LLB|LLM)\s+(?=[A-Z])"
)

DEGREE, INSTITUTION, DATES, OTHER = "degree", "institution", "dates", "other"
COMBINED = "combined"  # a line that held a whole entry
# "Grade: 3.9", "Activities and Societies: …", "Thesis: …", "Advisor: …": details of the entry above.
_DETAIL_LABEL = re.compile(r"^[^:：]{2,40}[:：]\s*\S")
# "High School, Natural Sciences": the school word names the degree, not an institution.
_GENERIC_SCHOOL_DEGREE = re.compile(r"^(?:senior |junior )?(?:high|secondary) school(?: diploma| certificate)?$")
# A faculty under the university named above ("Fudan University" / "School of Management").
_SUB_UNIT = re.compile(r"^(?:school|faculty|department|college|dept|facultad|departamento|escuela|faculte"
                       r"|departement|ufr) (?:of|de|d|des|du)\b")


@dataclass
class _Entry:
    institution: str | None = None
    degree: str | None = None
    field_of_study: str | None = None
    level: str | None = None
    period: str | None = None
    start_date: str | None = None
    end_date: str | None = None

    def empty(self) -> bool:
        return not (self.institution or self.degree or self.period)

    def as_dict(self) -> dict:
        year = int(self.end_date[:4]) if self.end_date else None
        return {
            "institution": self.institution,
            "degree": self.degree,
            "field_of_study": self.field_of_study,
            "level": self.level,
            "period": self.period,
            "start_date": self.start_date,
            "end_date": self.end_date,
            "graduation_year": year,
        }


def is_institution(text: str) -> bool:
    if has_han(text):
        return any(s in text for s in INSTITUTION_SUFFIXES_ZH)
    return any(word in INSTITUTION_WORDS for word in fold(text).split())


def split_degree(text: str) -> tuple[str, str | None]:
    """("Master of Science in Data Science") -> ("Master of Science", "Data Science")."""
    if m := _ZH_DEGREE_PREFIX.match(text):
        rest = text[m.end() :].strip()
        return m.group(1), rest or None
    skip = 0
    if m := _DEGREE_OF.match(text):
        skip = m.end()
    connector = _FIELD_CONNECTOR.search(text, skip)
    if connector:
        return text[: connector.start()].strip(), text[connector.end() :].strip() or None
    if not skip and not connector and (m := _DEGREE_ABBREVIATION.match(text)) and text[m.end():].strip(" ,-–—:"):
        return m.group(1), text[m.end():].strip(" ,-–—:")
    if skip and text[skip:].strip(" ,-–—:"):
        # "Master of Science Data Science": the named degree, then the field.
        return text[:skip].strip(), text[skip:].strip(" ,-–—:")
    for sep in (" - ", " – ", " — ", ", ", ": "):
        if sep in text:
            degree, _, field = text.partition(sep)
            return degree.strip(), field.strip() or None
    return text.strip(), None


_COMBINED_SEP = re.compile(r"\s*(?:,|;|\||\t|\s[—–-]\s|\s{2,}|(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff]))\s*")


_AT = re.compile(r"\s+(?:at|@)\s+")


def _split_combined(text: str) -> tuple[str, str] | None:
    """(degree text, institution) when one line names both, else None."""
    for m in _AT.finditer(text):
        # "Master of Science Data Science at University of Waterloo" (the first "at": schools may hold one).
        degree, school = text[: m.start()].strip(" ,"), text[m.end() :].strip(" ,")
        if degree_level(degree) and is_institution(school) and not degree_level(school):
            return degree, school
    pieces = [p.strip() for p in _COMBINED_SEP.split(text) if p.strip()]
    if len(pieces) < 2:
        return None
    schools = [p for p in pieces if is_institution(p) and not degree_level(p)]
    if len(schools) != 1:
        return None
    rest = [p for p in pieces if p is not schools[0]]
    if not any(degree_level(p) for p in rest):
        return None
    # Chinese lines put the degree last ("北京大学 计算机科学 本科"): degree first, then field
    # (kept apart by a comma elsewhere, so "Statistics, Licence" stays degree + field).
    rest.sort(key=lambda p: degree_level(p) is None)
    return (" " if has_han(text) else ", ").join(rest), schools[0]


def _line_type(text: str) -> str:
    if not text:
        return DATES
    if degree_level(text) and not is_institution(text):
        return DEGREE
    if _GENERIC_SCHOOL_DEGREE.match(fold(re.split(r"[,|]", text, maxsplit=1)[0])):
        return DEGREE
    if is_institution(text):
        return INSTITUTION
    return OTHER


def _strip_edges(text: str) -> str:
    """Trim separators left around removed dates, and brackets only when unbalanced ("(SME)" stays)."""
    while True:
        trimmed = text.strip(" ,|–—-:：[]")
        if trimmed.endswith(")") and trimmed.count(")") > trimmed.count("("):
            trimmed = trimmed[:-1]
        if trimmed.startswith("(") and trimmed.count("(") > trimmed.count(")"):
            trimmed = trimmed[1:]
        if trimmed == text:
            return text
        text = trimmed


def parse_education(lines: list[str], today: date) -> list[dict]:
    entries: list[_Entry] = []
    opener: str | None = None
    current = _Entry()
    degree_from_other = False  # the current degree was read from a line with no degree word

    def close() -> None:
        nonlocal current, degree_from_other
        degree_from_other = False
        if not current.empty():
            entries.append(current)
        current = _Entry()

    previous_kind: str | None = None
    in_detail = False  # the line above was a detail or a sentence, skipped
    for raw in lines:
        line = strip_bullet(raw) if is_bullet(raw) else raw.strip()
        if not line or (is_sentence(line) and not degree_level(line)):
            in_detail = bool(line)
            continue
        if _DETAIL_LABEL.match(line) and not degree_level(line.split(":")[0]):
            in_detail = True
            continue  # a detail of the entry, never a school (nor its dates: "GPA 3.8", "Class of …")
        if in_detail and line[:1].islower():
            continue  # the wrapped end of that detail ("… in fields of / pharmaceutical science."): never a school
        in_detail = False
        if not has_han(line) and (at_heading(line) or is_title_like(line)) and not (is_institution(line) or degree_level(line)):
            continue  # a job heading (an export's trailer repeats the headline) is not a school
        found = find_date_range(line, today)
        text = line
        if found is not None:
            text = _strip_edges(line[: found.start_pos] + "  " + line[found.end_pos :])
            text = _strip_edges(re.sub(r"\(\s*\)|\[\s*\]", "", text))
        parts = _split_combined(text)
        if parts is not None:
            # "Licenciatura en Derecho, Universidad Complutense, 2010-2015" holds a whole entry.
            if not current.empty():
                close()
            degree_text, current.institution = parts
            if degree_text:
                current.degree, current.field_of_study = split_degree(degree_text)
                current.level = degree_level(degree_text)
            if found is not None:
                current.period = found.text.strip()
                current.start_date, current.end_date = found.start, found.end
            close()
            previous_kind = COMBINED
            continue
        kind = _line_type(text)
        if kind == DATES and found is not None and previous_kind == COMBINED and entries[-1].period is None:
            # The one-line entry's dates on the line below it.
            entries[-1].period = found.text.strip()
            entries[-1].start_date, entries[-1].end_date = found.start, found.end
            previous_kind = DATES
            continue
        if kind == DEGREE and degree_from_other and current.institution is not None and current.period is not None:
            # "Institution | dates" / "Field" / "Degree": the line taken for the degree was the field.
            field_text = current.degree
            current.degree, current.field_of_study = split_degree(text)
            current.field_of_study = current.field_of_study or field_text
            current.level = degree_level(text)
            degree_from_other = False
            previous_kind = DEGREE
            continue
        if (
            kind == OTHER
            and previous_kind == DEGREE
            and current.degree is not None
            and current.period is None
            and current.institution is not None
        ):
            # The degree line wrapped: this tail finishes it and often carries the dates.
            if current.field_of_study:
                current.field_of_study = f"{current.field_of_study} {text}"
            else:
                current.degree, current.field_of_study = split_degree(f"{current.degree} {text}")
            if found is not None:
                current.period = found.text.strip()
                current.start_date, current.end_date = found.start, found.end
            previous_kind = DEGREE
            continue
        if kind == INSTITUTION and previous_kind == INSTITUTION and current.institution and _SUB_UNIT.match(fold(text)):
            previous_kind = INSTITUTION
            continue
        if (
            kind == OTHER
            and opener == OTHER
            and found is not None
            and current.institution is not None
            and current.degree is None
            and current.period is None
        ):
            # "General Assembly" / "Full Stack Web Development Immersive, 2016": a school the vocabulary
            # does not know, then its programme with the dates: one entry, not two schools.
            current.degree, current.field_of_study = split_degree(text)
            current.level = degree_level(text)
            current.period = found.text.strip()
            current.start_date, current.end_date = found.start, found.end
            degree_from_other = True
            previous_kind = DEGREE
            continue
        previous_kind = kind
        opener = opener or kind
        filled = {
            DEGREE: current.degree is not None,
            INSTITUTION: current.institution is not None,
            DATES: current.period is not None,
            OTHER: current.institution is not None and current.degree is not None,
        }[kind]
        if (kind == opener and not current.empty()) or filled:
            close()
        if found is not None and current.period is None:
            current.period = found.text.strip()
            current.start_date, current.end_date = found.start, found.end
        if kind == DEGREE or (kind == OTHER and current.degree is None and current.institution is not None):
            current.degree, current.field_of_study = split_degree(text)
            current.level = degree_level(text)
            degree_from_other = kind == OTHER
        elif kind in (INSTITUTION, OTHER):
            current.institution = text.strip(" ,")
    close()
    return [e.as_dict() for e in entries]
