import pytest
from django.forms import modelform_factory

from cvs.models import CVJob
from tenants.admin_scoping import TenantScopedForm
from tenants.scoping import scopes_disabled
from tests.factories import CandidateFactory, EndpointFactory

pytestmark = pytest.mark.django_db


def job_form(data, admin_tenant_id=None):
    form_class = modelform_factory(CVJob, form=TenantScopedForm, fields=["tenant", "endpoint", "candidate"])
    form_class.admin_tenant_id = admin_tenant_id
    return form_class(data)


def test_staff_cannot_link_objects_of_two_tenants(tenant, other_tenant):
    with scopes_disabled():
        mixed = job_form({"tenant": tenant.pk, "endpoint": EndpointFactory(tenant=other_tenant).pk,
                          "candidate": CandidateFactory(tenant=tenant).pk})
        assert not mixed.is_valid()
        assert mixed.errors["endpoint"] == ["This belongs to another tenant."] and "candidate" not in mixed.errors


def test_tenant_user_form_pins_its_tenant(tenant, other_tenant):
    with scopes_disabled():
        form = job_form({"endpoint": EndpointFactory(tenant=tenant).pk}, admin_tenant_id=tenant.pk)
        form.fields.pop("tenant")
        form.is_valid()
        assert form.instance.tenant_id == tenant.pk and "endpoint" not in form.errors
