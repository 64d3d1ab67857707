"""Chinese page OCR with RapidOCR: PP-OCR detection + recognition models run by onnxruntime.

Tesseract's ``chi_sim`` misreads names set in a large or decorative font (a three-character name
read as "RAR", one character wrong); PP-OCR reads them right (figures in docs/extraction.md).
``ocr.py`` sends pages whose script is Han here and keeps Tesseract for Latin pages.

The models are the ones inside the ``rapidocr`` wheel (``rapidocr/models``), loaded by explicit
path: nothing is fetched at run time, and a missing file is an error rather than a download.
One engine per process, loaded on first use (~0.3 s), single-threaded like Tesseract: parallelism
comes from running several workers on the shared cores.
"""

from __future__ import annotations

import statistics
from functools import cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

# As ocr.py's words: (text, (x0, y0, x1, y1)) in pixels of the image read.
Word = tuple[str, tuple[float, float, float, float]]

_DET_MODEL = "PP-OCRv6_det_small.onnx"
_REC_MODEL = "PP-OCRv6_rec_small.onnx"
# Detection runs on a copy whose long side is at most this: text lines of a CV page stay well
# above the detector's smallest size, at a third of the full-size cost (recognition reads crops
# of the full-size page).
_DET_LONG_SIDE = 960
# A gap between rows larger than this share of the median row height starts a new paragraph.
_PARAGRAPH_GAP = 0.9


def models_dir() -> Path:
    spec = find_spec("rapidocr")
    if spec is None or spec.origin is None:
        raise RuntimeError("the rapidocr package is not installed (see requirements.txt)")
    return Path(spec.origin).parent / "models"


@cache
def _engine() -> Any:
    from rapidocr import RapidOCR  # imported here: onnxruntime and OpenCV load in ~1 s, only for OCR

    models = models_dir()
    for name in (_DET_MODEL, _REC_MODEL):
        if not (models / name).is_file():
            raise RuntimeError(f"{models / name} is missing: the rapidocr wheel should ship it")
    return RapidOCR(params={
        "Global.log_level": "warning",
        # Orientation is fixed before (Tesseract OSD + deskew in ocr.py); no per-line classifier.
        "Global.use_cls": False,
        "EngineConfig.onnxruntime.intra_op_num_threads": 1,
        "EngineConfig.onnxruntime.inter_op_num_threads": 1,
        "Det.model_path": str(models / _DET_MODEL),
        "Det.limit_type": "max",
        "Det.limit_side_len": _DET_LONG_SIDE,
        "Rec.model_path": str(models / _REC_MODEL),
    })


def read_lines(img: Image.Image) -> list[tuple[object, list[Word]]]:
    """Page lines in reading order, each (paragraph number, words with their boxes).

    PP-OCR detects text lines, not words; each detected line is one "word" here. Boxes on the same
    row (a title and its right-aligned dates) make one line, left to right; rows go top to bottom
    and a wide vertical gap starts a new paragraph, as Tesseract's paragraphs do.
    """
    result = _engine()(np.asarray(img.convert("RGB")))
    if result.boxes is None or not result.txts:
        return []
    found: list[Word] = []
    for quad, text in zip(result.boxes, result.txts, strict=True):
        text = str(text).strip()
        if text:
            xs, ys = [float(p[0]) for p in quad], [float(p[1]) for p in quad]
            found.append((text, (min(xs), min(ys), max(xs), max(ys))))
    return _rows(found)


def _rows(found: list[Word]) -> list[tuple[object, list[Word]]]:
    rows: list[list[Word]] = []
    # A box joins the row whose first box's band holds its vertical middle.
    for word in sorted(found, key=lambda w: (w[1][1] + w[1][3]) / 2):
        middle = (word[1][1] + word[1][3]) / 2
        if rows and rows[-1][0][1][1] <= middle <= rows[-1][0][1][3]:
            rows[-1].append(word)
        else:
            rows.append([word])
    if not rows:
        return []
    heights = [max(w[1][3] for w in row) - min(w[1][1] for w in row) for row in rows]
    typical = statistics.median(heights)
    out: list[tuple[object, list[Word]]] = []
    paragraph = 0
    previous_bottom: float | None = None
    for row in rows:
        top, bottom = min(w[1][1] for w in row), max(w[1][3] for w in row)
        if previous_bottom is not None and top - previous_bottom > _PARAGRAPH_GAP * typical:
            paragraph += 1
        previous_bottom = bottom
        out.append((paragraph, sorted(row, key=lambda w: w[1][0])))
    return out
