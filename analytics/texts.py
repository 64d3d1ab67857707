"""What gets embedded and indexed for a candidate, and the text normalisation shared with queries."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any

# PostgreSQL text search configuration per CV language; anything else gets 'simple'.
FTS_CONFIGS = {"en": "english", "es": "spanish", "fr": "french"}
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]+")
MAX_CHUNKS = 8

# The local model is English-only: job titles in other languages also get their English role,
# so "DevOps engineers" finds "运维工程师" and "Ingeniero DevOps" by meaning and by words.
ROLE_ALIASES = {
    "DevOps engineer": ("devops", "运维", "site reliability", "sre "),
    "data analyst": ("analista de datos", "analyste de données", "data analyst", "数据分析"),
    "data scientist": ("científico de datos", "científica de datos", "data scientist", "数据科学"),
    "frontend developer": ("frontend", "front-end", "前端"),
    "backend developer": ("backend", "back-end", "后端"),
    "full stack developer": ("full stack", "full-stack", "全栈"),
    "project manager": ("jefe de proyecto", "jefa de proyecto", "chef de projet", "project manager", "项目经理"),
    "product manager": ("product manager", "chef de produit", "产品经理"),
    "software engineer": ("ingeniero de software", "ingeniera de software", "ingénieur logiciel", "software engineer", "软件工程师"),
    "machine learning engineer": ("machine learning", "算法工程师", "aprendizaje automático"),
    "software architect": ("arquitecto", "architecte", "架构师"),
    "QA engineer": ("qa ", "quality assurance", "测试工程师", "ingeniero de pruebas"),
    "Java developer": ("java开发", "desarrollador java", "développeur java"),
}


def english_roles(*titles: str) -> list[str]:
    folded = " ".join(title.casefold() for title in titles if title) + " "
    return [role for role, aliases in ROLE_ALIASES.items() if any(alias in folded for alias in aliases)]


# The passage in its own language's configuration; English too (skills and the added roles are
# English whatever the CV's language, and questions are also matched with English stems); and
# CJK bigrams. Placeholders: {config} (text), {content}, {bigrams}.
SEARCH_VECTOR_SQL = (
    "to_tsvector(({config})::regconfig, {content})"
    " || CASE WHEN ({config}) = 'english' THEN ''::tsvector ELSE to_tsvector('english', {content}) END"
    " || to_tsvector('simple', {bigrams})"
)


def fts_config(language: str) -> str:
    return FTS_CONFIGS.get((language or "")[:2].lower(), "simple")


def cjk_bigrams(text: str) -> str:
    """Chinese, Japanese and Korean have no spaces: index overlapping character bigrams instead.

    A run of one character is kept as is, so single-character words still match.
    """
    grams: list[str] = []
    for run in CJK.findall(text):
        grams.extend([run] if len(run) == 1 else (run[i : i + 2] for i in range(len(run) - 1)))
    return " ".join(grams)


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class Passage:
    kind: str
    position: int
    content: str


def _line(label: str, value: Any) -> str:
    if value in (None, "", [], {}):
        return ""
    if isinstance(value, list):
        value = ", ".join(str(item) for item in value if item)
    return f"{label}: {value}"


def _names(items: Any, key: str) -> list[str]:
    """Contract lists hold objects ({"language": …}); tolerate plain strings too."""
    return [str(item.get(key) or "") if isinstance(item, dict) else str(item) for item in items or []]


def profile_text(candidate: Any) -> str:
    """A compact, factual profile: what a recruiter's question is most likely to be about."""
    data = candidate.data or {}
    education = [
        " ".join(str(part) for part in (entry.get("degree"), entry.get("field_of_study"), entry.get("institution")) if part)
        for entry in data.get("education") or []
        if isinstance(entry, dict)
    ]
    titles = [
        " ".join(str(part) for part in (entry.get("title"), entry.get("company")) if part)
        for entry in data.get("experience") or []
        if isinstance(entry, dict)
    ]
    years = candidate.years_of_experience
    lines = [
        candidate.name,
        candidate.headline,
        _line("Role", english_roles(candidate.headline or (titles[0] if titles else ""))),
        _line("Location", candidate.location),
        _line("Experience", f"{years:g} years" if years is not None else ""),
        _line("Education", education or candidate.education_level),
        _line("Skills", list(candidate.skills or [])),
        _line("Roles", titles),
        _line("Languages", _names(data.get("languages"), "language")),
        _line("Certifications", _names(data.get("certifications"), "name")),
        str(data.get("summary") or "")[:1000],
    ]
    return "\n".join(line for line in lines if line)


def chunk_texts(candidate: Any) -> list[str]:
    """One chunk per experience entry that has a description worth matching on its own."""
    chunks = []
    for entry in (candidate.data or {}).get("experience") or []:
        if not isinstance(entry, dict):
            continue
        description = " ".join([str(entry.get("description") or ""), *map(str, entry.get("tasks") or [])]).strip()
        if len(description) < 40:
            continue
        period = entry.get("period") or "–".join(str(entry[key]) for key in ("start_date", "end_date") if entry.get(key))
        head = " ".join(str(part) for part in (entry.get("title"), entry.get("company"), period) if part)
        chunks.append(f"{head}\n{description[:1500]}")
    return chunks[:MAX_CHUNKS]


def candidate_passages(candidate: Any) -> list[Passage]:
    passages = [Passage("profile", 0, profile_text(candidate))]
    passages += [Passage("chunk", index, text) for index, text in enumerate(chunk_texts(candidate))]
    return passages
