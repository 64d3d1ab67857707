"""OCR engine per script: Chinese pages read by RapidOCR (PP-OCR models from the wheel), Latin by Tesseract."""

from __future__ import annotations

import socket
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter

from cvs.extraction import ocr_rapid, sniff
from cvs.extraction.ocr import HAN, LATIN, RAPIDOCR, TESSERACT, engine_for_script
from cvs.extraction.providers import extract_structured
from cvs.extraction.text import extract_text

from .helpers import HAN_FONT_PATHS, font

NAME = "欧阳雪梅"


def _zh_cv_page(name_origin: tuple[int, int] = (120, 110)) -> Image.Image:
    """A Chinese CV page as a phone photo: the name much larger than the body, a slight skew, noise."""
    big, body = font(96, HAN_FONT_PATHS), font(34, HAN_FONT_PATHS)
    if big is None or body is None:
        pytest.skip("no CJK font installed")
    page = Image.new("L", (1654, 2339), 255)
    draw = ImageDraw.Draw(page)
    draw.text(name_origin, NAME, fill=0, font=big)
    lines = ["产品经理", "ouyang.xm@example.com | 138 1234 5678", "", "工作经历", "华信科技有限公司 | 产品经理",
             "2019年3月 - 至今", "负责移动端产品规划与需求分析，推动版本按期上线。", "", "教育背景",
             "浙江大学 | 学士 市场营销", "2011 - 2015", "", "专业技能", "Axure, SQL, Excel, Scrum"]
    y = 300
    for line in lines:
        draw.text((120, y), line, fill=0, font=body)
        y += 58
    page = page.rotate(1.5, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    page = page.filter(ImageFilter.GaussianBlur(0.6))
    noisy = np.asarray(page, dtype=np.float32) + np.random.default_rng(15).normal(0, 10, (page.height, page.width))
    return Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8))


def test_engine_follows_the_page_script(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CV_OCR_ENGINE", raising=False)
    assert engine_for_script(HAN) == RAPIDOCR
    assert engine_for_script(LATIN) == TESSERACT
    assert engine_for_script(None) == TESSERACT  # no Chinese model configured: no script pass
    monkeypatch.setenv("CV_OCR_ENGINE", "tesseract")
    assert engine_for_script(HAN) == TESSERACT
    monkeypatch.setenv("CV_OCR_ENGINE", "paddle")
    with pytest.raises(ValueError, match="CV_OCR_ENGINE"):
        engine_for_script(HAN)


def test_chinese_scan_name_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CV_OCR_ENGINE", raising=False)
    path = tmp_path / "zh.jpg"
    _zh_cv_page().save(path, quality=60)
    extracted = extract_text(path, sniff.JPEG)
    assert extracted.ocr_used
    data = extract_structured(extracted.text, provider="rules", today=date(2026, 10, 15)).data
    assert data["contact_info"]["name"] == NAME
    assert data["contact_info"]["email"] == "ouyang.xm@example.com"
    assert [job["company"] for job in data["experience"]] == ["华信科技有限公司"]


def test_rapidocr_lines_carry_boxes_where_the_text_is() -> None:
    lines = ocr_rapid.read_lines(_zh_cv_page(name_origin=(400, 110)))
    words = [word for _, boxes in lines for word in boxes]
    name_box = next(box for text, box in words if text == NAME)
    # Drawn at x=400, y=110 (+ the 1.5° turn's margin, a few tens of pixels), 96 px high, 4 characters.
    assert 380 < name_box[0] < 480 and 100 < name_box[1] < 200
    assert 330 < name_box[2] - name_box[0] < 460
    tops = [min(box[1] for _, box in boxes) for _, boxes in lines]
    assert tops == sorted(tops)  # one column: rows top to bottom
    assert all(line == " | ".join(text for text, _ in boxes) for line, boxes in lines)


def test_models_come_from_the_wheel_and_nothing_is_fetched(monkeypatch: pytest.MonkeyPatch) -> None:
    models = ocr_rapid.models_dir()
    assert models.parent.name == "rapidocr" and "site-packages" in models.parts
    assert sorted(p.name for p in models.glob("*.onnx")) >= ["PP-OCRv6_det_small.onnx", "PP-OCRv6_rec_small.onnx"]

    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("OCR tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    ocr_rapid._engine.cache_clear()  # load the models again, with the network closed
    try:
        lines = ocr_rapid.read_lines(_zh_cv_page())
    finally:
        ocr_rapid._engine.cache_clear()
    assert any(line == NAME for line, _ in lines)
