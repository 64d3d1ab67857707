"""Post-processing applied to every provider's output, then validation.

Providers disagree on details (an LLM writes "Jan 2020", rules write
"2020-01"); this step makes the result uniform: dates as YYYY-MM or YYYY,
``years_of_experience`` computed from the job periods (overlaps counted once,
"present" = the processing date), the highest education level, the CV's
language, and canonical, de-duplicated skills.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from .language import detect_language
from .levels import EDUCATION_LEVELS, EducationLevel, degree_level, highest_level
from .rules.dates import find_date_range, month_index, parse_date
from .rules.skills import load_skills
from .schema import CVData


def _normalise_date(value: Any, today: date) -> str | None:
    if value is None:
        return None
    return parse_date(str(value), today)


def _fix_job_dates(job: dict, today: date) -> None:
    start = _normalise_date(job.get("start_date"), today)
    end = _normalise_date(job.get("end_date"), today)
    current = bool(job.get("is_current"))
    # The printed period fills what the provider left out ("Jan 2020 - Present").
    found = find_date_range(str(job["period"]), today) if job.get("period") else None
    if found is not None:
        if start is None:
            start, end = found.start, end or found.end
        current = current or (end is None and found.is_current)
    job["start_date"], job["end_date"] = start, (None if current else end)
    job["is_current"] = current


def years_of_experience(jobs: list[dict], today: date) -> float | None:
    """Total years covered by the jobs' periods, overlaps counted once."""
    now = today.year * 12 + today.month - 1
    intervals: list[tuple[int, int]] = []
    for job in jobs:
        start = job.get("start_date")
        if not start:
            continue
        begin = month_index(start, end=False)
        if job.get("is_current") or not job.get("end_date"):
            finish = now if job.get("is_current") else None
        else:
            finish = month_index(job["end_date"], end=len(job["end_date"]) == 4)
            if len(start) == 4 and len(job["end_date"]) == 4:
                finish += 1  # "2018 - 2020" spans to the end of 2020
        if finish is None or finish < begin:
            continue
        intervals.append((begin, min(finish, now)))
    if not intervals:
        return None
    total = 0
    ordered = sorted(intervals)
    cur_start, cur_end = ordered[0]
    for begin, finish in ordered[1:]:
        if begin > cur_end:
            total += cur_end - cur_start
            cur_start, cur_end = begin, finish
        else:
            cur_end = max(cur_end, finish)
    total += cur_end - cur_start
    return round(total / 12, 1)


# "9 years of experience", "9+ yrs experience", "9 años de experiencia",
# "9 ans d'expérience", "9年工作经验": a stated total the job list may not cover.
_STATED_YEARS = re.compile(
    r"(\d{1,2})\s*\+?\s*(?:"
    r"(?:years?|yrs?)\b[^.\n\d]{0,20}?\bexperience"
    r"|años?\s+de\s+experiencia"
    r"|ans\s+d['’]\s*expérience"
    r"|年(?:以上)?(?:的)?(?:工作)?经验)",
    re.IGNORECASE,
)


def stated_years_of_experience(text: str) -> float | None:
    """The largest plausible total the CV states in words, if any."""
    found = [int(m.group(1)) for m in _STATED_YEARS.finditer(text)]
    found = [n for n in found if 0 < n <= 60]
    return float(max(found)) if found else None


def _dedupe_skills(skills: list[Any]) -> list[str]:
    dictionary = load_skills()
    out: list[str] = []
    seen: set[str] = set()
    for raw in skills:
        if not isinstance(raw, str) or not raw.strip():
            continue
        # One entry per skill (canonical key); reported as the CV wrote it when fuller ("Apache Airflow").
        key = (dictionary.lookup(raw) or raw.strip()).casefold()
        if key not in seen:
            seen.add(key)
            out.append(dictionary.display(raw) or raw.strip())
    return out


def _sort_recent_first(entries: list[dict], key: str) -> list[dict]:
    # Only reorder when every entry is dated; otherwise keep the CV's order.
    if not entries or any(not e.get(key) for e in entries):
        return entries
    return sorted(entries, key=lambda e: (e.get("is_current", False), e[key]), reverse=True)


def finalize(data: dict, text: str, today: date | None = None) -> dict:
    """Normalise a provider's raw output and validate it against the contract."""
    today = today or date.today()
    data = dict(data)
    jobs = [dict(j) for j in data.get("experience") or [] if isinstance(j, dict)]
    for job in jobs:
        _fix_job_dates(job, today)
        job["tech_tools"] = _dedupe_skills(job.get("tech_tools") or [])
    data["experience"] = _sort_recent_first(jobs, "start_date")

    schools = [dict(e) for e in data.get("education") or [] if isinstance(e, dict)]
    for school in schools:
        school["start_date"] = _normalise_date(school.get("start_date"), today)
        school["end_date"] = _normalise_date(school.get("end_date"), today)
        if school.get("level") not in EDUCATION_LEVELS:
            school["level"] = degree_level(school.get("degree") or "") if school.get("degree") else None
        if not school.get("graduation_year") and school.get("end_date"):
            school["graduation_year"] = int(school["end_date"][:4])
    data["education"] = schools

    levels = [s["level"] for s in schools if s.get("level")]
    data["education_level"] = highest_level(levels) or (EducationLevel.OTHER.value if levels else None)
    computed = years_of_experience(jobs, today)
    stated = stated_years_of_experience(text)
    # The job list is incomplete when the CV states clearly more than it covers.
    if stated is not None and (computed is None or stated > computed + 1):
        computed = stated
    data["years_of_experience"] = computed
    data["skills"] = _dedupe_skills(data.get("skills") or [])
    data["language"] = detect_language(text)
    return CVData.model_validate(data).model_dump(mode="json")
