"""The client-call look-ups are cached per process, and every change to a key, a tenant or an endpoint
is refused at once, in this process and in another one (a real uvicorn)."""

from __future__ import annotations

import httpx
import pytest

from tenants import lookup_cache
from tenants.authentication import api_key_lookup
from tenants.models import ApiKey, Endpoint, Tenant
from tenants.scoping import scopes_disabled, tenant_scope
from tenants.selectors import endpoint_get
from tenants.services import api_key_create, api_key_revoke, endpoint_update
from tests.cvs import files
from tests.factories import EndpointFactory


def _warm(raw: str) -> None:
    # The first call stamps last_used_at and forgets its entry; the second fills the cache for good.
    api_key_lookup(raw)
    api_key_lookup(raw)


@pytest.mark.django_db
def test_a_warm_key_lookup_reads_no_row(tenant, django_assert_num_queries):
    raw = api_key_create(tenant=tenant, name="ats").raw
    _warm(raw)
    with django_assert_num_queries(0):
        key = api_key_lookup(raw)
    assert key.tenant == tenant
    key.tenant.name = "changed by one request"
    assert api_key_lookup(raw).tenant.name == tenant.name  # each caller has its own copy


@pytest.mark.django_db
def test_the_row_is_cached_never_the_decision(tenant):
    raw = api_key_create(tenant=tenant, name="ats").raw
    _warm(raw)
    prefix = raw.split("_")[1]
    with pytest.raises(Exception, match="Invalid API key"):
        api_key_lookup(f"cvk_{prefix}_not-the-secret")


@pytest.mark.django_db
@pytest.mark.parametrize("change", ["service", "queryset_update", "delete"])
def test_a_revoked_or_deleted_key_is_refused_at_once(tenant, change):
    issued = api_key_create(tenant=tenant, name="ats")
    _warm(issued.raw)
    with tenant_scope(tenant.pk):
        if change == "service":
            api_key_revoke(key=issued.key)
        elif change == "queryset_update":
            ApiKey.objects.filter(pk=issued.key.pk).update(is_revoked=True)
        else:
            issued.key.delete()
    with pytest.raises(Exception, match="revoked|Invalid API key"):
        api_key_lookup(issued.raw)


@pytest.mark.django_db
def test_a_deactivated_tenant_is_refused_at_once(tenant):
    raw = api_key_create(tenant=tenant, name="ats").raw
    _warm(raw)
    Tenant.objects.filter(pk=tenant.pk).update(is_active=False)
    with pytest.raises(Exception, match="inactive"):
        api_key_lookup(raw)


@pytest.mark.django_db
def test_an_endpoint_change_is_seen_at_once_and_scope_is_kept(tenant, other_tenant, django_assert_num_queries):
    endpoint = EndpointFactory(tenant=tenant)
    with tenant_scope(tenant.pk):
        endpoint_get(endpoint_id=endpoint.pk, cached=True)
        with django_assert_num_queries(0):
            assert endpoint_get(endpoint_id=endpoint.pk, cached=True).is_active
        endpoint_update(endpoint=endpoint, is_active=False)
        assert not endpoint_get(endpoint_id=endpoint.pk, cached=True).is_active
    with tenant_scope(other_tenant.pk), pytest.raises(Exception, match="not found"):
        endpoint_get(endpoint_id=endpoint.pk, cached=True)


@pytest.mark.django_db
def test_without_redis_every_lookup_reads_the_database(tenant, django_assert_num_queries, settings):
    raw = api_key_create(tenant=tenant, name="ats").raw
    _warm(raw)
    # Nothing listens on port 1: the cache's Redis is down.
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    for _ in range(2):
        with django_assert_num_queries(1):
            assert api_key_lookup(raw).tenant == tenant


@pytest.mark.django_db(transaction=True)
def test_another_web_process_refuses_a_change_at_once(asgi_server, tenant):
    """uvicorn has its own cache: the version the test process replaces in Redis is what makes it look again."""
    endpoint = EndpointFactory(tenant=tenant)
    issued = api_key_create(tenant=tenant, name="ats")

    def upload(raw: str, endpoint_id: object = endpoint.pk) -> int:
        response = httpx.post(f"http://{asgi_server}/cv/{endpoint_id}", headers={"Authorization": f"Bearer {raw}"},
                              files={"file": ("cv.pdf", files.pdf_bytes(), "application/pdf")}, timeout=30)
        return response.status_code

    for _ in range(3):  # stamp, fill, hit
        assert upload(issued.raw) == 202
    version = lookup_cache.shared_version()
    assert version
    with tenant_scope(tenant.pk):
        api_key_revoke(key=issued.key)
    assert lookup_cache.shared_version() != version
    assert upload(issued.raw) == 401

    second = api_key_create(tenant=tenant, name="ats 2").raw
    for _ in range(3):
        assert upload(second) == 202
    with tenant_scope(tenant.pk):
        Endpoint.objects.filter(pk=endpoint.pk).update(is_active=False)
    assert upload(second) == 404

    other = EndpointFactory(tenant=tenant)
    for _ in range(2):
        assert upload(second, other.pk) == 202
    with scopes_disabled():
        Tenant.objects.filter(pk=tenant.pk).update(is_active=False)
    assert upload(second, other.pk) == 401
