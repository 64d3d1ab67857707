"""Small text normalisation helpers shared by the parser, grounding and scoring."""

from __future__ import annotations

import re
import unicodedata

_PUNCT = re.compile(r"[^\w\s]", re.UNICODE)
_SPACES = re.compile(r"\s+")


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold(text: str) -> str:
    """Lowercase, accent-free, punctuation-free, single-spaced: for comparisons."""
    text = strip_accents(text).casefold()
    text = _PUNCT.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def compact(text: str) -> str:
    """:func:`fold` without any spaces (OCR splits and joins words at random)."""
    return fold(text).replace(" ", "")


_HAN = re.compile(r"[\u4e00-\u9fff]")


def has_han(text: str) -> bool:
    return _HAN.search(text) is not None
