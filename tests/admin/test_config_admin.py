import pytest
from django.urls import reverse

from screening.models import ScreeningCondition, ScreeningResult
from screening.services import candidate_screen, condition_create
from tenants.scoping import scopes_disabled, tenant_scope
from tests.factories import CandidateFactory, CVJobFactory, EndpointFactory
from webhooks.models import WebhookDelivery

pytestmark = pytest.mark.django_db


def test_condition_created_in_own_tenant_with_validated_criteria(tenant_hr, tenant):
    url = reverse("admin:screening_screeningcondition_add")
    bad = tenant_hr.post(url, {"name": "bad", "description": "", "criteria": '{"no_such_criterion": 1}', "is_active": "on"})
    assert bad.status_code == 200 and "criteria" in bad.context["adminform"].form.errors
    good = tenant_hr.post(url, {"name": "py", "description": "", "criteria": '{"skills": ["Python"]}', "is_active": "on"})
    assert good.status_code == 302
    with scopes_disabled():
        condition = ScreeningCondition.objects.get(name="py")
    assert condition.tenant_id == tenant.pk and condition.criteria["skills"] == ["Python"]


def test_conditions_and_results_of_other_tenants_are_invisible(tenant_hr, tenant, other_tenant):
    with tenant_scope(other_tenant.pk):
        theirs = condition_create(tenant=other_tenant, name="their-condition", criteria={"skills": ["Go"]})
        candidate_screen(candidate=CandidateFactory(tenant=other_tenant, name="Their Person"), condition=theirs)
    with tenant_scope(tenant.pk):
        mine = condition_create(tenant=tenant, name="my-condition", criteria={"skills": ["Python"]})
        candidate_screen(candidate=CandidateFactory(tenant=tenant, name="My Person"), condition=mine)
    body = tenant_hr.get(reverse("admin:screening_screeningcondition_changelist")).content.decode()
    assert "my-condition" in body and "their-condition" not in body
    assert tenant_hr.get(reverse("admin:screening_screeningcondition_change", args=[theirs.pk])).status_code == 302
    results = tenant_hr.get(reverse("admin:screening_screeningresult_changelist")).content.decode()
    assert "My Person" in results and "Their Person" not in results
    with scopes_disabled():
        result = ScreeningResult.objects.get(condition=mine)
    detail = tenant_hr.get(reverse("admin:screening_screeningresult_change", args=[result.pk])).content.decode()
    assert "skills" in detail and ("✔" in detail or "✘" in detail)


def test_delivery_replay_action_only_touches_own_tenant(tenant_admin, tenant, other_tenant):
    mine_endpoint = EndpointFactory(tenant=tenant, callback_url="https://hooks.example.com/a")
    their_endpoint = EndpointFactory(tenant=other_tenant, callback_url="https://hooks.example.com/b")
    with tenant_scope(tenant.pk):
        mine = WebhookDelivery.objects.create(tenant=tenant, endpoint=mine_endpoint, job=CVJobFactory(tenant=tenant),
                                              event_type="cv.completed", payload="{}", status="failed", attempts=5)
    with tenant_scope(other_tenant.pk):
        theirs = WebhookDelivery.objects.create(tenant=other_tenant, endpoint=their_endpoint, event_type="cv.completed",
                                                payload="{}", status="failed", attempts=5)
    url = reverse("admin:webhooks_webhookdelivery_changelist")
    body = tenant_admin.get(url).content.decode()
    assert mine.event_id in body and theirs.event_id not in body
    tenant_admin.post(url, {"action": "replay", "_selected_action": [str(mine.pk), str(theirs.pk)]})
    with scopes_disabled():
        assert WebhookDelivery.objects.get(pk=mine.pk).status != "failed"
        assert WebhookDelivery.objects.get(pk=theirs.pk).status == "failed"
    assert tenant_admin.get(reverse("admin:webhooks_webhookdelivery_change", args=[theirs.pk])).status_code == 302


def test_delivery_and_result_changelists_do_not_grow_queries_with_rows(tenant_admin, tenant, django_assert_max_num_queries):
    endpoints = [EndpointFactory(tenant=tenant, callback_url=f"https://hooks.example.com/{i}") for i in range(4)]
    with tenant_scope(tenant.pk):
        conditions = [condition_create(tenant=tenant, name=f"c{i}", criteria={"skills": ["Python"]}) for i in range(3)]
        for i in range(60):
            WebhookDelivery.objects.create(tenant=tenant, endpoint=endpoints[i % 4], job=CVJobFactory(tenant=tenant),
                                           event_type="cv.completed", payload="{}")
            candidate_screen(candidate=CandidateFactory(tenant=tenant), condition=conditions[i % 3])
    for name, limit in (("webhooks_webhookdelivery", 12), ("screening_screeningresult", 12), ("screening_screeningcondition", 10)):
        with django_assert_max_num_queries(limit):
            assert tenant_admin.get(reverse(f"admin:{name}_changelist")).status_code == 200
