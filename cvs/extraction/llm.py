"""LLM providers (OpenAI-compatible and Anthropic) and the hybrid mode.

- Output is JSON validated by the same :class:`CVData` model as the rules.
- Long CVs are cut into chunks at line boundaries; chunk results are merged.
- Calls go through the one LLM client (``llm_client``): its retry policy and
  its rate limit, shared by every worker process when Redis is configured.
- Values an LLM could invent are grounded: contact fields, companies and
  schools that do not appear in the CV text are dropped, and each drop is
  returned (``ExtractionResult.dropped``) for the evidence to record.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

from pydantic import ValidationError

from .errors import LLM_ERROR, ExtractionError
from .llm_client import LLMConfig, LLMError, Reply, chat
from .postprocess import finalize
from .providers import ExtractionResult, empty_usage
from .rules import parse as rules_parse
from .schema import CVData, load_json_schema
from .textnorm import compact

MAX_OUTPUT_TOKENS = 4096
_CONTACT_FIELDS = ("name", "email", "phone", "phone_e164", "location", "website", "linkedin", "github")

SYSTEM_PROMPT = """You extract structured data from a CV (résumé) for an applicant tracking system.
Reply with one JSON object only, no prose, following this JSON schema:
{schema}
Rules:
- Copy names, companies, schools, titles and contact details exactly as printed, in the CV's own language.
- Never invent anything: unknown values are null, unknown lists are [].
- Dates as YYYY-MM, or YYYY when only the year is printed; end_date null and is_current true for a current job.
- experience and education most recent first; skills one entry each, canonical spelling.
- If the text is only part of a CV, extract what this part contains."""


# ---------------------------------------------------------------- one CV's calls


class _Session:
    """Calls for one CV, through the one LLM client, and their usage."""

    def __init__(self, config: LLMConfig) -> None:
        self.config = config
        self.usage = empty_usage(config.model)
        self._system = SYSTEM_PROMPT.format(schema=json.dumps(load_json_schema(), ensure_ascii=False))

    def _complete(self, user: str) -> Reply:
        try:
            reply = chat(self.config, self._system, user, json_output=True, max_tokens=MAX_OUTPUT_TOKENS)
        except LLMError as exc:
            self.usage["latency_ms"] += exc.latency_ms
            raise
        self.usage["latency_ms"] += reply.latency_ms
        self.usage["calls"] += 1
        self.usage["prompt_tokens"] += reply.prompt_tokens
        self.usage["completion_tokens"] += reply.completion_tokens
        return reply

    def extract(self, chunk: str, index: int, total: int) -> dict:
        header = f"CV text (part {index + 1} of {total}):\n" if total > 1 else "CV text:\n"
        reply = self._complete(header + chunk)
        try:
            return CVData.model_validate(_parse_json(reply.text)).model_dump(mode="json")
        except (ValueError, ValidationError) as exc:
            raise ExtractionError(LLM_ERROR, f"The language model returned invalid data: {exc}") from exc

    def finish(self) -> dict:
        c = self.config
        cost = self.usage["prompt_tokens"] * c.input_cost_per_mtok + self.usage["completion_tokens"] * c.output_cost_per_mtok
        self.usage["cost_usd"] = round(cost / 1_000_000, 6)
        self.usage["latency_ms"] = round(self.usage["latency_ms"], 1)
        return self.usage


def _parse_json(text: str) -> Any:
    text = text.strip()
    # Some models wrap JSON in a Markdown fence or add a sentence around it.
    fenced = re.search(r"```(?:json)?\s*(.*?)```", text, re.DOTALL)
    if fenced:
        text = fenced.group(1)
    start, end = text.find("{"), text.rfind("}")
    if start < 0 or end < start:
        raise ValueError("no JSON object in the reply")
    return json.loads(text[start : end + 1])


# ---------------------------------------------------------------- chunking and merging


def chunk_text(text: str, max_chars: int) -> list[str]:
    """Cut at line boundaries into pieces of at most ``max_chars`` (a longer line is cut hard)."""
    chunks: list[str] = []
    current: list[str] = []
    size = 0
    for line in text.splitlines():
        while len(line) > max_chars:
            chunks.append(line[:max_chars])
            line = line[max_chars:]
        if size + len(line) + 1 > max_chars and current:
            chunks.append("\n".join(current))
            current, size = [], 0
        current.append(line)
        size += len(line) + 1
    if current and "".join(current).strip():
        chunks.append("\n".join(current))
    return chunks or [""]


def _entry_key(entry: dict, *fields: str) -> tuple[str, ...]:
    return tuple(compact(str(entry.get(f) or "")) for f in fields)


def merge_results(parts: list[dict]) -> dict:
    """Combine per-chunk results: first value wins for scalars, lists are unioned."""
    merged: dict[str, Any] = {"contact_info": {}}
    keys = {
        "experience": ("company", "title", "start_date"),
        "education": ("institution", "degree"),
        "languages": ("language",),
        "certifications": ("name",),
        "projects": ("name",),
    }
    for part in parts:
        for name, value in (part.get("contact_info") or {}).items():
            if merged["contact_info"].get(name) is None:
                merged["contact_info"][name] = value
        for name in ("headline", "summary", "language"):
            if merged.get(name) is None:
                merged[name] = part.get(name)
        for name, key_fields in keys.items():
            seen = {_entry_key(e, *key_fields) for e in merged.get(name, [])}
            for entry in part.get(name) or []:
                key = _entry_key(entry, *key_fields)
                if key not in seen:
                    seen.add(key)
                    merged.setdefault(name, []).append(entry)
        merged["skills"] = list(merged.get("skills", [])) + [
            s for s in part.get("skills") or [] if s not in merged.get("skills", [])
        ]
    return merged


# ---------------------------------------------------------------- grounding and hybrid


def _grounded(value: str | None, text_key: str, digits: str) -> bool:
    if not value:
        return False
    if value.startswith("+") or re.fullmatch(r"[\d\s().+\-/]+", value):
        value_digits = re.sub(r"\D", "", value)
        return len(value_digits) >= 6 and value_digits[-9:] in digits
    key = compact(value)
    return bool(key) and key in text_key


def ground(data: dict, text: str) -> tuple[dict, list[dict[str, Any]]]:
    """Drop contact values, companies and schools that the CV text does not contain.

    Returns the grounded data and what was dropped: ``{"field", "value", "entry"}`` with ``field`` a
    contact pointer or ``experience.company`` / ``education.institution`` and ``entry`` the rest of
    the entry the value came from (to find where it would have been after merging and sorting).
    """
    text_key = compact(text)
    digits = re.sub(r"\D", "", text)
    dropped: list[dict[str, Any]] = []
    contact = dict(data.get("contact_info") or {})
    for name in _CONTACT_FIELDS:
        if name == "phone_e164":
            continue
        if contact.get(name) and not _grounded(contact[name], text_key, digits):
            dropped.append({"field": f"/contact_info/{name}", "value": str(contact[name]), "entry": {}})
            contact[name] = None
    if contact.get("phone") is None:
        contact["phone_e164"] = None
    data = {**data, "contact_info": contact}
    for name, key in (("experience", "company"), ("education", "institution")):
        kept = []
        for entry in data.get(name) or []:
            if entry.get(key) and not _grounded(entry[key], text_key, digits):
                dropped.append({"field": f"{name}.{key}", "value": str(entry[key]), "entry": {**entry, key: None}})
                entry = {**entry, key: None}
            if entry.get(key) or entry.get("title" if name == "experience" else "degree"):
                kept.append(entry)
        data[name] = kept
    return data, dropped


def dropped_pointers(data: dict, dropped: list[dict[str, Any]]) -> dict[str, dict[str, str]]:
    """Where each dropped value would sit in the final ``data``: JSON pointer -> ``{"value", "reason"}``.

    A company or school goes to the entry that kept the rest of its entry (same title or degree);
    when nothing of that entry is left (no title, or hybrid kept the rules' entries only), it
    is keyed past the end of the list, so the pointer resolves to no value in ``data``.
    """
    out: dict[str, dict[str, str]] = {}
    extra: dict[str, int] = {}
    for item in dropped:
        record = {"value": item["value"], "reason": "not_in_document"}
        if item["field"].startswith("/"):
            out.setdefault(item["field"], record)
            continue
        name, key = item["field"].split(".")
        label = "title" if name == "experience" else "degree"
        entries = data.get(name) or []
        # By title or degree only: dates are normalised after grounding. An entry still missing the
        # value comes first (hybrid may have filled the slot from the rules).
        candidates = [i for i, entry in enumerate(entries)
                      if _same(entry.get(label), item["entry"].get(label)) and f"/{name}/{i}/{key}" not in out]
        index = min(candidates, key=lambda i: bool(entries[i].get(key)), default=None)
        if index is None:
            index = len(entries) + extra.get(name, 0)
            extra[name] = extra.get(name, 0) + 1
        out[f"/{name}/{index}/{key}"] = record
    return out


def _same(a: Any, b: Any) -> bool:
    return bool(a) and bool(b) and compact(str(a)) == compact(str(b))


def _fill(base: dict, extra: dict) -> dict:
    return {**base, **{k: v for k, v in extra.items() if base.get(k) in (None, "", []) and v not in (None, "", [])}}


def _merge_entries(rules: list[dict], llm: list[dict], key: str, date_key: str) -> list[dict]:
    out = [dict(e) for e in rules]
    for entry in llm:
        match = next(
            (e for e in out if _same(e.get(key), entry.get(key)) or (not e.get(key) and _same(e.get(date_key), entry.get(date_key)))),
            None,
        )
        if match is not None:
            match.update(_fill(match, entry))
        elif entry.get(key):
            out.append(entry)
    return out


def hybrid_merge(rules: dict, llm: dict) -> dict:
    """Rules values win; the LLM fills what the rules left empty."""
    merged = _fill(rules, {k: v for k, v in llm.items() if k not in ("contact_info", "experience", "education")})
    merged["contact_info"] = _fill(rules.get("contact_info") or {}, llm.get("contact_info") or {})
    merged["experience"] = _merge_entries(rules.get("experience") or [], llm.get("experience") or [], "company", "start_date")
    merged["education"] = _merge_entries(rules.get("education") or [], llm.get("education") or [], "institution", "end_date")
    skills = list(rules.get("skills") or [])
    merged["skills"] = skills + [s for s in llm.get("skills") or [] if s not in skills]
    return merged


def extract_with_llm(text: str, *, provider: str, llm: LLMConfig | None, today: date) -> ExtractionResult:
    if llm is None or not llm.model:
        raise ExtractionError(LLM_ERROR, f"The {provider!r} provider needs LLM settings (model, base URL, key).")
    if provider == "anthropic" and llm.api != "anthropic":
        llm = LLMConfig(**{**llm.__dict__, "api": "anthropic"})
    session = _Session(llm)
    chunks = chunk_text(text, llm.max_chunk_chars)
    failure: ExtractionError | None = None
    try:
        parts = [session.extract(chunk, i, len(chunks)) for i, chunk in enumerate(chunks) if chunk.strip()]
    except ExtractionError as exc:
        if provider != "hybrid":
            raise
        # Hybrid still has the rules result: an LLM outage degrades it to
        # "rules" instead of failing the CV; the usage record says why.
        parts, failure = [], exc
    data, dropped = ground(merge_results(parts), text) if parts else ({}, [])
    if provider == "hybrid":
        data = hybrid_merge(rules_parse(text, today), data)
    usage = session.finish()
    if failure is not None:
        usage["error"] = failure.message
    data = finalize(data, text, today)
    return ExtractionResult(data=data, provider=provider, usage=usage, dropped=dropped_pointers(data, dropped))
