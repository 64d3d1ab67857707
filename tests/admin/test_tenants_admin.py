import pytest
from django.urls import reverse

from tenants.models import ApiKey, Endpoint, Membership, Role
from tenants.scoping import scopes_disabled
from tenants.services import api_key_create
from tests.factories import EndpointFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def changelist(model: str) -> str:
    return reverse(f"admin:tenants_{model}_changelist")


def change(model: str, pk) -> str:
    return reverse(f"admin:tenants_{model}_change", args=[pk])


def test_viewer_has_no_admin_access(member_client, tenant):
    viewer = member_client(tenant, Role.VIEWER)
    assert viewer.get(changelist("endpoint")).status_code == 403
    index = viewer.get(reverse("admin:index"))
    assert b"have permission to view or edit anything" in index.content


def test_hr_does_not_see_keys_endpoints_or_users(tenant_hr):
    for model in ("apikey", "endpoint", "membership", "tenant"):
        assert tenant_hr.get(changelist(model)).status_code == 403


def test_endpoint_list_is_scoped(tenant_admin, tenant, other_tenant):
    mine = EndpointFactory(tenant=tenant, name="mine-endpoint")
    theirs = EndpointFactory(tenant=other_tenant, name="their-endpoint")
    body = tenant_admin.get(changelist("endpoint")).content.decode()
    assert mine.name in body and theirs.name not in body
    # Another tenant's detail URL answers like a missing object.
    response = tenant_admin.get(change("endpoint", theirs.pk))
    assert response.status_code == 302 and response.url == reverse("admin:index")
    assert tenant_admin.post(reverse("admin:tenants_endpoint_rotate_secret", args=[theirs.pk])).status_code == 404
    with scopes_disabled():
        assert Endpoint.objects.get(pk=theirs.pk).previous_secret == ""


def test_staff_sees_every_tenant_with_a_tenant_column(staff, tenant, other_tenant):
    EndpointFactory(tenant=tenant, name="a-endpoint")
    EndpointFactory(tenant=other_tenant, name="b-endpoint")
    body = staff.get(changelist("endpoint")).content.decode()
    assert "a-endpoint" in body and "b-endpoint" in body
    assert "column-tenant" in body


def test_tenant_admin_creates_endpoint_in_own_tenant_without_choosing_it(tenant_admin, tenant, other_tenant):
    form = tenant_admin.get(reverse("admin:tenants_endpoint_add")).content.decode()
    assert 'name="tenant"' not in form
    response = tenant_admin.post(reverse("admin:tenants_endpoint_add"), {
        "name": "new one", "callback_url": "", "is_active": "on", "options": "{}", "tenant": str(other_tenant.pk),
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    with scopes_disabled():
        created = Endpoint.objects.get(name="new one")
    assert created.tenant_id == tenant.pk


def test_endpoint_rejects_private_callback_url(tenant_admin, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = False
    response = tenant_admin.post(reverse("admin:tenants_endpoint_add"), {
        "name": "bad", "callback_url": "http://127.0.0.1:9/hook", "is_active": "on", "options": "{}",
    })
    assert response.status_code == 200
    assert "callback_url" in response.context["adminform"].form.errors


def test_rotate_secret_keeps_the_old_one_for_the_overlap(tenant_admin, tenant):
    endpoint = EndpointFactory(tenant=tenant)
    old = endpoint.secret
    response = tenant_admin.post(reverse("admin:tenants_endpoint_rotate_secret", args=[endpoint.pk]))
    assert response.status_code == 302
    with scopes_disabled():
        endpoint.refresh_from_db()
    assert endpoint.secret != old and endpoint.previous_secret == old


def test_api_key_secret_is_shown_once_and_only_its_hash_is_stored(tenant_admin, tenant):
    response = tenant_admin.post(reverse("admin:tenants_apikey_add"), {"name": "crm"})
    assert response.status_code == 200
    raw = response.context["raw_key"]
    assert raw.startswith("cvk_") and raw in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    with scopes_disabled():
        key = ApiKey.objects.get(name="crm")
    assert key.tenant_id == tenant.pk and key.matches(raw) and raw not in key.hashed_key
    assert raw not in tenant_admin.get(change("apikey", key.pk)).content.decode()


def test_revoke_action_ignores_other_tenants_ids(tenant_admin, tenant, other_tenant):
    mine = api_key_create(tenant=tenant, name="mine").key
    theirs = api_key_create(tenant=other_tenant, name="theirs").key
    response = tenant_admin.post(changelist("apikey"), {
        "action": "revoke", "_selected_action": [str(mine.pk), str(theirs.pk)],
    })
    assert response.status_code == 302
    with scopes_disabled():
        assert ApiKey.objects.get(pk=mine.pk).is_revoked
        assert not ApiKey.objects.get(pk=theirs.pk).is_revoked


def test_tenant_admin_adds_a_user_to_own_tenant(tenant_admin, tenant):
    response = tenant_admin.post(reverse("admin:tenants_membership_add"), {
        "username": "new-hr", "email": "hr@example.com", "password": "long-enough-pw", "role": Role.HR,
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    with scopes_disabled():
        membership = Membership.objects.select_related("user").get(user__username="new-hr")
    assert membership.tenant_id == tenant.pk and membership.role == Role.HR and membership.user.is_staff


def test_demoting_to_viewer_removes_admin_access(tenant_admin, tenant):
    other = MembershipFactory(tenant=tenant, role=Role.HR)
    response = tenant_admin.post(change("membership", other.pk), {"role": Role.VIEWER})
    assert response.status_code == 302
    other.user.refresh_from_db()
    assert not other.user.is_staff


def test_memberships_of_other_tenants_are_invisible(tenant_admin, other_tenant):
    theirs = MembershipFactory(tenant=other_tenant, role=Role.ADMIN)
    assert theirs.user.username not in tenant_admin.get(changelist("membership")).content.decode()
    assert tenant_admin.get(change("membership", theirs.pk)).status_code == 302
    assert tenant_admin.post(change("membership", theirs.pk), {"role": Role.VIEWER}).status_code == 302
    with scopes_disabled():
        assert Membership.objects.get(pk=theirs.pk).role == Role.ADMIN


def test_tenant_admin_edits_own_settings_but_not_quota(tenant_admin, tenant, other_tenant):
    assert tenant_admin.get(change("tenant", other_tenant.pk)).status_code == 302
    body = tenant_admin.get(changelist("tenant")).content.decode()
    assert tenant.name in body and other_tenant.name not in body
    response = tenant_admin.post(change("tenant", tenant.pk), {
        "extraction_provider": "rules", "llm_model": "m", "retention_days": "30", "monthly_cv_quota": "999999",
        "review_threshold": "0.75",
    })
    assert response.status_code == 302
    tenant.refresh_from_db()
    assert (tenant.extraction_provider, tenant.retention_days, tenant.monthly_cv_quota) == ("rules", 30, None)
    assert tenant.review_threshold == 0.75
    response = tenant_admin.post(change("tenant", tenant.pk), {"extraction_provider": "rules", "review_threshold": "1.5"})
    assert response.status_code == 200 and "less than or equal to 1.0" in response.content.decode()


def test_test_webhook_button_queues_a_test_delivery(tenant_admin, tenant):
    from webhooks.models import WebhookDelivery

    endpoint = EndpointFactory(tenant=tenant, callback_url="https://hooks.example.com/cv")
    response = tenant_admin.post(reverse("admin:tenants_endpoint_test_webhook", args=[endpoint.pk]), follow=True)
    assert "Test webhook queued" in response.content.decode()
    with scopes_disabled():
        assert WebhookDelivery.objects.filter(endpoint=endpoint, event_type="webhook.test").count() == 1
    no_callback = EndpointFactory(tenant=tenant)
    response = tenant_admin.post(reverse("admin:tenants_endpoint_test_webhook", args=[no_callback.pk]), follow=True)
    assert "no_callback_url" in response.content.decode()


def test_circuit_breaker_is_shown_and_can_be_closed(tenant_admin, tenant):
    from django.utils import timezone

    endpoint = EndpointFactory(tenant=tenant, callback_url="https://hooks.example.com/cv",
                               webhooks_disabled_at=timezone.now(), webhooks_disabled_reason="20 failures in a row")
    page = tenant_admin.get(change("endpoint", endpoint.pk)).content.decode()
    assert "paused by the circuit breaker" in page and "20 failures in a row" in page
    assert "disabled since" in tenant_admin.get(changelist("endpoint")).content.decode()
    tenant_admin.post(changelist("endpoint"), {"action": "enable_webhooks", "_selected_action": [str(endpoint.pk)]})
    with scopes_disabled():
        assert Endpoint.objects.get(pk=endpoint.pk).webhooks_disabled_at is None


def test_staff_creates_keys_and_members_for_a_chosen_tenant(staff, other_tenant):
    response = staff.post(reverse("admin:tenants_apikey_add"), {"name": "for-other", "tenant": str(other_tenant.pk)})
    assert response.status_code == 200 and response.context["raw_key"]
    response = staff.post(reverse("admin:tenants_membership_add"), {
        "tenant": str(other_tenant.pk), "username": "their-admin", "password": "long-enough-pw", "role": Role.ADMIN,
    })
    assert response.status_code == 302
    with scopes_disabled():
        assert ApiKey.objects.get(name="for-other").tenant_id == other_tenant.pk
        assert Membership.objects.get(user__username="their-admin").tenant_id == other_tenant.pk
    missing = staff.post(reverse("admin:tenants_apikey_add"), {"name": "no-tenant"})
    assert missing.status_code == 200 and "tenant" in missing.context["adminform"].form.errors


@pytest.mark.parametrize("options", ['"notadict"', '{"documents": {"formats": ["odt"]}}', '{"jsonresume": "yes"}'])
def test_endpoint_form_refuses_bad_options(tenant_admin, tenant, options):
    endpoint = EndpointFactory(tenant=tenant, options={"evidence": True})

    response = tenant_admin.post(change("endpoint", endpoint.pk), {
        "name": endpoint.name, "callback_url": "", "is_active": "on", "options": options,
    })

    assert response.status_code == 200
    assert "options" in response.context["adminform"].form.errors
    with scopes_disabled():
        endpoint.refresh_from_db()
    assert endpoint.options == {"evidence": True}
