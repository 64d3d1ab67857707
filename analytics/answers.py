"""Turning retrieved candidates into an answer: an LLM grounded on them, or a composed summary.

The composed answer only restates what the database returned (counts, names, ids, schools,
years, distributions), in the question's language, so it cannot invent facts. The LLM answer
gets the same records as its only context and is told to cite candidate ids.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from analytics.questions import Filters
from cvs.extraction.llm_client import LLMConfig, LLMError, chat_stream
from cvs.llm_settings import llm_config
from tenants.scoping import current_tenant_id

logger = logging.getLogger(__name__)


@dataclass
class Retrieved:
    question: str
    language: str
    filters: Filters
    sources: list[dict[str, Any]]
    analytics: dict[str, Any]
    records: list[dict[str, Any]]  # per source: the facts the answer may use


EDUCATION_LABELS = {
    "en": {"secondary": "secondary", "vocational": "vocational", "associate": "associate degree", "bachelor": "bachelor's",
           "master": "master's", "doctorate": "doctorate", "other": "other", "unknown": "not stated"},
    "es": {"secondary": "secundaria", "vocational": "formación profesional", "associate": "técnico superior", "bachelor": "grado",
           "master": "máster", "doctorate": "doctorado", "other": "otro", "unknown": "sin indicar"},
    "fr": {"secondary": "secondaire", "vocational": "formation professionnelle", "associate": "BTS/DUT", "bachelor": "licence",
           "master": "master", "doctorate": "doctorat", "other": "autre", "unknown": "non indiqué"},
    "zh": {"secondary": "高中", "vocational": "中专", "associate": "大专", "bachelor": "本科", "master": "硕士", "doctorate": "博士",
           "other": "其他", "unknown": "未注明"},
}

PHRASES = {
    "en": {
        "match": "{n} candidate(s) in the pool match {conditions}.",
        "none": "No candidate in the pool matches {conditions}.",
        "related": "These are the {n} candidates most related to your question.",
        "nothing": "The CV pool has no candidate related to this question.",
        "top": "Most relevant:",
        "years": "at least {v:g} years of experience", "max_years": "at most {v:g} years of experience",
        "education": "{v} or higher", "skills": "skills in {v}", "location": "location {v}",
        "yrs": "{v:g} years", "education_dist": "Education: {v}.", "skills_dist": "Most common skills: {v}.",
        "and": " and ", "sep": "; ",
    },
    "es": {
        "match": "{n} candidato(s) del banco cumplen {conditions}.",
        "none": "Ningún candidato del banco cumple {conditions}.",
        "related": "Estos son los {n} candidatos más relacionados con su pregunta.",
        "nothing": "El banco de CV no tiene candidatos relacionados con esta pregunta.",
        "top": "Los más relevantes:",
        "years": "al menos {v:g} años de experiencia", "max_years": "como máximo {v:g} años de experiencia",
        "education": "{v} o superior", "skills": "conocimientos de {v}", "location": "ubicación {v}",
        "yrs": "{v:g} años", "education_dist": "Formación: {v}.", "skills_dist": "Competencias más frecuentes: {v}.",
        "and": " y ", "sep": "; ",
    },
    "fr": {
        "match": "{n} candidat(s) de la base correspondent à {conditions}.",
        "none": "Aucun candidat de la base ne correspond à {conditions}.",
        "related": "Voici les {n} candidats les plus proches de votre question.",
        "nothing": "La base de CV ne contient aucun candidat lié à cette question.",
        "top": "Les plus pertinents :",
        "years": "au moins {v:g} ans d'expérience", "max_years": "au plus {v:g} ans d'expérience",
        "education": "{v} ou plus", "skills": "compétences en {v}", "location": "localisation {v}",
        "yrs": "{v:g} ans", "education_dist": "Formation : {v}.", "skills_dist": "Compétences les plus fréquentes : {v}.",
        "and": " et ", "sep": " ; ",
    },
    "zh": {
        "match": "简历库中共有 {n} 位候选人符合条件:{conditions}。",
        "none": "简历库中没有符合条件的候选人:{conditions}。",
        "related": "以下是与您的问题最相关的 {n} 位候选人。",
        "nothing": "简历库中没有与该问题相关的候选人。",
        "top": "最相关的候选人:",
        "years": "{v:g}年以上工作经验", "max_years": "{v:g}年以下工作经验",
        "education": "{v}及以上学历", "skills": "掌握{v}", "location": "位于{v}",
        "yrs": "{v:g}年", "education_dist": "学历分布:{v}。", "skills_dist": "常见技能:{v}。",
        "and": "、", "sep": ";",
    },
}


def _phrases(language: str) -> dict[str, str]:
    return PHRASES.get(language, PHRASES["en"])


def describe_filters(filters: Filters, language: str) -> str:
    p = _phrases(language)
    labels = EDUCATION_LABELS.get(language, EDUCATION_LABELS["en"])
    parts = []
    if filters.min_years is not None:
        parts.append(p["years"].format(v=filters.min_years))
    if filters.max_years is not None:
        parts.append(p["max_years"].format(v=filters.max_years))
    if filters.education_min:
        parts.append(p["education"].format(v=labels.get(filters.education_min, filters.education_min)))
    if filters.skills:
        parts.append(p["skills"].format(v=p["and"].join(filters.skills)))
    if filters.location:
        parts.append(p["location"].format(v=filters.location))
    return p["sep"].join(parts)


def composed_answer(retrieved: Retrieved) -> str:
    """The answer without an LLM: counts, the top candidates and the distributions, nothing else."""
    language = retrieved.language
    p = _phrases(language)
    labels = EDUCATION_LABELS.get(language, EDUCATION_LABELS["en"])
    analytics = retrieved.analytics
    lines = []
    if not retrieved.filters.is_empty():
        conditions = describe_filters(retrieved.filters, language)
        total = analytics["total_count"]
        lines.append(p["match"].format(n=total, conditions=conditions) if total else p["none"].format(conditions=conditions))
    elif retrieved.sources:
        lines.append(p["related"].format(n=len(retrieved.sources)))
    else:
        lines.append(p["nothing"])
    if retrieved.sources:
        lines.append(p["top"])
        for index, record in enumerate(retrieved.records, start=1):
            facts = [record.get("headline")]
            if record.get("years_of_experience") is not None:
                facts.append(p["yrs"].format(v=record["years_of_experience"]))
            if record.get("education_level"):
                facts.append(labels.get(record["education_level"], record["education_level"]))
            facts += [record.get("school"), record.get("location"), ", ".join(record.get("skills", [])[:6])]
            details = ", ".join(str(fact) for fact in facts if fact)
            lines.append(f"{index}. {record['name'] or '—'} [{record['id']}]" + (f" — {details}" if details else ""))
    if analytics.get("by_education") and (retrieved.sources or analytics["total_count"]):
        distribution = ", ".join(f"{labels.get(level, level)} {count}" for level, count in analytics["by_education"].items())
        lines.append(p["education_dist"].format(v=distribution))
    if analytics.get("top_skills"):
        skills = ", ".join(f"{item['name']} ({item['count']})" for item in analytics["top_skills"][:8])
        lines.append(p["skills_dist"].format(v=skills))
    return "\n".join(lines)


def answer_config() -> LLMConfig | None:
    """The endpoint answers use: OpenAI-compatible (answers are streamed) and with a model."""
    config = llm_config(tenant_id=current_tenant_id())
    if config is None or config.api != "openai" or not config.model:
        return None
    # One retry at most: a recruiter is waiting, and the composed answer is a good fallback.
    return replace(config, max_retries=1)


LANGUAGE_NAMES = {"en": "English", "es": "Spanish", "fr": "French", "zh": "Simplified Chinese"}


def llm_messages(retrieved: Retrieved) -> list[dict[str, str]]:
    import json

    context = {
        "candidates": retrieved.records,
        "analytics": retrieved.analytics,
        "filters_applied": retrieved.filters.as_dict(),
    }
    system = (
        "You answer recruiters' questions about their CV pool. Use ONLY the candidate records and analytics "
        "given as context; if they do not answer the question, say so. Cite every candidate you mention by id "
        "in square brackets, e.g. [3f2a…]. Never invent candidates, skills, schools or numbers. "
        f"Reply in {LANGUAGE_NAMES.get(retrieved.language, 'English')}."
    )
    user = f"Context (JSON):\n{json.dumps(context, ensure_ascii=False, default=str)}\n\nQuestion: {retrieved.question}"
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]


def _pieces(text: str) -> Iterator[str]:
    """The composed answer, line by line, so the stream looks like the LLM's."""
    yield from re.findall(r"[^\n]*\n?", text)[:-1] or [text]


def answer_stream(retrieved: Retrieved) -> Iterator[tuple[str, bool]]:
    """(text delta, produced by the LLM) pairs. An LLM failure before its first token falls back to the composed answer."""
    config = answer_config()
    if config is not None and retrieved.sources:
        started = False
        try:
            for delta in chat_stream(config, llm_messages(retrieved), temperature=0.1):
                started = True
                yield delta, True
            return
        except LLMError:
            if started:
                raise
            logger.warning("LLM answer failed; composing the answer from the retrieved candidates", exc_info=True)
    for piece in _pieces(composed_answer(retrieved)):
        yield piece, False
