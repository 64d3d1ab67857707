"""The rendered PDF and DOCX carry every field of the CV, in every script, with glyphs for every character."""

from __future__ import annotations

import copy

import pymupdf
import pytest
from reportlab.pdfbase import pdfmetrics

from cvs.documents.content import build_content
from cvs.documents.fonts import CJK_FONT
from cvs.documents.render_docx import render_docx
from cvs.documents.render_pdf import Branding, render_pdf
from tests.documents.corpus import corpus_cv
from tests.documents.helpers import data_strings, docx_text, pdf_glyph_problems, pdf_pages, pdf_text, squash

BRANDING = Branding(firm_name="Talentia Partners", contact_line="8 Quai des Chartrons, Bordeaux · +33 5 56 00 00 00 · talentia.example")
CORPUS_FILES = ["cv01_000_en_pdf1.pdf", "cv01_001_es_pdf1.pdf", "cv01_002_fr_pdf1.pdf", "cv01_003_zh_pdf1.pdf", "cv01_007_zh_pdf2.pdf"]


def enriched(file_name: str) -> dict:
    data = corpus_cv(file_name)
    chinese = data["language"] == "zh"
    data["summary"] = "负责产品规划与数据分析，推动团队交付。" if chinese else "Builds dependable products with small teams."
    data["experience"][0]["tasks"] = ["主导数据平台迁移", "Reduced costs by 30%"]
    data["projects"] = [{"name": "Atlas 数据平台", "role": "Lead", "description": "Internal analytics platform.", "period": "2024"}]
    return data


@pytest.mark.parametrize("file_name", CORPUS_FILES)
def test_pdf_has_every_field_with_real_glyphs(file_name):
    data = enriched(file_name)
    content = build_content(data)
    pdf = render_pdf(content, BRANDING)
    text = squash(pdf_text(pdf))
    missing = [value for value in data_strings(data) + content.all_text() if squash(value) not in text]
    assert not missing
    assert squash(BRANDING.firm_name) in text and squash(BRANDING.contact_line) in text
    assert not pdf_glyph_problems(pdf)
    assert "\ufffd" not in text


def test_chinese_round_trips_exactly():
    data = corpus_cv("cv01_003_zh_pdf1.pdf")
    pages = pdf_pages(render_pdf(build_content(data), BRANDING))
    first = pages[0]
    # Section titles and the name come back as the same code points, not look-alikes or CID garbage.
    expected_strings = ["王凯", "工作经历", "教育背景", "专业技能", "数字100网络有限公司", "电子信息工程",
                        "6.6年工作经验", "第 1 页，共 1 页"]
    for expected in expected_strings:
        assert expected in first
    with pymupdf.open(stream=render_pdf(build_content(data), BRANDING), filetype="pdf") as doc:
        fonts = {font[3]: font[1] for font in doc[0].get_fonts(full=True)}  # basefont → embedded file type
    cjk_face = pdfmetrics.getFont(CJK_FONT).face.name.decode()
    cjk = [name for name in fonts if cjk_face in name]
    assert cjk and all(fonts[name] == "ttf" for name in cjk)


@pytest.mark.parametrize("file_name", CORPUS_FILES)
def test_docx_has_the_same_text(file_name):
    data = enriched(file_name)
    content = build_content(data)
    text = squash(docx_text(render_docx(content, BRANDING)))
    missing = [value for value in data_strings(data) + content.all_text() if squash(value) not in text]
    assert not missing
    assert squash(BRANDING.firm_name) in text


def test_sections_follow_the_template_order_and_titles():
    data = enriched("cv01_002_fr_pdf1.pdf")
    content = build_content(data, sections=["skills", "experience"], section_titles={"skills": {"fr": "Stack technique"}})
    text = pdf_text(render_pdf(content, BRANDING))
    assert "Stack technique" in text and "Expérience professionnelle" in text
    assert text.index("Stack technique") < text.index("Expérience professionnelle")
    assert "Formation" not in text and data["education"][0]["institution"] not in text


def test_language_can_be_forced():
    content = build_content(corpus_cv("cv01_003_zh_pdf1.pdf"), language="es")
    text = pdf_text(render_pdf(content, BRANDING))
    assert "Experiencia profesional" in text and "工作经历" not in text
    assert "王凯" in text


def test_skills_are_grouped_when_categories_exist():
    data = corpus_cv("cv01_000_en_pdf1.pdf")
    data["skill_groups"] = {"Cloud": ["Azure", "AWS", "Kubernetes"], "Data": ["Elasticsearch", "GraphQL"]}
    content = build_content(data)
    skills = next(section for section in content.sections if section.key == "skills")
    assert [category for category, _ in skills.groups] == ["Cloud", "Data", "Other"]
    assert "Salesforce" in dict(skills.groups)["Other"]
    lines = [line.strip() for line in pdf_text(render_pdf(content, BRANDING)).splitlines()]
    assert "Cloud" in lines and "Azure · AWS · Kubernetes" in lines


def test_long_cv_paginates_with_numbers_and_no_stranded_headings():
    data = enriched("cv01_000_en_pdf1.pdf")
    job = copy.deepcopy(data["experience"][0])
    job["tasks"] = [f"Delivered improvement number {n} to the platform, with measurable results for customers" for n in range(6)]
    data["experience"] = [dict(job, company=f"Company {n}") for n in range(12)]
    content = build_content(data)
    pdf = render_pdf(content, BRANDING)
    pages = pdf_pages(pdf)
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
    assert all(f"Company{n}" in squash("".join(pages)) for n in range(12))
    titles = {section.title for section in content.sections}
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        for page in doc:
            footer_top = page.rect.height - 16 * 72 / 25.4
            body = sorted((b for b in page.get_text("blocks") if b[3] < footer_top), key=lambda b: b[3])
            # The lowest block of the body is never a section heading stranded without its content.
            assert body[-1][4].strip() not in titles
