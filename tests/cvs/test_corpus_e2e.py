"""Every CV of the labelled corpus goes through the public API and ends completed, with a webhook."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from standardwebhooks import Webhook

from tests.conftest import CORPUS, wait_until
from tests.cvs.test_pipeline import wait_finished
from tests.factories import EndpointFactory
from tests.webhooks.receiver import Receiver

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

CORPUS_FILES = sorted(p for p in CORPUS.glob("cv*") if p.suffix != ".json") if CORPUS.exists() else []


@pytest.mark.skipif(not CORPUS_FILES, reason="the shared corpus is not beside the repository")
def test_whole_corpus_completes_with_webhooks(celery_worker, key_client, tenant):
    receiver = Receiver()
    try:
        endpoint = EndpointFactory(tenant=tenant, callback_url=receiver.url())
        ids = {}
        for path in CORPUS_FILES:
            response = key_client.post(
                f"/cv/{endpoint.pk}", {"file": SimpleUploadedFile(path.name, path.read_bytes())}, format="multipart"
            )
            assert response.status_code == 202, (path.name, response.content)
            ids[response.json()["request_id"]] = path.name
        verifier = Webhook(endpoint.secret)
        delivered: set[str] = set()
        verified = [0]

        def all_delivered() -> bool:
            # Verify as they arrive: Standard Webhooks rejects timestamps older than five minutes.
            for request in receiver.requests[verified[0]:]:
                delivered.add(verifier.verify(request.body, request.headers)["request_id"])
                verified[0] += 1
            return delivered == set(ids)

        wait_until(all_delivered, timeout=1500, interval=1.0)
        jobs = wait_finished(list(ids), timeout=60)
        not_completed = {ids[key]: (job.status, job.error_code) for key, job in jobs.items() if job.status != "completed"}
        assert not not_completed
        without_email = [ids[key] for key, job in jobs.items() if not job.data["contact_info"]["email"]]
        assert len(without_email) <= len(ids) * 0.1, without_email
    finally:
        receiver.close()
