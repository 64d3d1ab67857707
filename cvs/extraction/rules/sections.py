"""Section headers in English, Spanish, French and Chinese, and splitting a CV
into sections.

Headers are compared folded (case, accents and punctuation ignored), so
"EXPERIENCIA LABORAL", "Expérience professionnelle :" and "1. Experience" all
match. OCR damages headers ("育经历" for "教育经历"), so a short line that is
nearly a known header also counts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz, process

from ..textnorm import compact, has_han

SUMMARY = "summary"
EXPERIENCE = "experience"
EDUCATION = "education"
SKILLS = "skills"
LANGUAGES = "languages"
CERTIFICATIONS = "certifications"
PROJECTS = "projects"
CONTACT = "contact"
OTHER = "other"

HEADERS: dict[str, tuple[str, ...]] = {
    SUMMARY: (
        "summary", "professional summary", "profile", "professional profile", "about me", "about",
        "objective", "career objective", "career summary", "personal statement", "executive summary",
        "overview", "personal profile",
        "resumen", "resumen profesional", "perfil", "perfil profesional", "sobre mi", "acerca de mi",
        "objetivo", "objetivo profesional", "extracto", "presentacion",
        "resume", "profil", "profil professionnel", "a propos", "a propos de moi", "objectif",
        "objectif professionnel", "synthese", "presentation",
        "自我评价", "个人简介", "个人总结", "个人概述", "简介", "职业概述", "自我介绍", "个人评价",
        "个人优势", "关于我", "职业目标", "求职意向",
    ),
    EXPERIENCE: (
        "experience", "professional experience", "work experience", "employment history",
        "employment", "work history", "career history", "professional background", "career",
        "relevant experience", "experience history", "work",
        "experiencia", "experiencia profesional", "experiencia laboral", "trayectoria profesional",
        "historial laboral", "trayectoria", "empleos",
        "experiences", "experience professionnelle", "experiences professionnelles",
        "parcours professionnel", "emplois", "parcours",
        "工作经验", "工作经历", "职业经历", "工作履历", "实习经历", "从业经历",
    ),
    EDUCATION: (
        "education", "academic background", "academic qualifications", "education and training",
        "studies", "academic history", "qualifications", "academic education",
        "educacion", "formacion", "formacion academica", "estudios", "titulacion", "titulaciones",
        "formacion reglada",
        "formation", "formations", "diplomes", "etudes", "parcours academique", "cursus",
        "formation academique", "diplomes et formations",
        "教育经历", "教育背景", "学历", "教育", "学习经历", "教育情况",
    ),
    SKILLS: (
        "skills", "technical skills", "core competencies", "competencies", "technologies",
        "tech stack", "key skills", "expertise", "skills and tools", "tools", "core skills",
        "hard skills", "it skills", "technical expertise", "top skills", "skills and expertise",
        "skills expertise", "skills and abilities", "skills abilities", "skills and competencies",
        "habilidades", "competencias", "conocimientos", "conocimientos tecnicos", "aptitudes",
        "aptitudes principales", "competencias principales", "habilidades principales",  # LinkedIn's "Top Skills"
        "principales competences", "competences principales",
        "habilidades tecnicas", "competencias tecnicas", "herramientas", "tecnologias",
        "competences", "competences techniques", "savoir faire", "outils", "connaissances",
        "connaissances techniques", "technologies maitrisees",
        "技能", "专业技能", "技能特长", "技术栈", "技能专长", "技术能力", "技能清单", "掌握技能",
    ),
    LANGUAGES: (
        "languages", "language skills", "language",
        "idiomas", "lenguas", "idioma",
        "langues", "competences linguistiques", "langue",
        "语言能力", "语言", "外语能力", "语言技能",
    ),
    CERTIFICATIONS: (
        "certifications", "certificates", "licenses and certifications", "licenses certifications",
        "certification", "courses and certifications",
        "certificaciones", "certificados", "certificacion", "licencias y certificaciones",
        "certificats", "certification",
        "资格证书", "证书", "认证", "专业证书", "证书资质",
    ),
    PROJECTS: (
        "projects", "personal projects", "key projects", "selected projects", "side projects",
        "proyectos", "proyectos personales", "proyectos destacados",
        "projets", "projets personnels", "realisations",
        "项目经历", "项目经验", "项目",
    ),
    CONTACT: (
        "contact", "contact information", "contact details", "personal information", "personal details",
        "contacto", "datos de contacto", "datos personales", "informacion de contacto",
        "coordonnees", "contact", "informations personnelles",
        "联系方式", "个人信息", "基本信息", "联系信息",
    ),
    OTHER: (
        "interests", "hobbies", "references", "awards", "publications", "volunteering", "volunteer",
        "achievements", "honors", "honours", "activities", "honors awards", "interests and hobbies",
        "honors and awards", "honours and awards", "awards and honors", "volunteer experience",
        "volunteer experience and causes", "volunteer experience causes", "volunteer work", "organizations", "organisations", "courses",
        "recommendations", "patents", "test scores", "causes", "experiencia de voluntariado",
        "actividades de voluntariado", "experience de benevolat", "activites benevoles", "志愿者经历", "志愿服务",
        "intereses", "aficiones", "referencias", "premios", "publicaciones", "voluntariado", "logros",
        "centres d'interet", "centres d interet", "loisirs", "references", "prix", "benevolat",
        "interets", "distinctions", "additional information", "informacion adicional", "informations complementaires",
        "兴趣爱好", "获奖情况", "荣誉奖项", "获奖经历", "爱好", "其他",
    ),
}

_LOOKUP: dict[str, str] = {}
for _kind, _names in HEADERS.items():
    for _name in _names:
        _LOOKUP.setdefault(compact(_name), _kind)
_HAN_KEYS = [k for k in _LOOKUP if has_han(k)]
_LATIN_KEYS = [k for k in _LOOKUP if not has_han(k)]

_NUMBERING = re.compile(r"^\s*(?:[\dIVX]+[.)]|[#*•·▪■\-–—>]+)\s*")
_MAX_HEADER_CHARS = 45
_MAX_HEADER_WORDS = 5
# Fuzzy matching is for OCR damage only: short lines, high similarity.
_FUZZY_MIN_SCORE = 85
_FUZZY_MIN_SCORE_HAN = 74
_FUZZY_MAX_LENGTH_GAP = 2


@lru_cache(maxsize=4096)
def header_kind(line: str, fuzzy: bool = True) -> str | None:
    """The section a header line opens, or None if the line is not a header.

    ``fuzzy`` also accepts near-misses (OCR damage) of at least a few characters.
    """
    stripped = _NUMBERING.sub("", line).strip().rstrip(":：").strip()
    if not stripped or len(stripped) > _MAX_HEADER_CHARS or len(stripped.split()) > _MAX_HEADER_WORDS:
        return None
    if any(ch.isdigit() for ch in stripped) or "@" in stripped:
        return None
    key = compact(stripped)
    if not key:
        return None
    kind = _LOOKUP.get(key)
    if kind is not None:
        return kind
    han = has_han(key)
    if not fuzzy or len(key) < (3 if han else 6):
        return None
    match = process.extractOne(
        key,
        _HAN_KEYS if han else _LATIN_KEYS,
        scorer=fuzz.ratio,
        score_cutoff=_FUZZY_MIN_SCORE_HAN if han else _FUZZY_MIN_SCORE,
    )
    # OCR damages a character or two; a longer difference is another phrase
    # ("Professional Scrum Master" is not "Professional Summary").
    if match is None or abs(len(match[0]) - len(key)) > _FUZZY_MAX_LENGTH_GAP:
        return None
    return _LOOKUP[match[0]]


@dataclass
class Section:
    kind: str  # one of the constants above, or "preamble" for text before any header
    header: str
    lines: list[str] = field(default_factory=list)


PREAMBLE = "preamble"


def split_sections(lines: list[str]) -> list[Section]:
    """Cut the CV into sections at header lines; text before the first header is the preamble."""
    sections = [Section(PREAMBLE, "")]
    skip_next = False
    for i, line in enumerate(lines):
        if skip_next:
            skip_next = False
            continue
        kind = header_kind(line)
        # Narrow sidebars wrap long headers: "Compétences" / "techniques".
        wrapped = header_kind(f"{line} {lines[i + 1]}", fuzzy=False) if i + 1 < len(lines) else None
        if wrapped is not None:
            kind, skip_next = wrapped, True
        if kind is not None:
            sections.append(Section(kind, line))
        else:
            sections[-1].lines.append(line)
    return sections
