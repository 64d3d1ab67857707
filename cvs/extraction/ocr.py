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

import math
import os
import re
from dataclasses import dataclass, field

import numpy as np
import pytesseract
from PIL import Image, ImageOps

from . import ocr_rapid
from .layout import Piece

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
_CJK_JOIN = re.compile(rf"[{_CJK}][{_CJK}]")

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


# An OCR'd word or re-read line: its text and box [x0, y0, x1, y1] in pixels of the image read.
Word = tuple[str, tuple[float, float, float, float]]


@dataclass
class OcrText:
    """A page's text and where each piece of it is: (start, end, x0, y0, x1, y1) in image pixels."""

    text: str
    pieces: list[Piece] = field(default_factory=list)


def _box(data: dict, ids: list[int]) -> tuple[float, float, float, float]:
    return (min(data["left"][i] for i in ids), min(data["top"][i] for i in ids),
            max(data["left"][i] + data["width"][i] for i in ids), max(data["top"][i] + data["height"][i] for i in ids))


def _read(img: Image.Image, langs: str) -> list[tuple[object, list[Word]]]:
    """Page lines (with the paragraph each belongs to) as word boxes, with doubtful short lines re-read.

    In page mode Tesseract often garbles a line set in a much larger font than
    the rest (typically the candidate's name); read alone, the same crop comes
    out right (its words then share the line's box).
    """
    data = pytesseract.image_to_data(img, lang=langs, config="--oem 1 --psm 3", output_type=pytesseract.Output.DICT)
    out: list[tuple[object, list[Word]]] = []
    for ids in _words_by_line(data):
        words: list[Word] = [(str(data["text"][i]), _box(data, [i])) for i in ids]
        conf = _mean_conf(data, ids)
        if conf < _REREAD_BELOW_CONF and len(ids) <= _REREAD_MAX_WORDS:
            better = _reread_line(img, data, ids, langs)
            if better is not None and better[1] > conf + _REREAD_MIN_GAIN:
                words = [(better[0], _box(data, ids))]
        out.append(((data["block_num"][ids[0]], data["par_num"][ids[0]]), words))
    return out


def assemble_lines(lines: list[tuple[object, list[Word]]], *, join_cjk: bool = False) -> OcrText:
    """Text of OCR'd lines, a blank line between paragraphs, and each word's box: the one place that
    turns an engine's word boxes into text and evidence pieces (any OCR engine can feed it).

    ``lines`` are (paragraph key, words) in reading order. Words are joined by a space, except
    between two CJK characters when ``join_cjk`` (Chinese text has no spaces; Tesseract adds them).
    """
    parts: list[str] = []
    pieces: list[Piece] = []
    length = 0
    previous: object = None
    for index, (paragraph, words) in enumerate(lines):
        if index:
            gap = "\n\n" if paragraph != previous else "\n"
            parts.append(gap)
            length += len(gap)
        previous = paragraph
        for position, (word, box) in enumerate(words):
            if join_cjk:
                word = _CJK_GAP.sub("", word)  # a re-read line comes as one "word" with spaces
            if position and not (join_cjk and _CJK_JOIN.match(parts[-1][-1:] + word[:1])):
                parts.append(" ")
                length += 1
            pieces.append((length, length + len(word), *box))
            parts.append(word)
            length += len(word)
    return OcrText("".join(parts), pieces)


class _Frame:
    """The chain of resizes and rotations from the image given to OCR to the one read, to map
    boxes back (the evidence box must fit the image the reviewer sees)."""

    def __init__(self, size: tuple[int, int]) -> None:
        self.source = self.size = size
        self.steps: list[tuple[float, tuple[int, int], tuple[int, int], float]] = []  # (scale, in, out, degrees)

    def resized(self, img: Image.Image) -> Image.Image:
        if img.size != self.size:
            self.steps.append((img.width / self.size[0], self.size, img.size, 0.0))
            self.size = img.size
        return img

    def rotated(self, img: Image.Image, degrees: float) -> Image.Image:
        # PIL's rotate(degrees, expand=True) turns counter-clockwise about the centre into a canvas
        # that holds the whole turned image.
        self.steps.append((1.0, self.size, img.size, degrees))
        self.size = img.size
        return img

    def to_source(self, box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
        points = [(box[0], box[1]), (box[2], box[1]), (box[0], box[3]), (box[2], box[3])]
        for scale, size_in, size_out, degrees in reversed(self.steps):
            if degrees:
                theta = math.radians(degrees)
                cos, sin = math.cos(theta), math.sin(theta)
                cx_out, cy_out = size_out[0] / 2, size_out[1] / 2
                cx_in, cy_in = size_in[0] / 2, size_in[1] / 2
                points = [(cx_in + (x - cx_out) * cos - (y - cy_out) * sin,
                           cy_in + (x - cx_out) * sin + (y - cy_out) * cos) for x, y in points]
            else:
                points = [(x / scale, y / scale) for x, y in points]
        xs, ys = [x for x, _ in points], [y for _, y in points]
        width, height = self.source
        return (round(max(0.0, min(xs)), 1), round(max(0.0, min(ys)), 1),
                round(min(float(width), max(xs)), 1), round(min(float(height), max(ys)), 1))


def ocr_image(img: Image.Image, languages: str) -> OcrText:
    """Read a page image: grayscale, fix orientation and skew, then OCR. Boxes are in pixels of
    ``img`` as displayed (EXIF orientation applied)."""
    gray = ImageOps.exif_transpose(img).convert("L")
    frame = _Frame(gray.size)
    gray = frame.resized(_normalise_size(gray))
    rotation = _rotation(gray)
    if rotation:
        # OSD reports the clockwise rotation that makes the page upright.
        gray = frame.rotated(gray.rotate(-rotation, expand=True, fillcolor=255), -rotation)
    skew = _skew_angle(gray)
    if abs(skew) >= 0.2:
        gray = frame.rotated(gray.rotate(skew, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255), skew)
    script = _script(gray, languages)
    if engine_for_script(script) == RAPIDOCR:
        # PP-OCR puts no spaces between Han characters: nothing to join.
        read = assemble_lines(_rapid_lines(gray))
    else:
        read = assemble_lines(_read(gray, languages_for_script(script, languages)), join_cjk=script == HAN)
    read.pieces = [(start, end, *frame.to_source((x0, y0, x1, y1))) for start, end, x0, y0, x1, y1 in read.pieces]
    return read


def engine_for_script(script: str | None) -> str:
    """RapidOCR for Han pages, Tesseract otherwise, unless ``CV_OCR_ENGINE`` names one engine."""
    choice = os.environ.get("CV_OCR_ENGINE", "auto")
    if choice not in OCR_ENGINES:
        raise ValueError(f"CV_OCR_ENGINE={choice!r}: expected one of {', '.join(OCR_ENGINES)}")
    if choice != "auto":
        return choice
    return RAPIDOCR if script == HAN else TESSERACT


def _rapid_lines(img: Image.Image) -> list[tuple[object, list[Word]]]:
    """RapidOCR's lines as one paragraph of word boxes; boxes sharing a row are separated by a "|"
    (boxed over the gap between them), as ``layout.order_lines`` writes them."""
    out: list[tuple[object, list[Word]]] = []
    for _, boxes in ocr_rapid.read_lines(img):
        words: list[Word] = []
        for word in boxes:
            if words:
                left, right = words[-1][1], word[1]
                words.append(("|", (left[2], min(left[1], right[1]), max(left[2], right[0]), max(left[3], right[3]))))
            words.append(word)
        out.append((0, words))
    return out
