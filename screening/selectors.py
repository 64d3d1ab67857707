"""Reads for screening: conditions, results and the school list, all within the tenant scope."""

from __future__ import annotations

from typing import Any

from django.db.models import F, Func, Q, QuerySet, TextField, Value

from config.errors import NotFound
from screening.models import School, ScreeningCondition, ScreeningResult, TenantSchool
from screening.schools import SchoolIndex
from tenants.selectors import is_integer_id, is_uuid


def condition_list(*, keyword: str = "", is_active: bool | None = None) -> QuerySet[ScreeningCondition]:
    conditions = ScreeningCondition.objects.all()
    if keyword:
        conditions = conditions.filter(Q(name__icontains=keyword) | Q(description__icontains=keyword))
    if is_active is not None:
        conditions = conditions.filter(is_active=is_active)
    return conditions.order_by("-created_at")


def condition_get(*, condition_id: Any) -> ScreeningCondition:
    """The condition in the current tenant scope; another tenant's (or a malformed id) is 404."""
    condition = ScreeningCondition.objects.filter(pk=condition_id).first() if is_uuid(condition_id) else None
    if condition is None:
        raise NotFound("Screening condition not found.", code="condition_not_found")
    return condition


def condition_find(*, condition_id: Any) -> ScreeningCondition | None:
    return ScreeningCondition.objects.filter(pk=condition_id).first() if condition_id and is_uuid(condition_id) else None


def result_list(
    *, condition: ScreeningCondition | None = None, candidate: Any = None, qualified: bool | None = None
) -> QuerySet[ScreeningResult]:
    results = ScreeningResult.objects.select_related("condition", "candidate")
    if condition is not None:
        results = results.filter(condition=condition)
    if candidate is not None:
        results = results.filter(candidate=candidate)
    if qualified is not None:
        results = results.filter(is_qualified=qualified)
    return results.order_by("-score", "-computed_at")


def school_index() -> SchoolIndex:
    """Shared schools first, then the tenant's rows, which extend them by name."""
    return SchoolIndex.build([*School.objects.all(), *TenantSchool.objects.all()])


def school_list(*, keyword: str = "", tier: str = "") -> list[School | TenantSchool]:
    shared, own = School.objects.all(), TenantSchool.objects.all()
    if keyword:
        aliases = Func(F("aliases"), Value(" "), function="array_to_string", output_field=TextField())
        match = Q(name__icontains=keyword) | Q(alias_text__icontains=keyword)
        shared = shared.annotate(alias_text=aliases).filter(match)
        own = own.annotate(alias_text=aliases).filter(match)
    if tier:
        shared, own = shared.filter(tiers__contains=[tier]), own.filter(tiers__contains=[tier])
    return [*own.order_by("name"), *shared.order_by("name")]


def tenant_school_get(*, school_id: Any) -> TenantSchool:
    school = TenantSchool.objects.filter(pk=school_id).first() if is_integer_id(school_id) else None
    if school is None:
        raise NotFound("School not found among this tenant's schools.", code="school_not_found")
    return school
