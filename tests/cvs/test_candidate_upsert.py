"""One candidate per person even when two CVs of that person are enriched at the same moment."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from cvs.models import Candidate, CVJob
from cvs.pipeline import services
from tenants.scoping import scopes_disabled, tenant_scope

pytestmark = pytest.mark.django_db(transaction=True)


def _job(tenant, email):
    with tenant_scope(tenant.pk):
        return CVJob.objects.create(tenant=tenant, file_name="cv.pdf", file_sha256="0" * 64, file_mime="application/pdf",
                                    data={"contact_info": {"full_name": "Ana Ruiz", "email": email}})


def test_concurrent_upserts_of_one_person_make_one_candidate(tenant, monkeypatch):
    first, second = _job(tenant, "ana.ruiz@example.com"), _job(tenant, "Ana.Ruiz@example.com")
    created = threading.Event()
    real_followups = services.candidate_followups_run

    def slow_followups(*, candidate):
        # The first upsert holds its transaction open after creating the candidate: the window in
        # which a second worker, without the lock, would find nothing committed and create another.
        if threading.current_thread().name == "first-upsert":
            created.set()
            threading.Event().wait(1.0)
        real_followups(candidate=candidate)

    monkeypatch.setattr(services, "candidate_followups_run", slow_followups)
    results = {}

    def upsert_first():
        try:
            with tenant_scope(tenant.pk):
                results["first"] = services.candidate_upsert_from_job(job=first)
        finally:
            connection.close()

    thread = threading.Thread(target=upsert_first, name="first-upsert")
    thread.start()
    assert created.wait(10)
    with tenant_scope(tenant.pk):
        results["second"] = services.candidate_upsert_from_job(job=second)
    thread.join(10)
    assert results["first"].pk == results["second"].pk
    with scopes_disabled():
        assert Candidate.objects.filter(tenant=tenant).count() == 1

