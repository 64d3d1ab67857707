"""What a document says, independent of its format: localised labels, ordered sections, blind scrubbing.

Both renderers draw a ``DocumentContent``; neither reads the raw cv-data dict, so the
anonymised variant is decided once, here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from cvs.documents.models import DOCUMENT_LANGUAGES, SECTION_KEYS

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "summary": "Profile", "experience": "Professional experience", "education": "Education",
        "certifications": "Certifications", "skills": "Skills", "languages": "Languages", "projects": "Projects",
        "years": "{n} years of experience", "year": "1 year of experience", "present": "Present", "tools": "Tools",
        "page": "Page {page} of {pages}", "candidate": "Candidate", "blind": "Anonymised profile — ref. {ref}",
        "other_skills": "Other", "decimal": ".",
    },
    "es": {
        "summary": "Perfil", "experience": "Experiencia profesional", "education": "Formación",
        "certifications": "Certificaciones", "skills": "Competencias", "languages": "Idiomas", "projects": "Proyectos",
        "years": "{n} años de experiencia", "year": "1 año de experiencia", "present": "Actualidad", "tools": "Herramientas",
        "page": "Página {page} de {pages}", "candidate": "Candidato/a", "blind": "Perfil anonimizado — ref. {ref}",
        "other_skills": "Otras", "decimal": ",",
    },
    "fr": {
        "summary": "Profil", "experience": "Expérience professionnelle", "education": "Formation",
        "certifications": "Certifications", "skills": "Compétences", "languages": "Langues", "projects": "Projets",
        "years": "{n} ans d'expérience", "year": "1 an d'expérience", "present": "Aujourd'hui", "tools": "Outils",
        "page": "Page {page} sur {pages}", "candidate": "Candidat(e)", "blind": "Profil anonymisé — réf. {ref}",
        "other_skills": "Autres", "decimal": ",",
    },
    "zh": {
        "summary": "个人简介", "experience": "工作经历", "education": "教育背景", "certifications": "证书",
        "skills": "专业技能", "languages": "语言能力", "projects": "项目经历", "years": "{n}年工作经验",
        "year": "1年工作经验", "present": "至今", "tools": "工具", "page": "第 {page} 页，共 {pages} 页",
        "candidate": "候选人", "blind": "匿名简历 — 编号 {ref}", "other_skills": "其他", "decimal": ".",
    },
}

# Hints of age, gender, family and nationality that blind screening leaves out (en, es, fr, zh).
_HINT_LINE = re.compile(
    r"(?im)^[^\S\n]*(?:date of birth|birth ?date|born|d\.?o\.?b\.?|age|gender|sex|marital status|nationality|citizenship"
    r"|fecha de nacimiento|nacid[oa]|edad|sexo|g[ée]nero|estado civil|nacionalidad"
    r"|date de naissance|n[ée]e? le|[âa]ge|sexe|genre|situation (?:familiale|matrimoniale)|nationalit[ée]"
    r"|出生日期|出生年月|生日|年龄|性别|婚姻状况|婚否|国籍|民族|籍贯)[^\S\n]*[:：].*$"
)
_HINT_INLINE = re.compile(
    r"(?i)\b(?:(?-i:(?:Mr|Mrs|Ms|Miss|Mx|Sra|Srta|Mme|Mlle)\.?(?=\s+[A-Z])|M\.(?=\s+[A-Z]))|\d{1,2}\s*(?:years old|años|ans)\b"
    r"|(?:born|nacid[oa]|n[ée]e?) (?:on|el|le|in|en)\s+[^,.;\n]+)"
    r"|\d{1,2}\s*岁|(?:男|女)(?=[，,、\s])"
)
_ANY_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_ANY_PHONE = re.compile(r"(?<![\w])\+?\d[\d\s().-]{7,}\d(?![\w])")
_PROFILE_URL = re.compile(r"(?i)(?:https?://)?(?:www\.)?(?:linkedin\.com|github\.com)/\S*")
_REPEATED_PUNCTUATION = re.compile(r"([，,、;；])(?:\s*[，,、;；])+")
REDACTED = "[…]"


@dataclass
class Entry:
    """One dated item of a section: a job, a degree, a project, a certificate."""

    title: str = ""
    subtitle: str = ""
    period: str = ""
    text: str = ""
    bullets: list[str] = field(default_factory=list)
    tools: list[str] = field(default_factory=list)


@dataclass
class Section:
    key: str
    title: str
    entries: list[Entry] = field(default_factory=list)
    groups: list[tuple[str, list[str]]] = field(default_factory=list)  # skills: (category, skills)
    text: str = ""


@dataclass
class DocumentContent:
    language: str
    labels: dict[str, str]
    name: str
    title_line: str
    contact: list[str]
    sections: list[Section]
    anonymised: bool

    def all_text(self) -> list[str]:
        """Every string a renderer must print; tests compare this with what comes back out."""
        texts = [self.name, self.title_line, *self.contact]
        for section in self.sections:
            texts += [section.title, section.text]
            for entry in section.entries:
                texts += [entry.title, entry.subtitle, entry.period, entry.text, *entry.bullets, *entry.tools]
            for category, skills in section.groups:
                texts += [category, *skills]
        return [text for text in texts if text]


def document_language(requested: str, data: dict[str, Any]) -> str:
    if requested in DOCUMENT_LANGUAGES:
        return requested
    language = (data.get("language") or "").lower()[:2]
    return language if language in DOCUMENT_LANGUAGES else "en"


def _text(value: Any) -> str:
    return " ".join(str(value).split()) if value not in (None, "") else ""


def _years(value: Any, labels: dict[str, str]) -> str:
    try:
        years = float(value)
    except (TypeError, ValueError):
        return ""
    if years <= 0:
        return ""
    if years < 1.5 and round(years) == 1:
        return labels["year"]
    shown = f"{years:.1f}".rstrip("0").rstrip(".") if years % 1 else str(int(years))
    return labels["years"].format(n=shown.replace(".", labels["decimal"]))


def _period(item: dict[str, Any], labels: dict[str, str]) -> str:
    if item.get("period"):
        return _text(item["period"])
    start, end = _text(item.get("start_date")), _text(item.get("end_date"))
    if item.get("is_current") and not end:
        end = labels["present"]
    if start and end:
        return f"{start} – {end}"
    return start or end or _text(item.get("graduation_year"))


class Scrubber:
    """Removes a candidate's own identifiers, and optionally personal hints, from free text."""

    def __init__(self, contact: dict[str, Any], *, hints: bool):
        self.hints = hints
        patterns: list[str] = []
        name = _text(contact.get("name"))
        if name:
            patterns.append(re.escape(name))
            # Latin names: each part on its own too ("Brent", "Nelson"); CJK names only whole.
            patterns += [rf"\b{re.escape(part)}\b" for part in re.split(r"[\s,]+", name) if len(part) >= 3 and part.isascii()]
        for key in ("email", "website", "linkedin", "github"):
            if contact.get(key):
                patterns.append(re.escape(_text(contact[key])))
        for key in ("phone", "phone_e164"):
            digits = re.sub(r"\D", "", _text(contact.get(key)))
            if len(digits) >= 6:
                # The same number however it is punctuated: 158 8032 4490, 158-8032-4490, +8615880324490.
                patterns.append(r"(?<!\d)(?:\+?\d[\s().-]{0,2})*?" + r"[\s().-]*".join(digits[-9:]) + r"(?!\d)")
        self.own = re.compile("|".join(sorted(patterns, key=len, reverse=True)), re.IGNORECASE) if patterns else None

    def __call__(self, text: str) -> str:
        if not text:
            return text
        if self.hints:
            text = _HINT_LINE.sub("", text)
            text = _HINT_INLINE.sub("", text)
        if self.own is not None:
            text = self.own.sub(REDACTED, text)
        text = _ANY_EMAIL.sub(REDACTED, text)
        text = _PROFILE_URL.sub(REDACTED, text)
        text = _ANY_PHONE.sub(lambda m: REDACTED if sum(c.isdigit() for c in m.group()) >= 9 else m.group(), text)
        text = _REPEATED_PUNCTUATION.sub(r"\1", text)
        return " ".join(text.split())


def _skill_groups(data: dict[str, Any], labels: dict[str, str]) -> list[tuple[str, list[str]]]:
    """Skills by category when the data has categories, else one unnamed group.

    Categories come from the optional ``skill_groups`` key (``{category: [skills]}`` or
    ``[{"category", "skills"}]``) or from skills given as ``{"name", "category"}`` objects.
    """
    groups: dict[str, list[str]] = {}
    raw_groups = data.get("skill_groups")
    if isinstance(raw_groups, dict):
        raw_groups = [{"category": key, "skills": value} for key, value in raw_groups.items()]
    for group in raw_groups or []:
        if isinstance(group, dict):
            groups.setdefault(_text(group.get("category") or group.get("name")), []).extend(
                _text(skill) for skill in group.get("skills") or [] if _text(skill)
            )
    grouped = {skill.lower() for skills in groups.values() for skill in skills}
    loose: list[str] = []
    for skill in data.get("skills") or []:
        if isinstance(skill, dict):
            name, category = _text(skill.get("name")), _text(skill.get("category"))
            if name and category:
                groups.setdefault(category, []).append(name)
                grouped.add(name.lower())
                continue
            skill = name
        skill = _text(skill)
        if skill and skill.lower() not in grouped:
            loose.append(skill)
    if not groups:
        return [("", loose)] if loose else []
    if loose:
        groups.setdefault(labels["other_skills"], []).extend(loose)
    return [(category, skills) for category, skills in groups.items() if skills]


def build_content(
    data: dict[str, Any],
    *,
    language: str = "auto",
    sections: list[str] | None = None,
    section_titles: dict[str, dict[str, str]] | None = None,
    anonymised: bool = False,
    hide_personal_hints: bool = True,
    blind_shows_location: bool = False,
    reference: str = "",
) -> DocumentContent:
    lang = document_language(language, data)
    labels = LABELS[lang]
    contact = data.get("contact_info") or {}
    scrub = Scrubber(contact, hints=hide_personal_hints) if anonymised else None

    def clean(value: Any) -> str:
        if scrub is None or value in (None, ""):
            return _text(value)
        return scrub(str(value))  # before whitespace is folded: hint lines are matched line by line

    if anonymised:
        name = labels["blind"].format(ref=reference.upper())
        contact_items = [_text(contact.get("location"))] if blind_shows_location else []
    else:
        name = _text(contact.get("name")) or labels["candidate"]
        contact_items = [_text(contact.get(key)) for key in ("email", "phone", "location", "linkedin", "github", "website")]
    title_parts = [clean(data.get("headline")), _years(data.get("years_of_experience"), labels)]

    def title(key: str) -> str:
        return _text(((section_titles or {}).get(key) or {}).get(lang)) or labels[key]

    built: list[Section] = []
    for key in sections if sections is not None else SECTION_KEYS:
        section = Section(key=key, title=title(key))
        if key == "summary":
            section.text = clean(data.get("summary"))
        elif key == "experience":
            for job in data.get("experience") or []:
                section.entries.append(Entry(
                    title=clean(job.get("title")),
                    subtitle=" · ".join(filter(None, [clean(job.get("company")), clean(job.get("location"))])),
                    period=_period(job, labels),
                    text=clean(job.get("description")),
                    bullets=[clean(task) for task in job.get("tasks") or [] if clean(task)],
                    tools=[_text(tool) for tool in job.get("tech_tools") or [] if _text(tool)],
                ))
        elif key == "education":
            for school in data.get("education") or []:
                degree = " — ".join(filter(None, [clean(school.get("degree")), clean(school.get("field_of_study"))]))
                section.entries.append(Entry(title=degree, subtitle=clean(school.get("institution")), period=_period(school, labels)))
        elif key == "certifications":
            for cert in data.get("certifications") or []:
                cert = cert if isinstance(cert, dict) else {"name": cert}
                section.entries.append(
                    Entry(title=clean(cert.get("name")), subtitle=clean(cert.get("issuer")), period=_text(cert.get("year")))
                )
        elif key == "projects":
            for project in data.get("projects") or []:
                section.entries.append(Entry(
                    title=clean(project.get("name")), subtitle=clean(project.get("role")),
                    period=_text(project.get("period")), text=clean(project.get("description")),
                ))
        elif key == "languages":
            for item in data.get("languages") or []:
                item = item if isinstance(item, dict) else {"language": item}
                spoken = clean(item.get("language"))
                if spoken:
                    section.entries.append(Entry(title=spoken, subtitle=clean(item.get("level"))))
        elif key == "skills":
            section.groups = _skill_groups(data, labels)
        section.entries = [entry for entry in section.entries if entry.title or entry.subtitle]
        if section.text or section.entries or section.groups:
            built.append(section)
    return DocumentContent(
        language=lang,
        labels=labels,
        name=name,
        title_line=" · ".join(filter(None, title_parts)),
        contact=[item for item in contact_items if item],
        sections=built,
        anonymised=anonymised,
    )
