from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models

from tenants.models import TenantOwned

SECTION_KEYS = ("summary", "experience", "education", "certifications", "skills", "languages", "projects")
DOCUMENT_LANGUAGES = ("en", "es", "fr", "zh")
hex_colour = RegexValidator(r"^#[0-9A-Fa-f]{6}$", "Use a colour like #1F3A5F.")


def default_sections() -> list[str]:
    return list(SECTION_KEYS)


def template_logo_path(instance: DocumentTemplate, filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "png"
    return f"tenants/{instance.tenant_id}/document-templates/{instance.id}/logo-{uuid.uuid4().hex[:8]}.{extension}"


class DocumentTemplate(TenantOwned):
    """A firm's layout for the CVs it re-sends to its clients.

    ``section_titles`` overrides the built-in titles per section and language, e.g.
    ``{"experience": {"en": "Track record", "fr": "Parcours"}}``.
    """

    class Font(models.TextChoices):
        SANS = "sans", "Sans-serif (Liberation Sans)"
        SERIF = "serif", "Serif (Liberation Serif)"
        CJK = "cjk", "CJK throughout (WenQuanYi Micro Hei)"

    class Language(models.TextChoices):
        AUTO = "auto", "The CV's language"
        EN = "en", "English"
        ES = "es", "Español"
        FR = "fr", "Français"
        ZH = "zh", "中文"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=100)
    is_default = models.BooleanField(default=False, help_text="Used when a request names no template.")
    firm_name = models.CharField(max_length=200, blank=True)
    contact_line = models.CharField(max_length=300, blank=True, help_text="Printed in the header, e.g. address · phone · website.")
    logo = models.ImageField(
        upload_to=template_logo_path, max_length=300, blank=True, help_text="Logo, or a wide banner image (3:1 or wider)."
    )
    primary_colour = models.CharField(max_length=7, default="#1F3A5F", validators=[hex_colour], help_text="Banner and headings.")
    accent_colour = models.CharField(max_length=7, default="#C8A24A", validators=[hex_colour], help_text="Rules and bullets.")
    font = models.CharField(max_length=10, choices=Font.choices, default=Font.SANS)
    language = models.CharField(max_length=4, choices=Language.choices, default=Language.AUTO)
    sections = models.JSONField(
        default=default_sections, blank=True, help_text=f"Shown sections, in order. Keys: {', '.join(SECTION_KEYS)}."
    )
    section_titles = models.JSONField(default=dict, blank=True)
    hide_personal_hints = models.BooleanField(
        default=True, help_text="In the anonymised variant, also strip birth dates, age, gender, titles and nationality."
    )
    blind_shows_location = models.BooleanField(default=False, help_text="Keep the city in the anonymised variant.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["tenant"], condition=models.Q(is_default=True), name="uniq_default_document_template"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        unknown = [key for key in self.sections or [] if key not in SECTION_KEYS]
        if unknown:
            raise ValidationError({"sections": f"Unknown sections: {', '.join(unknown)}."})
        for key, titles in (self.section_titles or {}).items():
            if key not in SECTION_KEYS or not isinstance(titles, dict) or not set(titles) <= set(DOCUMENT_LANGUAGES):
                raise ValidationError({"section_titles": f"Use {{section: {{language: title}}}} with languages {DOCUMENT_LANGUAGES}."})


class GeneratedDocument(TenantOwned):
    """One rendered file, stored under its own path (tenant/candidate/document id)."""

    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        DOCX = "docx", "DOCX"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    candidate = models.ForeignKey("cvs.Candidate", on_delete=models.CASCADE, related_name="documents")
    template = models.ForeignKey(DocumentTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="documents")
    job = models.ForeignKey("cvs.CVJob", null=True, blank=True, on_delete=models.SET_NULL, related_name="documents")
    format = models.CharField(max_length=4, choices=Format.choices)
    anonymised = models.BooleanField(default=False)
    language = models.CharField(max_length=4)
    file_path = models.CharField(max_length=500)
    file_size = models.PositiveIntegerField(default=0)
    render_ms = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["tenant", "candidate", "-created_at"], name="gendoc_candidate_listing")]

    def __str__(self) -> str:
        return f"{self.candidate_id} {self.format}{' (blind)' if self.anonymised else ''}"

    @property
    def mime_type(self) -> str:
        if self.format == self.Format.PDF:
            return "application/pdf"
        return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

    @property
    def download_name(self) -> str:
        return f"cv-{'blind-' if self.anonymised else ''}{str(self.candidate_id)[:8]}.{self.format}"
