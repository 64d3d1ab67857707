"""Main language of a CV (ISO 639-1), or None when it cannot be told."""

from __future__ import annotations

import re
from functools import lru_cache

from langdetect import DetectorFactory, LangDetectException, detect_langs

# langdetect is randomised; a fixed seed makes the answer reproducible.
DetectorFactory.seed = 0

_NOISE = re.compile(r"\S+@\S+|https?://\S+|www\.\S+|\S+\.(?:com|io|org|net)\S*|\d+")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_LETTER = re.compile(r"[^\W\d_]")
_MIN_LETTERS = 40
# Chinese CVs are full of Latin tool names, so a modest Han share decides.
_MIN_HAN_SHARE = 0.15
_MIN_PROBABILITY = 0.6
# The opening of a CV is enough to tell its language, and langdetect is slow.
_SAMPLE_CHARS = 3000


@lru_cache(maxsize=64)
def detect_language(text: str) -> str | None:
    cleaned = _NOISE.sub(" ", text[:_SAMPLE_CHARS])
    letters = len(_LETTER.findall(cleaned))
    if letters < _MIN_LETTERS:
        return None
    if len(_HAN.findall(cleaned)) / letters >= _MIN_HAN_SHARE:
        return "zh"
    try:
        guesses = detect_langs(cleaned)
    except LangDetectException:
        return None
    best = guesses[0]
    if best.prob < _MIN_PROBABILITY:
        return None
    return best.lang.split("-")[0]
