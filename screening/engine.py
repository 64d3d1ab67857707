"""Evaluate a candidate profile against criteria. Pure: no database, so it is cheap to run for a whole pool."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cvs.extraction.levels import education_rank, highest_level
from screening.criteria import Criteria, Exclusion, Group
from screening.schools import SchoolIndex
from screening.vocab import fold, language_code, name_key, skill_key


@dataclass
class Profile:
    """What screening looks at, gathered from a candidate's columns and cv-data."""

    education_level: str | None = None
    years: float | None = None
    skills: list[str] = field(default_factory=list)
    institutions: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    location: str = ""
    companies: list[str] = field(default_factory=list)
    text: str = ""

    @classmethod
    def from_candidate(cls, candidate: Any) -> Profile:
        data = candidate.data if isinstance(candidate.data, dict) else {}
        experience = [job for job in data.get("experience") or [] if isinstance(job, dict)]
        education = [entry for entry in data.get("education") or [] if isinstance(entry, dict)]
        skills = [*candidate.skills, *(data.get("skills") or [])]
        skills += [tool for job in experience for tool in job.get("tech_tools") or []]
        levels = [candidate.education_level or data.get("education_level")] + [entry.get("level") for entry in education]
        languages = [entry.get("language", "") for entry in data.get("languages") or [] if isinstance(entry, dict)]
        contact_info = data.get("contact_info")
        contact = contact_info if isinstance(contact_info, dict) else {}
        years = candidate.years_of_experience if candidate.years_of_experience is not None else data.get("years_of_experience")
        return cls(
            education_level=highest_level(levels) or levels[0] or None,
            years=years,
            skills=[str(skill) for skill in skills if skill],
            institutions=[name for name in [candidate.school, *(entry.get("institution") for entry in education)] if name],
            languages=[name for name in [candidate.language or data.get("language"), *languages] if name],
            location=candidate.location or contact.get("location") or "",
            companies=[job["company"] for job in experience if job.get("company")],
            text=" ".join(
                str(part)
                for part in [candidate.headline, data.get("headline"), data.get("summary"), *(job.get("title") for job in experience)]
                if part
            ),
        )


@dataclass
class Evaluation:
    is_qualified: bool
    score: float
    reasons: list[dict[str, Any]]

    @property
    def summary(self) -> str:
        return "; ".join(reason["detail"] for reason in self.reasons) or "no criteria: pass"


def _reason(criterion: str, passed: bool, detail: str) -> dict[str, Any]:
    return {"criterion": criterion, "passed": passed, "detail": detail}


def _verdict(passed: bool) -> str:
    return "pass" if passed else "fail"


def _years(value: float) -> str:
    return f"{value:g} years"


class Screener:
    def __init__(self, schools: SchoolIndex):
        self.schools = schools

    def evaluate(self, criteria: Criteria, profile: Profile) -> Evaluation:
        reasons = self._reasons(criteria, profile)
        passed = sum(reason["passed"] for reason in reasons)
        score = round(100.0 * passed / len(reasons), 1) if reasons else 100.0
        return Evaluation(is_qualified=passed == len(reasons), score=score, reasons=reasons)

    def _reasons(self, c: Criteria, p: Profile) -> list[dict[str, Any]]:
        reasons: list[dict[str, Any]] = []
        if c.education_level:
            allowed = ", ".join(c.education_level)
            ok = p.education_level in c.education_level
            reasons.append(_reason("education_level", ok, f"education {p.education_level or 'unknown'} in [{allowed}]: {_verdict(ok)}"))
        if c.education_level_min:
            rank = education_rank(p.education_level)
            # A minimum of 'other' (unranked) asks only for some ranked level.
            ok = rank is not None and rank >= (education_rank(c.education_level_min) or 0)
            detail = f"education {p.education_level or 'unknown'} {'≥' if ok else '<'} {c.education_level_min}: {_verdict(ok)}"
            reasons.append(_reason("education_level_min", ok, detail))
        if c.skills:
            reasons += self._skills(c.skills, c.skills_match, p)
        if c.work_years_min is not None:
            ok = p.years is not None and p.years >= c.work_years_min
            shown = _years(p.years) if p.years is not None else "unknown years"
            reasons.append(_reason("work_years_min", ok, f"{shown} {'≥' if ok else '<'} {c.work_years_min:g}: {_verdict(ok)}"))
        if c.work_years_max is not None:
            ok = p.years is not None and p.years <= c.work_years_max
            shown = _years(p.years) if p.years is not None else "unknown years"
            reasons.append(_reason("work_years_max", ok, f"{shown} {'≤' if ok else '>'} {c.work_years_max:g}: {_verdict(ok)}"))
        if c.school_tier:
            reasons.append(self._school_tier(c.school_tier, p))
        for language in c.languages or []:
            ok = language_code(language) in {language_code(spoken) for spoken in p.languages}
            reasons.append(_reason("languages", ok, f"language {language}: {'present' if ok else 'missing'}"))
        if c.location:
            here = fold(p.location)
            ok = bool(here) and any(fold(place) in here for place in c.location)
            reasons.append(_reason("location", ok, f"location {p.location or 'unknown'} in [{', '.join(c.location)}]: {_verdict(ok)}"))
        if c.exclude:
            reasons.append(self._exclusion(c.exclude, p))
        if c.groups:
            reasons.append(self._group(c.groups, p))
        return reasons

    def _skills(self, wanted: list[str], mode: str, p: Profile) -> list[dict[str, Any]]:
        have = {skill_key(skill) for skill in p.skills}
        present = [skill for skill in wanted if skill_key(skill) in have]
        if mode == "any":
            ok = bool(present)
            found = ", ".join(present) if present else "none"
            return [_reason("skills", ok, f"any of {', '.join(wanted)}: {found} present: {_verdict(ok)}")]
        return [_reason("skills", skill in present, f"{skill}: {'present' if skill in present else 'missing'}") for skill in wanted]

    def _school_tier(self, tiers: list[str], p: Profile) -> dict[str, Any]:
        label = "/".join(tiers)
        matches = [(name, self.schools.lookup(name)) for name in dict.fromkeys(p.institutions)]
        for name, match in matches:
            if match and match.tiers & set(tiers):
                return _reason("school_tier", True, f"school {name} ({', '.join(sorted(match.tiers))}) in {label}: pass")
        shown = ", ".join(name for name, _ in matches) or "unknown"
        return _reason("school_tier", False, f"school {shown} not in {label}: fail")

    def _exclusion(self, ex: Exclusion, p: Profile) -> dict[str, Any]:
        have = {skill_key(skill) for skill in p.skills}
        hits = [f"skill {skill}" for skill in ex.skills if skill_key(skill) in have]
        attended = {self._school_identity(name) for name in p.institutions}
        hits += [f"school {school}" for school in ex.schools if self._school_identity(school) in attended]
        companies = {name_key(company) for company in p.companies}
        hits += [f"company {company}" for company in ex.companies if name_key(company) in companies]
        text = fold(p.text)
        hits += [f"keyword {word}" for word in ex.keywords if fold(word) in text]
        if hits:
            return _reason("exclude", False, f"excluded {', '.join(hits)}: fail")
        return _reason("exclude", True, "no exclusion matched: pass")

    def _school_identity(self, name: str) -> str:
        match = self.schools.lookup(name)
        return match.name if match else name_key(name)

    def _group(self, group: Group, p: Profile) -> dict[str, Any]:
        branches = [self.evaluate(rule, p) for rule in group.rules]
        ok = any(b.is_qualified for b in branches) if group.operator == "or" else all(b.is_qualified for b in branches)
        joiner = " OR " if group.operator == "or" else " AND "
        detail = joiner.join(f"({branch.summary})" for branch in branches)
        return _reason("group", ok, f"{group.operator.upper()} group [{detail}]: {_verdict(ok)}")

