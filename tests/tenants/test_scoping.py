import pytest

from cvs.models import Candidate
from tenants.scoping import ScopeError, scopes_disabled, tenant_scope
from tests.factories import CandidateFactory

pytestmark = pytest.mark.django_db


def test_unscoped_query_fails_loudly(tenant):
    CandidateFactory(tenant=tenant)
    with pytest.raises(ScopeError):
        list(Candidate.objects.all())


def test_scope_filters_by_tenant(tenant, other_tenant):
    mine = CandidateFactory(tenant=tenant)
    CandidateFactory(tenant=other_tenant)
    with tenant_scope(tenant.pk):
        assert list(Candidate.objects.all()) == [mine]
    with scopes_disabled():
        assert Candidate.objects.count() == 2


def test_none_tenant_is_refused():
    with pytest.raises(ScopeError), tenant_scope(None):
        pass


def test_live_candidates_are_scoped_and_exclude_the_bin(tenant, other_tenant):
    mine = CandidateFactory(tenant=tenant)
    CandidateFactory(tenant=tenant, is_deleted=True)
    CandidateFactory(tenant=other_tenant)
    with pytest.raises(ScopeError):
        list(Candidate.objects.live())
    with tenant_scope(tenant.pk):
        assert list(Candidate.objects.live()) == [mine]
        assert list(Candidate.objects.all().live()) == [mine]
