"""Normalisation shared by the criteria schema and the matcher: school names, skills, languages
(education levels: ``cvs.extraction.levels``)."""

from __future__ import annotations

import re
import unicodedata

from cvs.extraction.rules.skills import load_skills

_PUNCTUATION = re.compile(r"[\s'’`\"“”.,，、;；:：()（）\[\]【】{}<>《》/\\|_\-–—·・!?！？]+")


def fold(text: str) -> str:
    """NFKC, casefold and strip accents: 'Université' and 'universite' fold alike; CJK is untouched."""
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text or "").casefold())
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def name_key(text: str) -> str:
    """The exact-match key of a school name or alias: folded, without spaces or punctuation."""
    folded = re.sub(r"^the\s+", "", fold(text).strip())
    return _PUNCTUATION.sub("", folded.replace("&", "and"))


# Institution strings often carry a faculty or campus ("北京大学 计算机学院", "Peking University, EECS").
# Each segment is tried as a whole name: still exact matching, never a substring search.
_SEGMENT_SPLIT = re.compile(r"\s*[,，;；|/()（）\-–—·]\s*|\s{2,}|(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])")


def name_keys(text: str) -> list[str]:
    keys = [name_key(text)]
    keys += [name_key(part) for part in _SEGMENT_SPLIT.split(text or "") if part.strip()]
    return [key for key in dict.fromkeys(keys) if key]


def skill_key(skill: str) -> str:
    """Canonical identity of a skill, through the extraction's curated dictionary ('vue', 'VueJS' → Vue.js;
    'k8s' → Kubernetes); unknown skills compare folded, without spaces or dots. 'C', 'C#' and 'C++' stay three."""
    canonical = load_skills().lookup(skill) or skill
    return re.sub(r"[\s.\-_/]+", "", fold(canonical))


_LANGUAGES = {
    "en": ["english", "inglés", "ingles", "anglais", "英语", "英文", "英語"],
    "es": ["spanish", "español", "espanol", "castellano", "castilian", "espagnol", "西班牙语", "西班牙文"],
    "fr": ["french", "francés", "frances", "français", "francais", "法语", "法文"],
    "zh": ["chinese", "mandarin", "chino", "chinois", "中文", "汉语", "普通话", "國語", "華語"],
    "de": ["german", "alemán", "aleman", "allemand", "deutsch", "德语", "德文"],
    "it": ["italian", "italiano", "italien", "意大利语"],
    "pt": ["portuguese", "portugués", "portugues", "portugais", "português", "葡萄牙语"],
    "ja": ["japanese", "japonés", "japones", "japonais", "日语", "日文", "日本語"],
    "ko": ["korean", "coreano", "coréen", "coreen", "韩语", "韩文", "한국어"],
    "ru": ["russian", "ruso", "russe", "俄语", "俄文"],
    "ar": ["arabic", "árabe", "arabe", "阿拉伯语"],
    "ca": ["catalan", "catalán", "català", "加泰罗尼亚语"],
    "nl": ["dutch", "neerlandés", "néerlandais", "荷兰语"],
}
_LANGUAGE_CODES = {name_key(name): code for code, names in _LANGUAGES.items() for name in [code, *names]}


def language_code(name: str) -> str:
    """ISO 639-1 code for a language named in en/es/fr/zh ('Francés' → 'fr'); else the folded name."""
    key = name_key(re.sub(r"\(.*?\)|（.*?）|[:：-].*$", "", name or ""))
    return _LANGUAGE_CODES.get(key, key)
