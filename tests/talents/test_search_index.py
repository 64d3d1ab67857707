"""The candidate keyword search is served by its indexes, not by reading every candidate."""

import pytest
from django.db import connection

from cvs.models import Candidate
from cvs.selectors import candidate_search
from tenants.scoping import scopes_disabled, tenant_scope
from tests.factories import CandidateFactory


@pytest.mark.django_db
@pytest.mark.parametrize("match_contacts", [True, False])
def test_keyword_search_reads_the_search_indexes(tenant, match_contacts):
    with tenant_scope(tenant.pk):
        CandidateFactory.create_batch(3, tenant=tenant)
        with connection.cursor() as cursor:  # a tiny table: make the planner show which indexes it can use
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_indexscan = off")
    with scopes_disabled():  # without the tenant index to fall back on, only the search's own indexes remain
        plan = candidate_search(Candidate.objects.all(), "backend engineer", match_contacts=match_contacts).explain()
    assert "candidate_search_fts" in plan and "candidate_search_trgm" in plan, plan
    assert ("candidate_contact_trgm" in plan) is match_contacts, plan
