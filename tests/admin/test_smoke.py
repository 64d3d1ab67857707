import pytest
from django.contrib import admin
from django.urls import reverse

from tests.factories import CandidateFactory, CVJobFactory, EndpointFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ["staff", "tenant_admin", "tenant_hr"])
def test_every_admin_page_renders_for_every_audience(request, who, tenant, other_tenant):
    client = request.getfixturevalue(who)
    for owner in (tenant, other_tenant):
        CVJobFactory(tenant=owner, candidate=CandidateFactory(tenant=owner), endpoint=EndpointFactory(tenant=owner))
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("admin:dashboard")).status_code == 200
    for model, model_admin in admin.site._registry.items():
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        response = client.get(reverse(f"{info}_changelist"))
        assert response.status_code in (200, 403), (info, response.status_code)
        if response.status_code == 200 and model_admin.has_add_permission(response.wsgi_request):
            assert client.get(reverse(f"{info}_add")).status_code == 200, info
        if response.status_code == 200 and response.context["cl"].result_list:
            obj = response.context["cl"].result_list[0]
            assert client.get(reverse(f"{info}_change", args=[obj.pk])).status_code == 200, info
