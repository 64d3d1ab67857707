import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from analytics.models import EMBEDDING_DIM, CandidateEmbedding
from cvs.documents.models import GeneratedDocument
from cvs.erasure import candidate_erase
from cvs.models import Candidate, CVJob, FieldCorrection
from screening.models import ScreeningResult
from screening.services import candidate_screen, condition_create
from tenants.scoping import scopes_disabled, tenant_scope
from tests.factories import CandidateFactory, CVJobFactory, EndpointFactory
from webhooks.models import WebhookDelivery

pytestmark = pytest.mark.django_db(transaction=True)


def store(name: str, body: bytes = b"x") -> str:
    return default_storage.save(name, ContentFile(body))


def test_erasure_removes_files_text_vectors_deliveries_and_results(tenant):
    endpoint = EndpointFactory(tenant=tenant, callback_url="https://hooks.example.com/cv")
    photo = store(f"tenants/{tenant.pk}/photos/p.png")
    candidate = CandidateFactory(tenant=tenant, photo_paths=[photo])
    cv_file = store(f"tenants/{tenant.pk}/cvs/cv.pdf")
    job = CVJobFactory(tenant=tenant, endpoint=endpoint, candidate=candidate, file_path=cv_file, text="secret words")
    duplicate_file = store(f"tenants/{tenant.pk}/cvs/dup.pdf")
    duplicate = CVJobFactory(tenant=tenant, endpoint=endpoint, duplicate_of=job, file_path=duplicate_file)
    document_file = store(f"tenants/{tenant.pk}/docs/d.pdf")
    keeper = CandidateFactory(tenant=tenant)
    keeper_file = store(f"tenants/{tenant.pk}/cvs/keep.pdf")
    CVJobFactory(tenant=tenant, candidate=keeper, file_path=keeper_file)
    with tenant_scope(tenant.pk):
        GeneratedDocument.objects.create(tenant=tenant, candidate=candidate, format="pdf", language="en", file_path=document_file)
        WebhookDelivery.objects.create(tenant=tenant, endpoint=endpoint, job=job, event_type="cv.completed", payload="{}")
        CandidateEmbedding.objects.create(tenant=tenant, candidate=candidate, content="c", content_hash="h",
                                          embedding=[0.1] * EMBEDDING_DIM, model="m", dim=EMBEDDING_DIM)
        condition = condition_create(tenant=tenant, name="python", criteria={"skills": ["Python"]})
        candidate_screen(candidate=candidate, condition=condition)
        # A reviewer's correction holds the person's data too (old and new values).
        FieldCorrection.objects.create(tenant=tenant, job=job, pointer="/contact_info/email", old_value="a@x", new_value="b@x")

        report = candidate_erase(candidate=candidate)

    assert report["jobs"] == 2 and report["webhook_deliveries"] == 1 and report["files"] == 4
    for path in (photo, cv_file, duplicate_file, document_file):
        assert not default_storage.exists(path), path
    assert default_storage.exists(keeper_file)
    with scopes_disabled():
        assert not Candidate.objects.filter(pk=candidate.pk).exists()
        assert not CVJob.objects.filter(pk__in=[job.pk, duplicate.pk]).exists()
        assert not CVJob.objects.filter(text="secret words").exists()
        assert not WebhookDelivery.objects.filter(job_id=job.pk).exists()
        assert not CandidateEmbedding.objects.filter(candidate_id=candidate.pk).exists()
        assert not ScreeningResult.objects.filter(candidate_id=candidate.pk).exists()
        assert not FieldCorrection.objects.filter(job_id=job.pk).exists()
        assert not GeneratedDocument.objects.filter(candidate_id=candidate.pk).exists()
        assert Candidate.objects.filter(pk=keeper.pk).exists()
