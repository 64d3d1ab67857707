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

from functools import cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from .layout import Line, order_lines

# As ocr.py's words: (text, (x0, y0, x1, y1)) in pixels of the image read.
Word = tuple[str, tuple[float, float, float, float]]

_DET_MODEL = "PP-OCRv6_det_small.onnx"
_REC_MODEL = "PP-OCRv6_rec_small.onnx"
# Detection runs on a copy whose long side is at most this: text lines of a CV page stay well
# above the detector's smallest size, at a third of the full-size cost (recognition reads crops
# of the full-size page).
_DET_LONG_SIDE = 960
# layout.order_lines' thresholds are in PDF points; an A4 page is this wide.
_A4_WIDTH_PT = 595.0


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


def read_lines(img: Image.Image) -> list[tuple[str, list[Word]]]:
    """Page lines in reading order, each with the detected text boxes it was made of.

    PP-OCR detects text lines, not words, and lists them top to bottom across the whole page, which
    interleaves a sidebar with the main column. The boxes are put in reading order by the same
    column and row logic as PDF text lines (``layout.order_lines``, in points of an A4-wide page):
    boxes on one row (a title and its right-aligned dates) make one line joined by " | ".
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
    scale = _A4_WIDTH_PT / img.width
    ordered, _ = order_lines([Line(x0 * scale, y0 * scale, x1 * scale, y1 * scale, text) for text, (x0, y0, x1, y1) in found])
    pool: dict[str, list[Word]] = {}
    for word in found:
        pool.setdefault(word[0], []).append(word)
    out: list[tuple[str, list[Word]]] = []
    for line in ordered:
        parts = [line] if pool.get(line) else line.split(" | ")
        out.append((line, [pool[part].pop(0) for part in parts if pool.get(part)]))
    return out
