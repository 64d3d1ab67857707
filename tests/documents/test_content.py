"""Blind scrubbing, localised labels and template validation, without rendering."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from cvs.documents.content import REDACTED, Scrubber, build_content
from cvs.documents.models import DocumentTemplate
from tests.documents.corpus import corpus_cv

CONTACT = {
    "name": "Brent Nelson", "email": "brent.nelson@gmail.com", "phone": "+1 (462) 320-9117", "linkedin": "linkedin.com/in/brent-nelson",
}


@pytest.mark.parametrize("text,gone,kept", [
    ("I am Brent Nelson, reach me at brent.nelson@gmail.com or 462.320.9117.", ["Brent", "Nelson", "gmail", "9117"], ["reach me"]),
    ("Mr. Nelson led the team. Call +14623209117.", ["Mr.", "Nelson", "4623209117"], ["led the team"]),
    ("Date of birth: 12/03/1990\nBuilt APIs", ["1990", "birth"], ["Built APIs"]),
    ("Nationalité : française\nDéveloppeur backend", ["française"], ["Développeur backend"]),
    ("Fecha de nacimiento: 1990\nEstado civil: casado\nIngeniero", ["1990", "casado"], ["Ingeniero"]),
    ("性别：男\n国籍：中国\n负责后端开发", ["男", "中国"], ["负责后端开发"]),
    ("Reduced p99 latency from 200 ms to 80 ms in 2023", [], ["200 ms to 80 ms in 2023"]),
    ("See github.com/brentn and other@mail.org", ["brentn", "other@mail.org"], ["See"]),
])
def test_scrubber(text, gone, kept):
    scrubbed = Scrubber(CONTACT, hints=True)(text)
    assert not [word for word in gone if word in scrubbed], scrubbed
    assert all(word in scrubbed for word in kept), scrubbed


def test_hints_are_kept_when_the_template_says_so():
    scrubbed = Scrubber(CONTACT, hints=False)("Brent Nelson\nNationality: Canadian")
    assert "Canadian" in scrubbed and REDACTED in scrubbed and "Brent" not in scrubbed


def test_blind_header_and_contact():
    content = build_content(corpus_cv("cv01_000_en_pdf1.pdf"), anonymised=True, reference="ab12cd34")
    assert content.name == "Anonymised profile — ref. AB12CD34" and content.contact == []
    located = build_content(corpus_cv("cv01_000_en_pdf1.pdf"), anonymised=True, blind_shows_location=True)
    assert located.contact == ["New Daniel"]


@pytest.mark.parametrize("language,years,present", [
    ("en", "7.5 years of experience", "Present"), ("fr", "7,5 ans d'expérience", "Aujourd'hui"),
    ("es", "7,5 años de experiencia", "Actualidad"), ("zh", "7.5年工作经验", "至今"),
])
def test_labels_are_localised(language, years, present):
    data = corpus_cv("cv01_000_en_pdf1.pdf")
    data["experience"][0].update(end_date=None, is_current=True)
    content = build_content(data, language=language)
    assert years in content.title_line
    assert content.sections[0].entries[0].period == f"2024-10 – {present}"


def test_template_validation(tenant):
    with pytest.raises(ValidationError, match="Unknown sections"):
        DocumentTemplate(tenant=tenant, name="x", sections=["experience", "hobbies"]).clean()
    with pytest.raises(ValidationError):
        DocumentTemplate(tenant=tenant, name="x", section_titles={"skills": {"de": "Kenntnisse"}}).clean()
    DocumentTemplate(tenant=tenant, name="x", section_titles={"skills": {"fr": "Compétences clés"}}).clean()
