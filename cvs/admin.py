"""Back office for CV jobs, candidates, batches and document templates."""

from __future__ import annotations

import io
import json
import warnings
import zipfile
from typing import Any

import pymupdf as fitz
from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db.models import Count, F, Func, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from PIL import Image

from config.errors import ApplicationError
from cvs.admin_preview import PreviewPage, display_box, preview_pages, preview_zoom
from cvs.admin_services import candidate_data_update, cv_data_errors, job_values_correct, pointer_settable
from cvs.corpus_export import reviewed_corpus_files
from cvs.documents.models import DocumentTemplate, GeneratedDocument
from cvs.erasure import candidate_erase
from cvs.extraction.evidence import key_pointers, value_at
from cvs.extraction.text import MAX_IMAGE_PIXELS
from cvs.models import EDUCATION_LEVEL_CHOICES, Batch, Candidate, CVJob, Stage
from cvs.selectors import candidate_search, job_needs_review_q
from screening.models import ScreeningResult
from tenants.admin_scoping import (
    ADMIN_ONLY,
    ADMIN_ROLES,
    STAFF_ONLY,
    ReadOnlyInline,
    TenantScopedAdmin,
    TenantScopedForm,
    message_application_error,
    role_allows,
)
from tenants.models import ExtractionProvider


def _image_preview_check(raw: bytes, page_number: int) -> None:
    """Refuse to preview an image larger than extraction accepts (MAX_IMAGE_PIXELS), judged from its
    header: PyMuPDF decodes the whole image whatever the output size (a 12000x12000 PNG took 1.4 GiB)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(raw)) as image:
                image.seek(min(page_number, getattr(image, "n_frames", 1)) - 1)
                width, height = image.size
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise Http404("The image is too large to preview.") from None
    except Exception as exc:  # noqa: BLE001 - Pillow raises many types on bad data; unread size, no render
        raise Http404("No preview for this file.") from exc
    if width * height > MAX_IMAGE_PIXELS:
        raise Http404("The image is too large to preview.")
RERUN_STAGES = [("", "whole pipeline"), *[(stage.value, f"from {stage.label}") for stage in (Stage.PARSING, Stage.ENRICHING)]]
RERUN_PROVIDERS = [("", "same provider"), *[(value, label) for value, label in ExtractionProvider.choices if value]]


def short_id(value: Any) -> str:
    return str(value)[:8]


# --- CV jobs ------------------------------------------------------------------------------------


class JobActionForm(helpers.ActionForm):
    """The changelist's action bar, with the re-run options next to the action menu."""

    from_stage = forms.ChoiceField(choices=RERUN_STAGES, required=False, label="Re-run")
    provider = forms.ChoiceField(choices=RERUN_PROVIDERS, required=False, label="with")


class JobOperationMixin:
    """Re-run, cancel and replay for one job or many; each job that can't is reported, not fatal."""

    def _rerun_options(self, request: HttpRequest) -> tuple[str | None, str | None]:
        stage = request.POST.get("from_stage") or None
        provider = request.POST.get("provider") or None
        if stage not in dict(RERUN_STAGES) and stage is not None:
            raise ApplicationError(f"Unknown stage '{stage}'.", code="invalid_stage")
        if provider not in dict(RERUN_PROVIDERS) and provider is not None:
            raise ApplicationError(f"Unknown provider '{provider}'.", code="invalid_provider")
        return stage, provider

    def _each(self, request: HttpRequest, jobs: Any, operation: Any, verb: str) -> None:
        done = 0
        for job in jobs:
            try:
                operation(job)
            except ApplicationError as exc:
                message_application_error(request, exc, job.file_name)
            else:
                done += 1
        if done:
            messages.success(request, f"{verb} {done} job(s).")

    def jobs_rerun(self, request: HttpRequest, jobs: Any) -> None:
        from cvs.pipeline.services import job_rerun

        try:
            stage, provider = self._rerun_options(request)
        except ApplicationError as exc:
            message_application_error(request, exc)
            return
        self._each(request, jobs, lambda job: job_rerun(job=job, from_stage=stage, provider=provider), "Re-queued")

    def jobs_cancel(self, request: HttpRequest, jobs: Any) -> None:
        from cvs.pipeline.services import job_cancel

        self._each(request, jobs, lambda job: job_cancel(job=job), "Cancelled")

    def jobs_replay_webhook(self, request: HttpRequest, jobs: Any) -> None:
        from webhooks.services import webhook_deliveries_replay

        latest = [job.webhook_deliveries.order_by("-created_at").first() for job in jobs]
        missing = sum(delivery is None for delivery in latest)
        outcome = webhook_deliveries_replay(deliveries=[delivery for delivery in latest if delivery is not None])
        for delivery, exc in outcome.skipped:
            message_application_error(request, exc, delivery.event_id)
        if outcome.replayed:
            messages.success(request, f"Replaying {len(outcome.replayed)} webhook(s).")
        if missing:
            messages.warning(request, f"{missing} job(s) have no webhook delivery to replay (no callback URL when they ended).")


class NeedsReviewFilter(admin.SimpleListFilter):
    title = "review"
    parameter_name = "needs_review"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("yes", "needs review"), ("no", "no review needed")]

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        if self.value() == "yes":
            return queryset.filter(job_needs_review_q())
        if self.value() == "no":
            return queryset.exclude(job_needs_review_q())
        return queryset


def review_label(job: CVJob) -> str:
    """A job's place in the review queue, for the jobs list and the candidate's jobs."""
    if job.reviewed_at is not None:
        return "reviewed"
    if job.review_confidence is not None and job.review_confidence < job.tenant.review_threshold:
        return format_html('<span class="needs-review" style="color:#ba2121;font-weight:600">⚠ needs review ({})</span>',
                           f"{job.review_confidence:.2f}")
    return "—"


def evidence_rows(job: CVJob, pages: list[PreviewPage] | None = None) -> list[dict[str, Any]]:
    """Each extracted value with its confidence and where it sits; key values first, then document order.

    ``box`` places the value's evidence box on the previewed ``pages`` (fractions of the displayed
    page, see ``cvs.admin_preview``); ``where`` says it in words, and says so when there is no box.
    """
    data = job.data or {}
    keys = key_pointers(data)
    threshold = job.tenant.review_threshold
    previewed = {page.number: page for page in pages or []}
    rows = []
    for pointer, entry in (job.evidence or {}).items():
        entry = entry if isinstance(entry, dict) else {}
        confidence = entry.get("confidence")
        location = _evidence_location(entry, previewed)
        rows.append({
            "pointer": pointer, "value": value_at(data, pointer), "match": entry.get("match", ""),
            "confidence": confidence, "key": pointer in keys, "low": confidence is not None and confidence < threshold,
            "dropped": entry.get("dropped"), "reason": entry.get("reason", ""), "editable": pointer_settable(data, pointer),
            **location,
        })
    return sorted(rows, key=lambda row: not row["key"])


def _evidence_location(entry: dict[str, Any], previewed: dict[int, PreviewPage]) -> dict[str, Any]:
    span = entry.get("span")
    span_text = " ".join(str(int(n)) for n in span) if isinstance(span, list) and len(span) == 2 else ""
    page, paragraph = entry.get("page"), entry.get("paragraph")
    box = None
    if isinstance(page, int) and page in previewed:
        box = display_box(entry.get("bbox"), previewed[page])
    if box is not None:
        where = f"p. {page}"
    elif isinstance(page, int):
        where = f"p. {page}, no box" if page in previewed else f"p. {page}, not previewed"
    elif isinstance(paragraph, int):
        where = f"¶ {paragraph + 1}"  # document-order index from 0; reviewers count from 1
    else:
        where = "text only" if span_text else "not found"
    return {"page": page if isinstance(page, int) else "", "box": " ".join(f"{v:g}" for v in box) if box else "",
            "paragraph": paragraph if isinstance(paragraph, int) else "", "span": span_text, "where": where}


@admin.register(CVJob)
class CVJobAdmin(JobOperationMixin, TenantScopedAdmin):
    change_form_template = "admin/cvs/cvjob/change_form.html"
    change_list_template = "admin/cvs/cvjob/change_list.html"
    list_display = ("request", "file_name", "status_badge", "stage_cell", "review_state", "endpoint", "source", "created_at",
                    "duration", "timings", "error_code")
    list_display_links = ("request", "file_name")
    list_filter = ("status", "stage", NeedsReviewFilter, ("endpoint", admin.RelatedOnlyFieldListFilter), "source", "provider",
                   "error_code", "created_at")
    list_select_related = ("tenant", "endpoint")
    search_fields = ("=id", "file_name", "external_id", "file_sha256")
    date_hierarchy = "created_at"
    show_full_result_count = False
    list_per_page = 50
    action_form = JobActionForm
    actions = ("rerun", "rerun_failed", "cancel", "replay_webhook", "export_truth_corpus")
    fieldsets = (
        (None, {"fields": ("id", "status_badge", "stage_cell", "endpoint", "candidate_link", "batch", "source", "external_id")}),
        ("File", {"fields": ("file_name", "file_mime", "file_size", "file_pages", "file_sha256", "ocr_used", "duplicate_of")}),
        ("Processing", {"fields": ("provider", "attempts", "created_at", "started_at", "finished_at", "duration", "timings",
                                   "error_code", "error_message", "llm_usage", "options", "metadata")}),
    )
    view_roles = ADMIN_ROLES
    add_roles = change_roles = delete_roles = STAFF_ONLY

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [name for _, block in self.fieldsets for name in block["fields"]]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False  # CVs come in through the API; the back office reviews and operates on them

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a job is a record: operations go through the actions, never through field edits

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # removal is the candidate's GDPR erasure

    def has_operate_permission(self, request: HttpRequest) -> bool:
        return role_allows(request, ADMIN_ROLES)

    # --- columns ----------------------------------------------------------------------------
    @admin.display(description="request", ordering="id")
    def request(self, obj: CVJob) -> str:
        return short_id(obj.pk)

    @admin.display(description="status", ordering="status")
    def status_badge(self, obj: CVJob) -> str:
        return format_html('<span class="job-status status-{}" data-job="{}" data-field="status">{}</span>', obj.status, obj.pk, obj.status)

    @admin.display(description="stage", ordering="stage")
    def stage_cell(self, obj: CVJob) -> str:
        return format_html('<span data-job="{}" data-field="stage">{}</span>', obj.pk, obj.stage)

    @admin.display(description="review", ordering="review_confidence")
    def review_state(self, obj: CVJob) -> str:
        return review_label(obj)

    @admin.display(description="total", ordering="processing_ms")
    def duration(self, obj: CVJob) -> str:
        return f"{obj.processing_ms / 1000:.1f} s" if obj.processing_ms is not None else "—"

    @admin.display(description="stage timings")
    def timings(self, obj: CVJob) -> str:
        parts = [(stage.replace("extracting_text", "text"), f"{ms / 1000:.1f}s") for stage, ms in (obj.stage_timings or {}).items()
                 if isinstance(ms, (int, float))]
        return format_html_join(" · ", "{} {}", parts) or "—"

    @admin.display(description="candidate")
    def candidate_link(self, obj: CVJob) -> str:
        if obj.candidate_id is None:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("admin:cvs_candidate_change", args=[obj.candidate_id]), obj.candidate)

    # --- actions ----------------------------------------------------------------------------
    @admin.action(description="Re-run selected jobs (stage / provider as chosen)", permissions=["operate"])
    def rerun(self, request: HttpRequest, queryset: Any) -> None:
        self.jobs_rerun(request, queryset)

    @admin.action(description="Re-run the failed jobs among the selection", permissions=["operate"])
    def rerun_failed(self, request: HttpRequest, queryset: Any) -> None:
        self.jobs_rerun(request, queryset.filter(status=CVJob.Status.FAILED))

    @admin.action(description="Cancel selected jobs", permissions=["operate"])
    def cancel(self, request: HttpRequest, queryset: Any) -> None:
        self.jobs_cancel(request, queryset)

    @admin.action(description="Replay the latest webhook of selected jobs", permissions=["operate"])
    def replay_webhook(self, request: HttpRequest, queryset: Any) -> None:
        self.jobs_replay_webhook(request, queryset)

    @admin.action(description="Export the reviewed jobs among the selection as a truth corpus (ZIP)", permissions=["operate"])
    def export_truth_corpus(self, request: HttpRequest, queryset: Any) -> HttpResponse | None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, content in reviewed_corpus_files(jobs=queryset):
                archive.writestr(name, content)
            count = len(archive.namelist()) // 2
        if not count:
            messages.warning(request, "None of the selected jobs is reviewed (with its file still kept): nothing to export.")
            return None
        response = HttpResponse(buffer.getvalue(), content_type="application/zip")
        response["Content-Disposition"] = 'attachment; filename="reviewed-cvs.zip"'
        return response

    # --- detail page: file, preview, text, JSON and deliveries side by side -------------------------
    def get_urls(self) -> list:
        wrap = self.admin_site.admin_view
        return [
            path("<path:object_id>/preview.png", wrap(self.preview_view), name="cvs_cvjob_preview"),
            path("<path:object_id>/original/", wrap(self.original_view), name="cvs_cvjob_original"),
            path("<path:object_id>/operate/", wrap(self.operate_view), name="cvs_cvjob_operate"),
            path("<path:object_id>/correct/", wrap(self.correct_view), name="cvs_cvjob_correct"),
            path("<path:object_id>/status.json", wrap(self.status_view), name="cvs_cvjob_status"),
            path("dashboard/", wrap(self.dashboard_view), name="dashboard"),
            *super().get_urls(),
        ]

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None) -> HttpResponse:
        job = self.get_object(request, unquote(object_id))
        if job is not None:
            extra_context = {**(extra_context or {}), **self._detail_context(request, job)}
        return super().change_view(request, object_id, form_url, extra_context)

    def _detail_context(self, request: HttpRequest, job: CVJob) -> dict[str, Any]:
        deliveries = list(job.webhook_deliveries.select_related("endpoint").prefetch_related("attempt_log").order_by("-created_at"))
        pages = preview_pages(job)
        return {
            "job": job,
            "has_preview": bool(pages),
            "preview_pages": pages,
            "data_json": json.dumps(job.data, indent=2, ensure_ascii=False) if job.data is not None else "",
            # Evidence spans index job.text; HTML parsing turns CR LF into one LF, so keep the length.
            # (The template also writes a newline after <pre>, which the parser drops, for the same reason.)
            "job_text": job.text.replace("\r\n", " \n"),
            "evidence_rows": evidence_rows(job, pages),
            "corrections": list(job.corrections.select_related("user")),
            "deliveries": deliveries,
            "can_operate": self.has_operate_permission(request),
            "rerun_stages": RERUN_STAGES,
            "rerun_providers": RERUN_PROVIDERS,
            "is_finished": job.is_finished,
        }

    def preview_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """A PNG of a page of the original: PDFs and images render through PyMuPDF, never served raw."""
        job = self.object_or_404(request, object_id)
        if not job.file_path:
            raise Http404("The original file is not kept.")
        try:
            page_number = max(1, int(request.GET.get("page", "1")))
        except ValueError:
            page_number = 1
        with default_storage.open(job.file_path, "rb") as handle:
            raw = handle.read()
        if job.file_mime != "application/pdf":
            _image_preview_check(raw, page_number)
        try:
            filetype = "pdf" if job.file_mime == "application/pdf" else job.file_mime.split("/")[-1]
            with fitz.open(stream=raw, filetype=filetype) as document:
                if page_number > document.page_count:
                    raise Http404("No such page.")
                page = document[page_number - 1]
                zoom = preview_zoom(page.rect.width, page.rect.height)
                png = page.get_pixmap(matrix=fitz.Matrix(zoom, zoom)).tobytes("png")
        except (RuntimeError, ValueError, fitz.mupdf.FzErrorBase) as exc:  # PyMuPDF: a file it cannot open, or MuPDF limits
            raise Http404("No preview for this file.") from exc
        response = HttpResponse(png, content_type="image/png")
        response["Cache-Control"] = "private, max-age=300"
        return response

    def original_view(self, request: HttpRequest, object_id: str) -> FileResponse:
        job = self.object_or_404(request, object_id)
        if not job.file_path:
            raise Http404("The original file is not kept.")
        response = FileResponse(default_storage.open(job.file_path, "rb"), as_attachment=True, filename=job.file_name,
                                content_type=job.file_mime or "application/octet-stream")
        response["X-Content-Type-Options"] = "nosniff"
        return response

    def status_view(self, request: HttpRequest, object_id: str) -> JsonResponse:
        """The live page's catch-up read: events sent before its socket opened are not replayed."""
        job = self.object_or_404(request, object_id)
        return JsonResponse({"task_id": str(job.pk), "status": job.status, "stage": job.stage, "kind": "cv_job"})

    def operate_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        if request.method != "POST":
            return HttpResponse(status=405)
        job = self.object_or_404(request, object_id)
        if not self.has_operate_permission(request):
            raise PermissionDenied
        operations = {"rerun": self.jobs_rerun, "cancel": self.jobs_cancel, "replay": self.jobs_replay_webhook}
        operation = operations.get(request.POST.get("operation", ""))
        if operation is None:
            messages.error(request, "Unknown operation.")
        else:
            operation(request, [job])
        return HttpResponseRedirect(reverse("admin:cvs_cvjob_change", args=[job.pk]))

    def correct_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Corrections typed on the job page (``value:<pointer>`` fields) and the *reviewed* mark."""
        if request.method != "POST":
            return HttpResponse(status=405)
        job = self.object_or_404(request, object_id)
        if not self.has_operate_permission(request):
            raise PermissionDenied
        # QueryDict.items() gives each key's last value, a str; the stubs widen it to lists too.
        values: dict[str, str] = {
            name.removeprefix("value:"): value for name, value in request.POST.items() if name.startswith("value:")  # type: ignore[misc]
        }
        user = request.user
        assert user.is_authenticated  # admin views are for signed-in staff
        try:
            corrections = job_values_correct(job=job, user=user, values=values,
                                             mark_reviewed=request.POST.get("reviewed") == "on")
        except ApplicationError as exc:
            message_application_error(request, exc)
        else:
            reviewed = " and marked the job reviewed" if job.reviewed_at else ""
            messages.success(request, f"Saved {len(corrections)} correction(s){reviewed}.")
        return HttpResponseRedirect(reverse("admin:cvs_cvjob_change", args=[job.pk]))

    def dashboard_view(self, request: HttpRequest) -> HttpResponse:
        from analytics.dashboard import dashboard_context

        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {**self.admin_site.each_context(request), "title": "Dashboard", **dashboard_context(request)}
        return TemplateResponse(request, "admin/dashboard.html", context)


# --- candidates -----------------------------------------------------------------------------------


class SkillFilter(admin.SimpleListFilter):
    title = "skill"
    parameter_name = "skill"
    top = 25

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        rows = (
            model_admin.get_queryset(request).live()
            .annotate(skill=Func(F("skills"), function="unnest")).values("skill")
            .annotate(n=Count("id")).order_by("-n", "skill")[: self.top]
        )
        return [(row["skill"], f"{row['skill']} ({row['n']})") for row in rows]

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        return queryset.filter(skills__contains=[self.value()]) if self.value() else queryset


class YearsFilter(admin.SimpleListFilter):
    title = "years of experience"
    parameter_name = "years"
    ranges = {"0-2": (0, 2), "2-5": (2, 5), "5-10": (5, 10), "10+": (10, None)}

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(key, key) for key in self.ranges] + [("unknown", "unknown")]

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        if self.value() == "unknown":
            return queryset.filter(years_of_experience__isnull=True)
        value = self.value()
        if value is None or value not in self.ranges:
            return queryset
        low, high = self.ranges[value]
        queryset = queryset.filter(years_of_experience__gte=low)
        return queryset.filter(years_of_experience__lt=high) if high is not None else queryset


class DeletedFilter(admin.SimpleListFilter):
    """Soft-deleted candidates are hidden unless asked for, so they can be found and restored."""

    title = "state"
    parameter_name = "state"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("deleted", "Deleted"), ("all", "All")]

    def choices(self, changelist: Any) -> Any:
        yield {"selected": self.value() is None, "query_string": changelist.get_query_string(remove=[self.parameter_name]),
               "display": "Active"}
        for lookup, title in self.lookup_choices:
            yield {"selected": self.value() == lookup, "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                   "display": title}

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        if self.value() == "all":
            return queryset
        return queryset.filter(is_deleted=self.value() == "deleted")


class CandidateForm(TenantScopedForm):
    """The columns are edited through the structured data, which is checked against the cv-data contract."""

    name = forms.CharField(required=False, max_length=200)
    email = forms.CharField(required=False, max_length=254)
    phone = forms.CharField(required=False, max_length=50)
    location = forms.CharField(required=False, max_length=200)
    headline = forms.CharField(required=False, max_length=300)
    education_level = forms.ChoiceField(required=False, choices=[("", "—"), *EDUCATION_LEVEL_CHOICES])
    years_of_experience = forms.FloatField(required=False, min_value=0, max_value=80)
    skills = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text="Comma-separated.")
    # Django's form metaclass moves declared fields out of the class: this does not replace BaseForm.data.
    data = forms.JSONField(widget=forms.Textarea(attrs={"rows": 24, "cols": 100, "style": "font-family:monospace"}),  # type: ignore[assignment]
                           help_text="The full cv-data document (experience, education, …). The fields above are written into it.")

    # The edited field → where it lives in the cv-data document.
    paths = {"name": ("contact_info", "name"), "email": ("contact_info", "email"), "phone": ("contact_info", "phone"),
             "location": ("contact_info", "location"), "headline": ("headline",), "education_level": ("education_level",),
             "years_of_experience": ("years_of_experience",), "skills": ("skills",)}

    class Meta:
        model = Candidate
        fields = ("screening_status",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        data = self.instance.data or {}
        for field, where in self.paths.items():
            value = data
            for key in where:
                value = value.get(key) if isinstance(value, dict) else None
            self.initial[field] = ", ".join(value) if field == "skills" and isinstance(value, list) else value
        self.initial["data"] = data

    def clean_skills(self) -> list[str]:
        return [skill.strip() for skill in (self.cleaned_data.get("skills") or "").split(",") if skill.strip()]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        assert cleaned is not None  # ModelForm.clean returns cleaned_data
        data = cleaned.get("data")
        if not isinstance(data, dict):
            raise forms.ValidationError("The structured data must be a JSON object.")
        data = json.loads(json.dumps(data))
        for field, where in self.paths.items():
            if field not in self.changed_data:
                continue
            value = cleaned.get(field)
            target = data
            for key in where[:-1]:
                target = target.setdefault(key, {})
            target[where[-1]] = value if value not in ("", None) else ([] if field == "skills" else None)
        errors = cv_data_errors(data)
        if errors:
            raise forms.ValidationError(["The data does not match the cv-data contract:", *errors[:10]])
        cleaned["data"] = data
        return cleaned


class ScreeningResultInline(ReadOnlyInline):
    model = ScreeningResult
    fields = ("condition", "is_qualified", "score", "reasons_list", "summary", "computed_at")
    readonly_fields = fields
    show_change_link = False

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).select_related("condition")

    @admin.display(description="reasons")
    def reasons_list(self, obj: Any) -> str:
        return format_html_join(
            "", '<div>{} <b>{}</b> {}</div>',
            (("✔" if reason.get("passed") else "✘", reason.get("criterion", ""), reason.get("detail", "")) for reason in obj.reasons or []),
        )


class DocumentInline(ReadOnlyInline):
    model = GeneratedDocument
    fields = ("format", "anonymised", "language", "template", "file_size", "created_at", "download")
    readonly_fields = fields
    show_change_link = False

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).select_related("template")

    @admin.display(description="")
    def download(self, obj: GeneratedDocument) -> str:
        return format_html('<a href="{}">download</a>', reverse("admin:cvs_generateddocument_download", args=[obj.pk]))


class JobInline(ReadOnlyInline):
    model = CVJob
    fk_name = "candidate"
    fields = ("job_link", "status", "stage", "provider", "review", "error_code", "created_at")
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).select_related("tenant")

    @admin.display(description="file")
    def job_link(self, obj: CVJob) -> str:
        return format_html('<a href="{}">{}</a>', reverse("admin:cvs_cvjob_change", args=[obj.pk]), obj.file_name)

    @admin.display(description="review")
    def review(self, obj: CVJob) -> str:
        return review_label(obj)


class BatchJobInline(JobInline):
    fk_name = "batch"


class DocumentGenerateForm(forms.Form):
    template = forms.ModelChoiceField(queryset=DocumentTemplate.objects.none(), required=False, empty_label="tenant default")
    formats = forms.MultipleChoiceField(choices=GeneratedDocument.Format.choices, initial=["pdf"], widget=forms.CheckboxSelectMultiple)
    anonymised = forms.BooleanField(required=False, label="Anonymised (blind) variant")

    def __init__(self, *args: Any, candidate: Candidate, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Scoped manager plus an explicit tenant filter: staff (unscoped) only see the candidate's own templates.
        template = self.fields["template"]
        assert isinstance(template, forms.ModelChoiceField)
        template.queryset = DocumentTemplate.objects.filter(tenant_id=candidate.tenant_id)


@admin.register(Candidate)
class CandidateAdmin(TenantScopedAdmin):
    form = CandidateForm
    change_form_template = "admin/cvs/candidate/change_form.html"
    list_display = ("display_name", "email", "education_level", "years_of_experience", "skill_list", "screening_status",
                    "is_deleted", "created_at")
    list_display_links = ("display_name",)
    list_editable = ("screening_status",)
    list_filter = (DeletedFilter, "screening_status", "education_level", SkillFilter, YearsFilter, "language", "created_at")
    list_select_related = ("tenant",)
    search_fields = ("name", "email", "phone_e164")
    show_full_result_count = False
    list_per_page = 50
    actions = ("soft_delete", "restore", "erase")
    inlines = (ScreeningResultInline, DocumentInline, JobInline)
    readonly_fields = ("id", "school", "language", "photo_count", "is_deleted", "deleted_at", "created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("id", "screening_status", "is_deleted", "deleted_at", "created_at", "updated_at")}),
        ("Structured fields", {"fields": ("name", "email", "phone", "location", "headline", "education_level", "school",
                                          "years_of_experience", "skills", "language", "photo_count")}),
        ("cv-data document", {"fields": ("data",), "classes": ("collapse",)}),
    )
    view_roles = change_roles = ADMIN_ROLES
    add_roles = STAFF_ONLY
    delete_roles = STAFF_ONLY

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False  # candidates come from processed CVs

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # soft delete, restore and GDPR erasure are the actions

    def has_erase_permission(self, request: HttpRequest) -> bool:
        return role_allows(request, ADMIN_ONLY)

    @admin.display(description="name", ordering="name")
    def display_name(self, obj: Candidate) -> str:
        return obj.name or short_id(obj.pk)

    @admin.display(description="skills")
    def skill_list(self, obj: Candidate) -> str:
        skills = obj.skills or []
        return ", ".join(skills[:6]) + (f" +{len(skills) - 6}" if len(skills) > 6 else "")

    @admin.display(description="photos")
    def photo_count(self, obj: Candidate) -> int:
        return len(obj.photo_paths or [])

    def get_search_results(self, request: HttpRequest, queryset: Any, search_term: str) -> tuple[Any, bool]:
        """The talents API's search; the candidate admin is for admin and hr, who see contacts."""
        term = search_term.strip()
        if not term:
            return queryset, False
        return candidate_search(queryset, term, match_contacts=True), False

    def save_model(self, request: HttpRequest, obj: Candidate, form: Any, change: bool) -> None:
        if set(form.changed_data) & {"data", *CandidateForm.paths}:
            candidate_data_update(candidate=obj, data=form.cleaned_data["data"])  # saves the status too
        else:
            super().save_model(request, obj, form, change)

    @admin.action(description="Soft-delete selected candidates", permissions=["change"])
    def soft_delete(self, request: HttpRequest, queryset: Any) -> None:
        deleted = queryset.soft_delete()
        self.message_user(request, f"Deleted {deleted} candidate(s); they can be restored (filter “Deleted”).", messages.SUCCESS)

    @admin.action(description="Restore selected candidates", permissions=["change"])
    def restore(self, request: HttpRequest, queryset: Any) -> None:
        restored = queryset.restore()
        self.message_user(request, f"Restored {restored} candidate(s).", messages.SUCCESS)

    @admin.action(description="GDPR erase selected candidates (irreversible)", permissions=["erase"])
    def erase(self, request: HttpRequest, queryset: Any) -> Any:
        candidates = list(queryset)
        if request.POST.get("confirm") != "erase":
            context = {**self.admin_site.each_context(request), "title": "Erase candidates for good?", "candidates": candidates,
                       "opts": self.opts, "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME}
            return TemplateResponse(request, "admin/cvs/candidate/erase_confirmation.html", context)
        reports = [candidate_erase(candidate=candidate) for candidate in candidates]
        files = sum(report["files"] for report in reports)
        self.message_user(request, f"Erased {len(reports)} candidate(s) with their CV files, text, vectors, documents and "
                                   f"webhook deliveries ({files} stored file(s)).", messages.SUCCESS)
        return None

    # --- documents ---------------------------------------------------------------------------
    def get_urls(self) -> list:
        wrap = self.admin_site.admin_view
        return [path("<path:object_id>/documents/", wrap(self.documents_view), name="cvs_candidate_documents"), *super().get_urls()]

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None) -> HttpResponse:
        candidate = self.get_object(request, unquote(object_id))
        if candidate is not None:
            latest = candidate.jobs.filter(status=CVJob.Status.COMPLETED, data__isnull=False).select_related("tenant").first()
            # The values to doubt are those of the CV the candidate's data came from, until someone reviews it.
            review_job = latest if latest is not None and latest.reviewed_at is None else None
            # That CV's pages beside its values, so a value is checked against the page it was read from.
            pages = preview_pages(latest) if latest is not None else []
            rows = evidence_rows(latest, pages) if latest is not None else []
            extra_context = {
                **(extra_context or {}),
                "document_form": DocumentGenerateForm(candidate=candidate),
                "review_job": review_job,
                "low_values": [row for row in rows if row["low"]] if review_job else [],
                "source_job": latest,
                "preview_pages": pages,
                "evidence_rows": rows,
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def documents_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        from cvs.documents.services import document_generate

        if request.method != "POST":
            return HttpResponse(status=405)
        candidate = self.object_or_404(request, object_id, change=True)
        form = DocumentGenerateForm(request.POST, candidate=candidate)
        if not form.is_valid():
            messages.error(request, f"Documents not generated: {form.errors.as_text()}")
        else:
            try:
                documents = document_generate(candidate=candidate, template=form.cleaned_data["template"],
                                              formats=form.cleaned_data["formats"], anonymised=form.cleaned_data["anonymised"],
                                              created_by=request.user)
            except ApplicationError as exc:
                message_application_error(request, exc, "Documents")
            else:
                messages.success(request, f"Generated {', '.join(document.format.upper() for document in documents)}; "
                                          "download below under “Generated documents”.")
        return HttpResponseRedirect(reverse("admin:cvs_candidate_change", args=[candidate.pk]))


# --- batches -----------------------------------------------------------------------------------------


@admin.register(Batch)
class BatchAdmin(TenantScopedAdmin):
    change_list_template = "admin/cvs/batch/change_list.html"
    list_display = ("batch", "status_cell", "progress", "total", "created_by", "created_at", "finished_at")
    list_filter = ("status", "created_at")
    list_select_related = ("tenant", "created_by")
    readonly_fields = ("id", "status", "condition_id", "total", "created_by", "created_at", "finished_at", "progress")
    fields = readonly_fields
    inlines = (BatchJobInline,)
    view_roles = ADMIN_ROLES
    add_roles = change_roles = delete_roles = STAFF_ONLY

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> Any:
        finished = [CVJob.Status.COMPLETED, CVJob.Status.FAILED, CVJob.Status.CANCELLED]
        return super().get_queryset(request).annotate(
            done=Count("jobs", filter=Q(jobs__status__in=finished)),
            failed=Count("jobs", filter=Q(jobs__status=CVJob.Status.FAILED)),
        )

    @admin.display(description="batch", ordering="created_at")
    def batch(self, obj: Batch) -> str:
        return short_id(obj.pk)

    @admin.display(description="status", ordering="status")
    def status_cell(self, obj: Batch) -> str:
        return format_html('<span data-batch="{}" data-field="status">{}</span>', obj.pk, obj.status)

    @admin.display(description="progress")
    def progress(self, obj: Batch) -> str:
        done, failed, total = getattr(obj, "done", 0), getattr(obj, "failed", 0), obj.total or 0
        percent = int(100 * done / total) if total else 0
        return format_html(
            '<span data-batch="{}" data-field="progress"><progress max="100" value="{}"></progress> '
            '<span class="batch-count">{}/{}</span> <span class="batch-failed">{}</span></span>',
            obj.pk, percent, done, total, f"({failed} failed)" if failed else "",
        )

    def get_urls(self) -> list:
        wrap = self.admin_site.admin_view
        return [path("<path:object_id>/progress.json", wrap(self.progress_view), name="cvs_batch_progress"), *super().get_urls()]

    def progress_view(self, request: HttpRequest, object_id: str) -> JsonResponse:
        batch = self.object_or_404(request, object_id)
        return JsonResponse({"batch_id": str(batch.pk), "status": batch.status, "done": batch.done, "failed": batch.failed,
                             "total": batch.total})


# --- document templates and generated documents ---------------------------------------------------------


@admin.register(DocumentTemplate)
class DocumentTemplateAdmin(TenantScopedAdmin):
    change_form_template = "admin/cvs/documenttemplate/change_form.html"
    list_display = ("name", "is_default", "firm_name", "font", "language", "updated_at")
    list_filter = ("is_default", "font", "language")
    list_select_related = ("tenant",)
    search_fields = ("name", "firm_name")
    view_roles = ADMIN_ROLES
    add_roles = change_roles = delete_roles = ADMIN_ONLY

    def get_urls(self) -> list:
        wrap = self.admin_site.admin_view
        return [path("<path:object_id>/preview.pdf", wrap(self.preview_view), name="cvs_documenttemplate_preview"), *super().get_urls()]

    def preview_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        from cvs.documents.services import document_template_preview

        template = self.object_or_404(request, object_id)
        response = HttpResponse(document_template_preview(template=template), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="preview-{short_id(template.pk)}.pdf"'
        return response


@admin.register(GeneratedDocument)
class GeneratedDocumentAdmin(TenantScopedAdmin):
    list_display = ("document", "candidate", "format", "anonymised", "language", "template", "file_size", "render_ms", "created_at")
    list_filter = ("format", "anonymised", "language", "created_at")
    list_select_related = ("tenant", "candidate", "template")
    readonly_fields = ("id", "candidate", "template", "job", "format", "anonymised", "language", "file_size", "render_ms",
                       "created_by", "created_at")
    fields = readonly_fields
    show_full_result_count = False
    view_roles = ADMIN_ROLES
    add_roles = change_roles = STAFF_ONLY
    delete_roles = ADMIN_ONLY

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    @admin.display(description="document")
    def document(self, obj: GeneratedDocument) -> str:
        return format_html('<a href="{}">{}</a>', reverse("admin:cvs_generateddocument_download", args=[obj.pk]), obj.download_name)

    def get_urls(self) -> list:
        wrap = self.admin_site.admin_view
        return [path("<path:object_id>/download/", wrap(self.download_view), name="cvs_generateddocument_download"),
                *super().get_urls()]

    def download_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        from cvs.documents.services import document_link

        document = self.object_or_404(request, object_id)
        url, _ = document_link(document=document)
        return HttpResponseRedirect(url)

