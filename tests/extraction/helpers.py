"""Builders for test documents (PDF, DOCX, images) written to a temp dir."""

from __future__ import annotations

from pathlib import Path

import pymupdf
from PIL import Image, ImageDraw, ImageFont

FONT_PATHS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
)
HAN_FONT_PATHS = (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
)


def font(size: int, paths: tuple[str, ...] = FONT_PATHS) -> ImageFont.FreeTypeFont | ImageFont.ImageFont | None:
    for path in paths:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size=size) if paths is FONT_PATHS else None


def text_image(
    lines: list[str], size: tuple[int, int] = (1400, 1000), font_size: int = 36, paths: tuple[str, ...] = FONT_PATHS
) -> Image.Image:
    img = Image.new("L", size, 255)
    draw = ImageDraw.Draw(img)
    face = font(font_size, paths)
    y = 60
    for line in lines:
        draw.text((60, y), line, fill=0, font=face)
        y += int(font_size * 1.6)
    return img


def two_column_pdf(path: Path, left: list[str], right: list[str], banner: str | None = None) -> Path:
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    y0 = 50
    if banner:
        page.insert_text((40, y0), banner, fontsize=18)
        y0 += 40
    for i, line in enumerate(left):
        page.insert_text((40, y0 + i * 16), line, fontsize=10)
    for i, line in enumerate(right):
        page.insert_text((230, y0 + i * 16), line, fontsize=10)
    doc.save(path)
    doc.close()
    return path
