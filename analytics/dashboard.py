"""The admin dashboard: job and candidate statistics drawn as inline SVG charts (no JS, no CDN).

Queries run in the request's scope (the admin middleware enters it): a tenant's people
see their tenant, platform staff see every tenant.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import connection
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from analytics.selectors import candidates_by_education, processing_time_percentiles, top_skills
from cvs.models import CVJob
from cvs.selectors import job_needs_review_q

STATUS_COLOURS = {
    "completed": "#2e8540", "failed": "#c9302c", "cancelled": "#8c8c8c", "running": "#1f6fb2", "queued": "#e0a800",
}
PALETTE = ["#1f6fb2", "#2e8540", "#e0a800", "#c9302c", "#6f42c1", "#17a2b8", "#fd7e14", "#8c8c8c"]
FONT = 'font-family="-apple-system,Segoe UI,Helvetica,Arial,sans-serif" font-size="11"'


# --- data ---------------------------------------------------------------------------------------------


def jobs_per_day(*, days: int) -> tuple[list[date], dict[str, list[int]]]:
    """Jobs created per day of the last ``days`` days, by status (zero-filled)."""
    today = timezone.now().date()
    axis = [today - timedelta(days=offset) for offset in range(days - 1, -1, -1)]
    rows = (
        CVJob.objects.filter(created_at__date__gte=axis[0])
        .annotate(day=TruncDate("created_at")).values("day", "status").annotate(n=Count("id"))
    )
    counts = {(row["day"], row["status"]): row["n"] for row in rows}
    series = {status: [counts.get((day, status), 0) for day in axis] for status in STATUS_COLOURS}
    return axis, {status: values for status, values in series.items() if any(values)}


def processing_percentiles_per_day(*, days: int) -> tuple[list[date], list[float | None], list[float | None]]:
    """Daily p50 and p95 of ``processing_ms`` of completed jobs, computed in PostgreSQL."""
    today = timezone.now().date()
    axis = [today - timedelta(days=offset) for offset in range(days - 1, -1, -1)]
    jobs = CVJob.objects.filter(status=CVJob.Status.COMPLETED, processing_ms__isnull=False, finished_at__date__gte=axis[0])
    sql, params = jobs.annotate(day=TruncDate("finished_at")).values("day", "processing_ms").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT t.day, percentile_cont(0.5) WITHIN GROUP (ORDER BY t.processing_ms), "
            f"percentile_cont(0.95) WITHIN GROUP (ORDER BY t.processing_ms) FROM ({sql}) AS t GROUP BY t.day",
            params,
        )
        by_day = {day: (p50, p95) for day, p50, p95 in cursor.fetchall()}
    return axis, [by_day.get(day, (None, None))[0] for day in axis], [by_day.get(day, (None, None))[1] for day in axis]


def failures_by_error_code(*, days: int, limit: int = 10) -> list[tuple[str, int]]:
    since = timezone.now() - timedelta(days=days)
    rows = (
        CVJob.objects.filter(status=CVJob.Status.FAILED, created_at__gte=since)
        .values("error_code").annotate(n=Count("id")).order_by("-n", "error_code")[:limit]
    )
    return [(row["error_code"] or "unknown", row["n"]) for row in rows]


# --- charts -------------------------------------------------------------------------------------------


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def _frame(width: int, height: int, body: list[str], title: str) -> SafeString:
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-label="{escape(title)}" {FONT}><title>{escape(title)}</title>{"".join(body)}</svg>'
    )


def _y_axis(left: int, top: int, plot_h: int, plot_w: int, top_value: float, unit: str = "") -> list[str]:
    parts = []
    for i in range(5):
        value = top_value * i / 4
        y = top + plot_h - plot_h * i / 4
        label = f"{value:g}{unit}" if value < 10 else f"{value:,.0f}{unit}"
        parts.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e5e5e5"/>'
                     f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#666">{escape(label)}</text>')
    return parts


def _x_labels(axis: list[date], left: int, slot: float, y: float) -> list[str]:
    every = max(1, len(axis) // 8)
    return [f'<text x="{left + slot * (i + 0.5):.1f}" y="{y}" text-anchor="middle" fill="#666">{day:%d %b}</text>'
            for i, day in enumerate(axis) if i % every == 0 or i == len(axis) - 1]


def _legend(items: list[tuple[str, str]], left: int, y: int) -> list[str]:
    parts, x = [], left
    for label, colour in items:
        parts.append(f'<rect x="{x}" y="{y - 9}" width="10" height="10" fill="{colour}"/>'
                     f'<text x="{x + 14}" y="{y}" fill="#333">{escape(label)}</text>')
        x += 22 + 7 * len(label)
    return parts


def stacked_bars(axis: list[date], series: dict[str, list[int]], title: str) -> SafeString:
    width, height, left, top, bottom = 640, 240, 44, 28, 36
    plot_w, plot_h = width - left - 12, height - top - bottom
    totals = [sum(values[i] for values in series.values()) for i in range(len(axis))]
    top_value = _nice_max(max(totals, default=0))
    slot = plot_w / max(len(axis), 1)
    body = _y_axis(left, top, plot_h, plot_w, top_value)
    for i in range(len(axis)):
        y: float = top + plot_h
        for status, values in series.items():
            h = plot_h * values[i] / top_value
            if h:
                y -= h
                body.append(f'<rect x="{left + slot * i + slot * 0.15:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" height="{h:.1f}" '
                            f'fill="{STATUS_COLOURS[status]}"><title>{axis[i]:%d %b}: {values[i]} {status}</title></rect>')
    body += _x_labels(axis, left, slot, height - bottom + 16)
    body += _legend([(status, STATUS_COLOURS[status]) for status in series], left, 14)
    if not series:
        body.append(f'<text x="{width / 2}" y="{height / 2}" text-anchor="middle" fill="#999">no jobs yet</text>')
    return _frame(width, height, body, title)


def lines(axis: list[date], named: dict[str, list[float | None]], title: str, unit: str = " s", scale: float = 1000) -> SafeString:
    width, height, left, top, bottom = 640, 240, 52, 28, 36
    plot_w, plot_h = width - left - 12, height - top - bottom
    values = [v / scale for series in named.values() for v in series if v is not None]
    top_value = _nice_max(max(values, default=0))
    slot = plot_w / max(len(axis), 1)
    body = _y_axis(left, top, plot_h, plot_w, top_value, unit.strip())
    for (name, series), colour in zip(named.items(), PALETTE, strict=False):
        points = [(left + slot * (i + 0.5), top + plot_h - plot_h * (v / scale) / top_value) for i, v in enumerate(series) if v is not None]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            body.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        body += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"><title>{escape(name)}</title></circle>' for x, y in points]
    body += _x_labels(axis, left, slot, height - bottom + 16)
    body += _legend([(name, colour) for name, colour in zip(named, PALETTE, strict=False)], left, 14)
    if not values:
        body.append(f'<text x="{width / 2}" y="{height / 2}" text-anchor="middle" fill="#999">no completed jobs yet</text>')
    return _frame(width, height, body, title)


def horizontal_bars(items: list[tuple[str, int]], title: str, colour: str = "#1f6fb2") -> SafeString:
    row, left, width = 22, 150, 640
    height = max(60, row * len(items) + 16)
    top_value = _nice_max(max((value for _, value in items), default=0))
    plot_w = width - left - 50
    body = []
    for i, (label, value) in enumerate(items):
        y = 8 + i * row
        w = plot_w * value / top_value
        short = label if len(label) <= 22 else label[:21] + "…"
        body.append(f'<text x="{left - 8}" y="{y + 14}" text-anchor="end" fill="#333">{escape(short)}<title>{escape(label)}</title></text>'
                    f'<rect x="{left}" y="{y + 3}" width="{w:.1f}" height="{row - 8}" fill="{colour}" rx="2"/>'
                    f'<text x="{left + w + 6:.1f}" y="{y + 14}" fill="#333">{value}</text>')
    if not items:
        body.append(f'<text x="{width / 2}" y="34" text-anchor="middle" fill="#999">nothing yet</text>')
    return _frame(width, height, body, title)


# --- the page -----------------------------------------------------------------------------------------


def dashboard_context(request: HttpRequest) -> dict[str, Any]:
    """Everything the dashboard page shows; ``?days=`` picks the window (7 to 90, default 30)."""
    try:
        days = min(max(int(request.GET.get("days", 30)), 7), 90)
    except ValueError:
        days = 30
    axis, per_status = jobs_per_day(days=days)
    p_axis, p50, p95 = processing_percentiles_per_day(days=days)
    overall = processing_time_percentiles(since=timezone.now() - timedelta(days=days))
    failures = failures_by_error_code(days=days)
    skills = [(row["name"], row["count"]) for row in top_skills(limit=12)]
    education = list(candidates_by_education().items())
    totals = {status: sum(values) for status, values in per_status.items()}
    return {
        "days": days,
        "totals": totals,
        "jobs_total": sum(totals.values()),
        "p50_s": overall["p50_ms"] / 1000 if overall["p50_ms"] is not None else None,
        "p95_s": overall["p95_ms"] / 1000 if overall["p95_ms"] is not None else None,
        "completed_count": overall["count"],
        "failures_total": sum(n for _, n in failures),
        "needs_review": CVJob.objects.filter(job_needs_review_q()).count(),
        "charts": {
            "jobs": stacked_bars(axis, per_status, f"CV jobs per day, last {days} days, by status"),
            "latency": lines(p_axis, {"p50": p50, "p95": p95}, "Processing time per day (p50, p95)"),
            "failures": horizontal_bars(failures, "Failures by error code", "#c9302c"),
            "skills": horizontal_bars(skills, "Top skills", "#2e8540"),
            "education": horizontal_bars(education, "Candidates by education level", "#6f42c1"),
        },
    }
