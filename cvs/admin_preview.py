"""Where an evidence box lands on the admin's page preview.

Evidence boxes are in the page's own units (PDF points, image pixels). The preview PNG shows the page
as a reader sees it: PDF ``/Rotate`` applied, image EXIF orientation applied (MuPDF does both).
Extraction reports boxes as it reads each page (``cvs.extraction.text``):

- a PDF page, from its text layer or read by OCR: in the unrotated page's coordinates (OCR boxes are
  mapped back from the rendering, which shows the page as displayed);
- an image: OCR after ``ImageOps.exif_transpose``, so in pixels of the image as displayed.

So each previewed page carries its size in those units and an orientation (EXIF codes; PDF rotation
maps to 6, 3, 8), and a box becomes fractions of the displayed preview: the page template places
the highlight with percentages, whatever size the browser draws the image at.
"""

from __future__ import annotations

import io
import math
import warnings
from dataclasses import dataclass
from typing import Any

import pymupdf as fitz
from django.core.files.storage import default_storage
from PIL import Image

from cvs.extraction.text import MAX_IMAGE_PIXELS
from cvs.models import CVJob

PREVIEW_ZOOM = 1.4
# The rendered PNG's size: an A4 page at PREVIEW_ZOOM is about 1 MP, so only oversized pages are scaled down.
PREVIEW_MAX_PIXELS = 4_000_000
# Pages previewed on a job's page (lazily loaded below the first): most CVs have one to three, and a
# field found on a later page must still show its box.
PREVIEW_PAGES = 6
# EXIF orientation (TIFF tag 274) of a stored image: 5 to 8 (turned a quarter) swap its width and height when displayed.
EXIF_ORIENTATION = 0x0112
ROTATE_TO_ORIENTATION = {0: 1, 90: 6, 180: 3, 270: 8}


@dataclass(frozen=True)
class PreviewPage:
    number: int
    width: float  # in the units and orientation of its evidence boxes (see the module's docstring)
    height: float
    orientation: int = 1  # 1 as is; displayed turned 90° clockwise (6), 180° (3) or 270° (8), EXIF's codes

    @property
    def display_size(self) -> tuple[int, int]:
        """The preview's size for the ``<img>`` width and height attributes, so the page keeps its place while loading.

        PDFs: the PNG's size in pixels. Images: their pixels (MuPDF renders at the file's DPI), so the
        aspect ratio is right, and the panel's ``max-width`` scales it anyway."""
        width, height = (self.height, self.width) if self.orientation in (6, 8) else (self.width, self.height)
        zoom = preview_zoom(width, height)
        return max(1, round(width * zoom)), max(1, round(height * zoom))


def preview_zoom(width: float, height: float) -> float:
    # A page's declared size (a poster, a bogus MediaBox) must not decide the bitmap's size.
    return min(PREVIEW_ZOOM, math.sqrt(PREVIEW_MAX_PIXELS / max(width * height, 1.0)))


def display_box(bbox: Any, page: PreviewPage) -> list[float] | None:
    """``[left, top, right, bottom]`` as fractions (0-1) of the displayed preview, or ``None`` for no usable box."""
    if not (isinstance(bbox, (list, tuple)) and len(bbox) == 4 and all(isinstance(v, (int, float)) for v in bbox)):
        return None
    if page.width <= 0 or page.height <= 0:
        return None
    u0, v0, u1, v1 = bbox[0] / page.width, bbox[1] / page.height, bbox[2] / page.width, bbox[3] / page.height
    corners = [_orient(u, v, page.orientation) for u, v in ((u0, v0), (u1, v1))]
    xs, ys = sorted(x for x, _ in corners), sorted(y for _, y in corners)
    box = [min(max(value, 0.0), 1.0) for value in (xs[0], ys[0], xs[1], ys[1])]
    if box[2] <= box[0] or box[3] <= box[1]:
        return None  # empty, or wholly off the page
    return [round(value, 5) for value in box]


def _orient(u: float, v: float, orientation: int) -> tuple[float, float]:
    """A point of the stored page (fractions) on the page as displayed."""
    return {3: (1 - u, 1 - v), 6: (1 - v, u), 8: (v, 1 - u)}.get(orientation, (u, v))


def preview_pages(job: CVJob) -> list[PreviewPage]:
    """The pages a job's page previews, with their sizes; empty when the file is not kept or not a PDF or image.

    A file whose pages cannot be measured still gets its previews (sizes 0): the boxes are then not drawn.
    """
    is_pdf = job.file_mime == "application/pdf"
    if not job.file_path or not (is_pdf or job.file_mime.startswith("image/")):
        return []
    count = min(job.file_pages or 1, PREVIEW_PAGES)
    try:
        with default_storage.open(job.file_path, "rb") as handle:
            raw = handle.read()
        measured = _pdf_pages(raw, count) if is_pdf else _image_pages(raw, count)
    except Exception:  # noqa: BLE001 - a damaged or vanished file: previews without boxes, never a broken page
        measured = []
    return measured or [PreviewPage(number, 0, 0) for number in range(1, count + 1)]


def _pdf_pages(raw: bytes, count: int) -> list[PreviewPage]:
    with fitz.open(stream=raw, filetype="pdf") as document:
        pages = []
        for index in range(min(count, document.page_count)):
            page = document[index]
            rotation = page.rotation % 360
            if rotation:
                # Boxes are in the unrotated page, the text layer's space (page.rect is the rotated one).
                unrotated = page.rect * page.derotation_matrix
                pages.append(PreviewPage(index + 1, abs(unrotated.width), abs(unrotated.height), ROTATE_TO_ORIENTATION[rotation]))
            else:
                pages.append(PreviewPage(index + 1, page.rect.width, page.rect.height))
        return pages


def _image_pages(raw: bytes, count: int) -> list[PreviewPage]:
    # Read from the header only; the preview itself refuses images above MAX_IMAGE_PIXELS.
    pages = []
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with Image.open(io.BytesIO(raw)) as image:
            turned = int(image.getexif().get(EXIF_ORIENTATION, 1) or 1) in (5, 6, 7, 8)
            for index in range(min(count, getattr(image, "n_frames", 1))):
                image.seek(index)
                width, height = image.size
                if width * height > MAX_IMAGE_PIXELS:
                    break
                pages.append(PreviewPage(index + 1, *((height, width) if turned else (width, height))))
    return pages
