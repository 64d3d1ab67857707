"""Skills normalised against the curated dictionary in ``data/skills.json``.

Aliases match as whole tokens: "C" does not match inside "C#", "Cloud" or
"CSS", and "Go" does not match "Google". Aliases that are ordinary words or
single letters (Go, Swift, R, Excel...) are case-sensitive.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..textnorm import strip_accents

SKILLS_PATH = Path(__file__).resolve().parent.parent / "data" / "skills.json"

# Characters that continue a technology token: "C" + "#", "C" + "++", "Node" + ".js".
_TOKEN_CHARS = r"\w+#"
_OCR_CONFUSIONS = str.maketrans({"l": "i", "1": "i", "|": "i", "0": "o"})


def _key(text: str) -> str:
    return " ".join(strip_accents(text).casefold().split())


def _ocr_key(text: str) -> str:
    # OCR mistakes I/l/1 and O/0; a second lookup tolerates exactly those.
    return _key(text).translate(_OCR_CONFUSIONS)


@dataclass(frozen=True)
class SkillDictionary:
    canonical: dict[str, str]  # folded alias -> canonical name
    ocr: dict[str, str]  # OCR-tolerant alias -> canonical name
    case_sensitive: dict[str, str]  # exact alias -> canonical name
    pattern: re.Pattern[str]
    pattern_cs: re.Pattern[str] | None

    def lookup(self, item: str) -> str | None:
        """Canonical name of a whole item ("postgres" -> "PostgreSQL"), or None."""
        # Leading dots belong to names like ".NET"; trailing ones end sentences.
        item = item.strip().strip(",;:·•-–— ").rstrip(".")
        if item in self.case_sensitive:
            return self.case_sensitive[item]
        return self.canonical.get(_key(item)) or self.ocr.get(_ocr_key(item))

    def display(self, item: str) -> str | None:
        """The name to report for a known skill: the canonical one, or the CV's own when fuller.

        "postgres" is reported as "PostgreSQL", but "Microsoft Excel" and "Apache Airflow" keep
        the CV's wording: the canonical name ("Excel", "Airflow") is inside it, and shortening
        what the candidate wrote loses information. None when the item is not a known skill.
        """
        name = self.lookup(item)
        if name is None:
            return None
        own = item.strip().strip(",;:·•-–— ").rstrip(".")
        short, full = _key(name), _key(own)
        if full != short and re.search(rf"(?<![{_TOKEN_CHARS}.]){re.escape(short)}(?![{_TOKEN_CHARS}])", full):
            return own
        return name

    def find(self, text: str) -> list[str]:
        """Canonical names of every dictionary skill mentioned in ``text``, in order."""
        hits: list[tuple[int, str]] = []
        folded = strip_accents(text)
        for m in self.pattern.finditer(folded):
            hits.append((m.start(), self.canonical[_key(m.group(0))]))
        if self.pattern_cs is not None:
            for m in self.pattern_cs.finditer(text):
                hits.append((m.start(), self.case_sensitive[m.group(0)]))
        seen: set[str] = set()
        out: list[str] = []
        for _, name in sorted(hits):
            if name not in seen:
                seen.add(name)
                out.append(name)
        return out


def _alternation(aliases: list[str]) -> str:
    return "|".join(re.escape(a) for a in sorted(aliases, key=len, reverse=True))


def _bounded(alternation: str) -> str:
    # A dot may end a sentence ("...and Go.") but "Node.js" continues a token.
    return rf"(?<![{_TOKEN_CHARS}.])(?:{alternation})(?![{_TOKEN_CHARS}])(?!\.\w)"


@lru_cache(maxsize=4)
def load_skills(path: str | None = None) -> SkillDictionary:
    data = json.loads(Path(path or SKILLS_PATH).read_text(encoding="utf-8"))
    canonical: dict[str, str] = {}
    case_sensitive: dict[str, str] = {}
    for entry in data["skills"]:
        name = entry["name"]
        if name not in entry.get("case_sensitive_aliases", []):
            canonical.setdefault(_key(name), name)
        for alias in entry.get("aliases", []):
            canonical.setdefault(_key(alias), name)
        for alias in entry.get("case_sensitive_aliases", []):
            case_sensitive.setdefault(alias, name)
    ocr = {_ocr_key(k): v for k, v in canonical.items()}
    pattern = re.compile(_bounded(_alternation(list(canonical))), re.IGNORECASE)
    pattern_cs = re.compile(_bounded(_alternation(list(case_sensitive)))) if case_sensitive else None
    return SkillDictionary(canonical, ocr, case_sensitive, pattern, pattern_cs)
