"""OCR of page images: orientation, deskew, then the engine that reads the page's script best.

Tesseract fixes orientation (OSD) and reads Latin pages; Han pages go to RapidOCR's PP-OCR models
(``ocr_rapid.py``), which read Chinese names that Tesseract garbles (figures in docs/extraction.md).
``CV_OCR_ENGINE=tesseract`` (or ``rapidocr``) forces one engine for every page, to compare them.

Speed matters (target: a few seconds per page on 2 cores), so:
- orientation comes from one OSD pass on a downscaled copy;
- the skew angle is measured on a small binarised thumbnail;
- the script is told by a quick ``chi_sim`` pass on a thumbnail (OSD's script
  guess is unreliable on Chinese CVs, which are full of Latin emails and tool
  names), then the page is read with only that script's languages: mixing
  ``chi_sim`` with Latin models is slower and splits Chinese words apart.
- Tesseract's OpenMP threads busy-wait; on a small machine already running
  other workers they slow OCR down several times, so OCR is single-threaded
  (parallelism comes from running several workers).
"""

from __future__ import annotations

import os
import re

import numpy as np
import pytesseract
from PIL import Image, ImageOps

from . import ocr_rapid

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

# Tesseract reads best when capital letters are ~25-40 px high; CV pages scanned
# at 150-300 dpi land there once the long side is in this range.
_MIN_LONG_SIDE = 1600
_MAX_LONG_SIDE = 2600
_OSD_LONG_SIDE = 1400
_SKEW_LONG_SIDE = 700
_SCRIPT_LONG_SIDE = 800
# Latin pages yield a handful of spurious Han characters in the script pass,
# Chinese CVs well over a hundred.
_MIN_HAN_CHARS = 25
# Short lines read with less confidence than this are OCRed again on their own.
_REREAD_BELOW_CONF = 65.0
_REREAD_MAX_WORDS = 4
_REREAD_MIN_GAIN = 10.0
_LINE_PAD = 10
_MAX_SKEW_DEG = 8.0

_HAN = re.compile(r"[\u4e00-\u9fff]")
_CJK = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef"
_CJK_GAP = re.compile(rf"(?<=[{_CJK}]) +(?=[{_CJK}])")

HAN, LATIN = "Han", "Latin"
TESSERACT, RAPIDOCR = "tesseract", "rapidocr"
OCR_ENGINES = ("auto", TESSERACT, RAPIDOCR)
_CJK_LANGS = ("chi_sim", "chi_tra", "jpn", "kor")


def _resize_long_side(img: Image.Image, target: int) -> Image.Image:
    scale = target / max(img.size)
    size = (max(1, round(img.width * scale)), max(1, round(img.height * scale)))
    return img.resize(size, Image.Resampling.LANCZOS)


def _normalise_size(img: Image.Image) -> Image.Image:
    long_side = max(img.size)
    if long_side < _MIN_LONG_SIDE:
        return _resize_long_side(img, _MIN_LONG_SIDE)
    if long_side > _MAX_LONG_SIDE:
        return _resize_long_side(img, _MAX_LONG_SIDE)
    return img


def _rotation(img: Image.Image) -> int:
    """Rotation (degrees clockwise to apply) from Tesseract OSD."""
    small = _resize_long_side(img, _OSD_LONG_SIDE) if max(img.size) > _OSD_LONG_SIDE else img
    try:
        report = pytesseract.image_to_osd(small, config="--psm 0 -c min_characters_to_try=20")
    except pytesseract.TesseractError:
        # Too little text to tell (or a blank image): keep the page as it is.
        return 0
    rotate = re.search(r"Rotate: (\d+)", report)
    confidence = re.search(r"Orientation confidence: ([\d.]+)", report)
    if not rotate or not confidence or float(confidence.group(1)) < 1.5:
        return 0
    return int(rotate.group(1))


def _script(img: Image.Image, available: str) -> str | None:
    """Tell "Han" from "Latin" by the Han characters a fast thumbnail pass finds."""
    if "chi_sim" not in available.split("+"):
        return None
    small = _resize_long_side(img, _SCRIPT_LONG_SIDE)
    text = pytesseract.image_to_string(small, lang="chi_sim", config="--oem 1 --psm 3")
    return HAN if len(_HAN.findall(text)) >= _MIN_HAN_CHARS else LATIN


def _skew_angle(img: Image.Image) -> float:
    """Small-angle skew in degrees, by maximising the sharpness of row profiles."""
    small = _resize_long_side(img, _SKEW_LONG_SIDE)
    ink = (np.asarray(small, dtype=np.uint8) < 128).astype(np.uint8) * 255
    if ink.sum() == 0:
        return 0.0
    mask = Image.fromarray(ink)

    def score(angle: float) -> float:
        rotated = np.asarray(mask.rotate(angle, resample=Image.Resampling.NEAREST, expand=False))
        profile = rotated.sum(axis=1, dtype=np.float64)
        return float(np.square(np.diff(profile)).sum())

    coarse = max(np.arange(-_MAX_SKEW_DEG, _MAX_SKEW_DEG + 0.01, 1.0), key=score)
    fine = max(np.arange(coarse - 1.0, coarse + 1.01, 0.2), key=score)
    return float(fine)


def languages_for_script(script: str | None, available: str) -> str:
    """Narrow the configured Tesseract languages to those of the detected script."""
    langs = [lang for lang in available.split("+") if lang]
    if script is None:
        return "+".join(langs)
    if script == HAN:
        # English is kept because Chinese CVs routinely name tools and schools
        # in it, but second: Tesseract favours the first language.
        chosen = [lang for lang in langs if lang in _CJK_LANGS] + [lang for lang in langs if lang == "eng"]
    else:
        chosen = [lang for lang in langs if lang not in _CJK_LANGS]
    return "+".join(chosen or langs)


def _words_by_line(data: dict) -> list[list[int]]:
    lines: dict[tuple[int, int, int], list[int]] = {}
    for i, level in enumerate(data["level"]):
        if level == 5 and str(data["text"][i]).strip():
            lines.setdefault((data["block_num"][i], data["par_num"][i], data["line_num"][i]), []).append(i)
    return list(lines.values())


def _mean_conf(data: dict, ids: list[int]) -> float:
    confs = [float(data["conf"][i]) for i in ids if float(data["conf"][i]) >= 0]
    return sum(confs) / len(confs) if confs else 0.0


def _reread_line(img: Image.Image, data: dict, ids: list[int], langs: str) -> tuple[str, float] | None:
    """OCR one line's crop on its own (single-line mode)."""
    left = min(data["left"][i] for i in ids) - _LINE_PAD
    top = min(data["top"][i] for i in ids) - _LINE_PAD
    right = max(data["left"][i] + data["width"][i] for i in ids) + _LINE_PAD
    bottom = max(data["top"][i] + data["height"][i] for i in ids) + _LINE_PAD
    crop = img.crop((max(0, left), max(0, top), min(img.width, right), min(img.height, bottom)))
    best: tuple[str, float] | None = None
    # The page's main language alone first: with "chi_sim+eng" a two-character
    # Chinese name in a large font tends to come out as Latin letters.
    for lang in dict.fromkeys((langs.split("+")[0], langs)):
        again = pytesseract.image_to_data(crop, lang=lang, config="--oem 1 --psm 7", output_type=pytesseract.Output.DICT)
        words = [i for line in _words_by_line(again) for i in line]
        if words:
            candidate = (" ".join(str(again["text"][i]) for i in words), _mean_conf(again, words))
            if best is None or candidate[1] > best[1]:
                best = candidate
    return best


def _read(img: Image.Image, langs: str) -> str:
    """Page text, paragraph by paragraph, with doubtful short lines re-read.

    In page mode Tesseract often garbles a line set in a much larger font than
    the rest (typically the candidate's name); read alone, the same crop comes
    out right.
    """
    data = pytesseract.image_to_data(img, lang=langs, config="--oem 1 --psm 3", output_type=pytesseract.Output.DICT)
    out: list[str] = []
    previous_block: tuple[int, int] | None = None
    for ids in _words_by_line(data):
        text = " ".join(str(data["text"][i]) for i in ids)
        conf = _mean_conf(data, ids)
        if conf < _REREAD_BELOW_CONF and len(ids) <= _REREAD_MAX_WORDS:
            better = _reread_line(img, data, ids, langs)
            if better is not None and better[1] > conf + _REREAD_MIN_GAIN:
                text = better[0]
        block = (data["block_num"][ids[0]], data["par_num"][ids[0]])
        if previous_block is not None and block != previous_block:
            out.append("")
        previous_block = block
        out.append(text)
    return "\n".join(out).strip()




def ocr_image(img: Image.Image, languages: str) -> str:
    """Read a page image: grayscale, fix orientation and skew, then OCR."""
    gray = ImageOps.exif_transpose(img).convert("L")
    gray = _normalise_size(gray)
    rotation = _rotation(gray)
    if rotation:
        # OSD reports the clockwise rotation that makes the page upright.
        gray = gray.rotate(-rotation, expand=True, fillcolor=255)
    skew = _skew_angle(gray)
    if abs(skew) >= 0.2:
        gray = gray.rotate(skew, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    script = _script(gray, languages)
    if engine_for_script(script) == RAPIDOCR:
        return _rapid_text(gray)
    text = _read(gray, languages_for_script(script, languages))
    return _join_cjk(text) if script == HAN else text


def engine_for_script(script: str | None) -> str:
    """RapidOCR for Han pages, Tesseract otherwise, unless ``CV_OCR_ENGINE`` names one engine."""
    choice = os.environ.get("CV_OCR_ENGINE", "auto")
    if choice not in OCR_ENGINES:
        raise ValueError(f"CV_OCR_ENGINE={choice!r}: expected one of {', '.join(OCR_ENGINES)}")
    if choice != "auto":
        return choice
    return RAPIDOCR if script == HAN else TESSERACT


def _rapid_text(img: Image.Image) -> str:
    return "\n".join(line for line, _ in ocr_rapid.read_lines(img))


def _join_cjk(text: str) -> str:
    # Tesseract puts spaces between Han characters; Chinese text has none.
    return _CJK_GAP.sub("", text)
