"""The asynchronous CV API (cv-webhook-api.es): POST /cv/{endpoint_id} with a Bearer API key → 202 {message, request_id};
the result arrives as a JSON POST to the endpoint's callback URL: {request_id, status: completed|failed, data, error}."""

from __future__ import annotations

import json
import unicodedata
import uuid

import pytest

from tests.conftest import wait_until
from tests.cvs import files
from tests.factories import EndpointFactory

pytestmark = pytest.mark.django_db(transaction=True)

# The structured model the specification's example carries, field by field.
CONTACT_FIELDS = {"name", "email", "phone"}
EXPERIENCE_FIELDS = {"title", "company", "period", "description"}
EDUCATION_FIELDS = {"institution", "degree", "period"}


@pytest.fixture
def callback(tenant, receiver):
    return EndpointFactory(tenant=tenant, callback_url=receiver.url())


def fold(text: str | None) -> str:
    """Accents dropped: OCR of an image may read "í" as "i"; the field is what the client checks."""
    return "".join(c for c in unicodedata.normalize("NFKD", text or "") if not unicodedata.combining(c))


def send(http, api_key, endpoint_id, name, content):
    return http.post(f"/cv/{endpoint_id}", files={"file": (name, content)},
                     headers={"Authorization": f"Bearer {api_key}", "accept": "application/json"})


def webhooks(receiver, count):
    """The JSON bodies the client's webhook received, by request_id (a client needs no signature library to read them)."""
    wait_until(lambda: len(receiver.requests) >= count, timeout=120, interval=0.3)
    bodies = [json.loads(request.body) for request in receiver.requests]
    return {body["request_id"]: body for body in bodies}


def test_each_supported_format_is_accepted_then_completed_by_webhook(celery_worker, http, api_key, callback, receiver):
    cvs = {"cv.pdf": files.pdf_bytes(), "cv.docx": files.docx_bytes(), "cv.png": files.image_bytes(),
           "cv.jpg": files.image_bytes(fmt="JPEG")}
    request_ids = {}
    for name, content in cvs.items():
        response = send(http, api_key, callback.pk, name, content)
        assert response.status_code == 202, response.text
        assert response.headers["content-type"].startswith("application/json")
        body = response.json()
        assert isinstance(body["message"], str) and body["message"]
        request_ids[name] = str(uuid.UUID(body["request_id"]))
    received = webhooks(receiver, len(cvs))
    assert set(received) == set(request_ids.values())
    for name, request_id in request_ids.items():
        hook = received[request_id]
        assert receiver.requests[0].headers["content-type"].startswith("application/json")
        assert hook["status"] == "completed" and hook["error"] is None, (name, hook["error"])
        data = hook["data"]
        assert set(data["contact_info"]) >= CONTACT_FIELDS and "summary" in data
        assert fold(data["contact_info"]["name"]) == "Laura Martin", name
        assert data["contact_info"]["email"] == "laura.martin@example.com", name
        assert data["contact_info"]["phone"], name
        assert data["experience"] and all(set(job) >= EXPERIENCE_FIELDS for job in data["experience"]), name
        assert data["education"] and all(set(school) >= EDUCATION_FIELDS for school in data["education"]), name
        assert "Acme Cloud" in (data["experience"][0]["company"] or ""), name
        assert isinstance(data["skills"], list) and all(isinstance(skill, str) for skill in data["skills"])
        assert {"Python", "Django", "PostgreSQL"} <= set(data["skills"]), name


def test_a_file_that_cannot_be_read_ends_failed_with_data_null_and_an_error(celery_worker, http, api_key, callback, receiver):
    accepted = send(http, api_key, callback.pk, "cv.pdf", b"%PDF-1.7\n" + b"\x00garbage" * 500)
    assert accepted.status_code == 202
    hook = webhooks(receiver, 1)[accepted.json()["request_id"]]
    assert hook["status"] == "failed" and hook["data"] is None
    assert isinstance(hook["error"], str) and hook["error"]


def test_an_unsupported_type_is_refused_and_still_ends_with_a_failed_webhook(celery_worker, http, api_key, callback, receiver):
    # The specification accepts PDF, DOCX, PNG and JPG (this service reads more); anything unreadable is refused at once.
    refused = send(http, api_key, callback.pk, "cv.zip", files.zip_bytes())
    assert refused.status_code == 415
    body = refused.json()
    hook = webhooks(receiver, 1)[body["request_id"]]
    assert hook["status"] == "failed" and hook["data"] is None and hook["error"]


def test_credentials_and_endpoint_are_checked(http, api_key, callback, other_tenant):
    content = files.pdf_bytes()
    assert http.post(f"/cv/{callback.pk}", files={"file": ("cv.pdf", content)}).status_code == 401
    assert send(http, "cvp_nope_nope", callback.pk, "cv.pdf", content).status_code == 401
    assert send(http, api_key, uuid.uuid4(), "cv.pdf", content).status_code == 404
    # Another tenant's endpoint does not exist for this key.
    assert send(http, api_key, EndpointFactory(tenant=other_tenant).pk, "cv.pdf", content).status_code == 404
