"""The school list as an exact-match index: normalised alias → school name and tiers."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from screening.vocab import name_keys

SEED_FILE = Path(__file__).resolve().parent / "data" / "schools.json"


def seed_rows() -> list[dict[str, Any]]:
    return json.loads(SEED_FILE.read_text(encoding="utf-8"))["schools"]


@dataclass(frozen=True)
class SchoolMatch:
    name: str
    tiers: frozenset[str]


@dataclass
class SchoolIndex:
    by_key: dict[str, SchoolMatch] = field(default_factory=dict)

    @classmethod
    def build(cls, schools: Iterable[Any]) -> SchoolIndex:
        """Later rows with the same name merge into earlier ones, so a tenant's row extends a shared one."""
        merged: dict[str, tuple[set[str], set[str]]] = {}
        for school in schools:
            keys, tiers = merged.setdefault(school.name, (set(), set()))
            keys |= school.keys()
            tiers |= set(school.tiers)
        index = cls()
        for name, (keys, tiers) in merged.items():
            for key in keys:
                previous = index.by_key.get(key)
                all_tiers = frozenset(tiers | (previous.tiers if previous and previous.name == name else set()))
                index.by_key[key] = SchoolMatch(name=name, tiers=all_tiers)
        return index

    def lookup(self, institution: str) -> SchoolMatch | None:
        """Exact match of the whole name or one of its segments: '湖北大学' never matches the alias '北大'."""
        for key in name_keys(institution):
            if key in self.by_key:
                return self.by_key[key]
        return None

    @property
    def tiers(self) -> set[str]:
        return {tier for match in self.by_key.values() for tier in match.tiers}
