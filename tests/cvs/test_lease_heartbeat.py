"""A live worker keeps its short job lease by heartbeat; a dead one lets it run out within seconds."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from cvs.models import CVJob
from cvs.pipeline.services import _lease_heartbeat, jobs_requeue_stale
from tenants.scoping import scopes_disabled
from tests.factories import CVJobFactory

pytestmark = pytest.mark.django_db(transaction=True)


def lease_of(job):
    with scopes_disabled():
        return CVJob.objects.get(pk=job.pk).lease_expires_at


def test_heartbeat_renews_the_lease_while_the_worker_lives(tenant, settings):
    settings.CV_JOB_LEASE_SECONDS = 1
    settings.CV_JOB_HEARTBEAT_SECONDS = 0.2
    job = CVJobFactory(tenant=tenant, status=CVJob.Status.RUNNING, lease_expires_at=timezone.now() + timedelta(seconds=1))
    with _lease_heartbeat(job.pk):
        time.sleep(2.5)  # longer than the lease: only the heartbeat keeps it
        assert lease_of(job) > timezone.now()
        with scopes_disabled():
            assert jobs_requeue_stale()["requeued"] == 0
    time.sleep(1.2)  # the worker is gone: the lease runs out and the sweep takes the job back
    assert lease_of(job) < timezone.now()
    with scopes_disabled():
        assert jobs_requeue_stale()["requeued"] == 1
