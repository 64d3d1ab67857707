"""Viewers see contacts masked everywhere they can read (issue 16, Why 4): webhook delivery payloads, keyword search
(no match oracle on e-mail or phone) and documents (anonymised ones only)."""

from __future__ import annotations

import pytest

from cvs.models import CVJob
from cvs.selectors import job_result_payload
from tenants.scoping import tenant_scope
from tests.factories import CandidateFactory, CVJobFactory, EndpointFactory
from webhooks.services import webhook_delivery_attempt, webhook_event_emit

pytestmark = pytest.mark.django_db

EMAIL = "zq.hidden.7731@example.org"
PHONE = "+34 699 111 222"
PHONE_E164 = "+34699111222"
CONTACT = {"name": "Ana García", "email": EMAIL, "phone": PHONE, "phone_e164": PHONE_E164}


@pytest.fixture
def delivery(tenant, receiver):
    endpoint = EndpointFactory(tenant=tenant, callback_url=receiver.url(), options={"jsonresume": True})
    with tenant_scope(tenant.pk):
        job = CVJobFactory(
            tenant=tenant, endpoint=endpoint, status=CVJob.Status.COMPLETED,
            data={"contact_info": CONTACT, "experience": [], "education": [], "skills": ["Python"]},
            enrichment={"documents": {"pdf_url": "https://cv.example/api/v1/documents/download/full-cv-link",
                                      "docx_url": None, "expires_at": "2026-12-04T18:00:00+00:00"}},
        )
        return webhook_event_emit(endpoint=endpoint, event_type="cv.completed", payload=job_result_payload(job), job=job)


def test_viewer_reads_delivery_payloads_with_contacts_masked_and_no_document_link(viewer_client, delivery):
    payload = viewer_client.get(f"/api/v1/webhooks/deliveries/{delivery.pk}").json()["data"]["payload"]
    for secret in (EMAIL, "zq.hidden", PHONE, PHONE_E164, "699111222", "full-cv-link"):
        assert secret not in payload
    assert '"email":"zq.***@example.org"' in payload and '"phone":"346****1222"' in payload
    assert '"pdf_url":null' in payload and '"expires_at":"2026-12-04T18:00:00+00:00"' in payload
    assert '"jsonresume":{' in payload and '"name":"Ana García"' in payload


@pytest.mark.parametrize("role_client", ["hr_client", "admin_client"])
def test_hr_and_admin_read_the_exact_body_sent(request, role_client, delivery):
    client = request.getfixturevalue(role_client)
    payload = client.get(f"/api/v1/webhooks/deliveries/{delivery.pk}").json()["data"]["payload"]
    assert payload == delivery.payload and EMAIL in payload and "full-cv-link" in payload


def test_viewer_gets_no_response_excerpt_where_a_receiver_echoes_contacts(viewer_client, hr_client, delivery, receiver):
    receiver.script = [(422, {}, f"rejected: unknown e-mail {EMAIL}")]
    with tenant_scope(delivery.tenant_id):
        webhook_delivery_attempt(delivery_id=delivery.pk)
    listed = viewer_client.get("/api/v1/webhooks/deliveries").json()["data"]["items"]
    detail = viewer_client.get(f"/api/v1/webhooks/deliveries/{delivery.pk}").json()["data"]
    assert [row["response_excerpt"] for row in listed] == [None] and detail["response_excerpt"] is None
    assert [(a["status_code"], a["response_excerpt"]) for a in detail["attempt_log"]] == [(422, None)]
    assert EMAIL not in str(listed) + str(detail)
    hr_detail = hr_client.get(f"/api/v1/webhooks/deliveries/{delivery.pk}").json()["data"]
    assert EMAIL in hr_detail["response_excerpt"] and EMAIL in hr_detail["attempt_log"][0]["response_excerpt"]


@pytest.fixture
def hidden(tenant):
    with tenant_scope(tenant.pk):
        return CandidateFactory(
            tenant=tenant, name="Ana García", email=EMAIL, phone=PHONE, headline="Backend Engineer",
            data={"contact_info": CONTACT, "experience": [{"company": "Acme"}], "education": [], "skills": ["Python"]},
        )


def found(client, keyword: str) -> list[str]:
    response = client.get("/api/v1/talents", {"keyword": keyword})
    assert response.status_code == 200, response.content
    return [item["name"] for item in response.json()["data"]["items"]]


@pytest.mark.parametrize("keyword", [EMAIL, "zq.hidden.7731", "699111222", PHONE_E164])
def test_viewer_keyword_search_does_not_match_contact_fields(viewer_client, hr_client, hidden, keyword):
    assert found(viewer_client, keyword) == []
    assert found(hr_client, keyword) == ["Ana García"]


def test_viewer_keyword_search_still_matches_the_rest_of_the_cv(viewer_client, hidden):
    assert found(viewer_client, "Acme") == ["Ana García"]  # inside the CV data
    assert found(viewer_client, "backend engineer") == ["Ana García"]


def test_viewer_lists_only_anonymised_documents(viewer_client, hr_client, tenant):
    with tenant_scope(tenant.pk):
        candidate = CandidateFactory(tenant=tenant)
    for anonymised in (False, True):
        made = hr_client.post(f"/api/v1/talents/{candidate.pk}/documents", {"format": "pdf", "anonymised": anonymised},
                              format="json")
        assert made.status_code == 201, made.content
    viewer_items = viewer_client.get(f"/api/v1/talents/{candidate.pk}/documents").json()["data"]["items"]
    assert [item["anonymised"] for item in viewer_items] == [True]
    hr_items = hr_client.get(f"/api/v1/talents/{candidate.pk}/documents").json()["data"]["items"]
    assert sorted(item["anonymised"] for item in hr_items) == [False, True]
