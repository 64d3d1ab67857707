"""Client input that used to answer 500 answers a 4xx JSON envelope with a stable code (issue #16, Why 6)."""

from __future__ import annotations

import io
import json
import struct
import zipfile

import pytest
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import TooManyFieldsSent
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from config.ninja import api as ninja_api
from cvs.models import CVJob
from tenants.scoping import scopes_disabled
from tests.cvs import files


def pdf_upload(name: str = "cv.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, files.pdf_bytes(), content_type="application/pdf")


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/users", "/api/v1/talents", "/api/v1/conditions"])
def test_huge_page_number_is_a_client_error(admin_client, path):
    response = admin_client.get(f"{path}?page=99999999999999999999")

    assert 400 <= response.status_code < 500
    assert response.json()["success"] is False


@pytest.mark.django_db
def test_nul_in_query_text_is_a_validation_error(admin_client):
    response = admin_client.get("/api/v1/talents?keyword=%00")

    assert response.status_code == 400
    assert response.json()["error_code"] == "invalid"


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/users/%C2%B9", "/api/v1/schools/%C2%B9", "/api/v1/api-keys/%C2%B2"])
def test_unicode_digit_id_is_not_found(admin_client, path):
    response = admin_client.get(path)

    assert response.status_code == 404
    assert response.json()["success"] is False


@pytest.mark.django_db(transaction=True)
def test_nul_in_analysis_query_is_a_validation_error_on_ninja(hr_client):
    response = hr_client.post("/api/v1/analysis/query", {"question": "Python\u0000 developers"}, format="json")

    assert response.status_code == 400
    assert response.json()["error_code"] == "invalid"


def _nested(depth: int) -> str:
    return '{"a": ' + "[" * depth + "]" * depth + "}"


@pytest.mark.django_db
@pytest.mark.parametrize("depth", [100_000, 40])
def test_deeply_nested_intake_metadata_is_refused(key_client, endpoint, depth):
    upload = SimpleUploadedFile("cv.pdf", files.pdf_bytes())

    response = key_client.post(f"/cv/{endpoint.pk}", {"file": upload, "metadata": _nested(depth)}, format="multipart")

    assert response.status_code == 400, response.content[:300]
    assert response.json()["error_code"] == "json_too_deep"
    with scopes_disabled():
        assert not CVJob.objects.exists()


@pytest.mark.django_db
def test_metadata_within_the_depth_limit_is_kept(key_client, endpoint):
    upload = SimpleUploadedFile("cv.pdf", files.pdf_bytes())

    response = key_client.post(f"/cv/{endpoint.pk}", {"file": upload, "metadata": _nested(20)}, format="multipart")

    assert response.status_code == 202, response.content[:300]


@pytest.mark.django_db
def test_deeply_nested_json_body_is_refused(admin_client):
    response = admin_client.generic("POST", "/api/v1/endpoints", _nested(100_000), content_type="application/json")

    assert response.status_code == 400, response.content[:300]
    assert response.json()["error_code"] == "json_too_deep"


@pytest.mark.django_db
def test_too_many_form_fields_on_a_batch_route_is_a_client_error(hr_client):
    fields = {f"field{i}": "x" for i in range(1_001)}

    response = hr_client.post("/api/v1/talents/batch-upload", {"files": [pdf_upload()], **fields}, format="multipart")

    assert response.status_code == 400
    assert response.json()["error_code"] == "too_many_fields"


@pytest.mark.django_db
def test_too_many_files_on_a_batch_route_is_a_client_error(hr_client, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 3

    response = hr_client.post("/api/v1/talents/batch-upload", {"files": [pdf_upload(f"{i}.pdf") for i in range(4)]},
                              format="multipart")

    assert response.status_code == 400
    assert response.json()["error_code"] == "too_many_files"


@pytest.mark.django_db
def test_zip_member_with_a_bad_crc_is_reported_not_a_server_error(hr_client):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("good.pdf", files.pdf_bytes())
        archive.writestr("damaged.pdf", files.pdf_bytes() + b"% another file\n")
        crc = struct.pack("<I", archive.getinfo("damaged.pdf").CRC)
    # The member's data no longer matches the CRC-32 its headers declare.
    raw = buffer.getvalue().replace(crc, struct.pack("<I", int.from_bytes(crc, "little") ^ 1))
    upload = SimpleUploadedFile("cvs.zip", raw, content_type="application/zip")

    response = hr_client.post("/api/v1/talents/batch-upload", {"files": [upload]}, format="multipart")

    assert response.status_code == 202, response.content[:300]
    data = response.json()["data"]
    assert data["file_count"] == 1
    assert [(item["file"], item["error_code"]) for item in data["rejected"]] == [("damaged.pdf", "corrupt_file")]


@pytest.mark.parametrize(("exc", "status", "code"), [
    (RuntimeError("a bug"), 500, "server_error"),
    (Http404("gone"), 404, "not_found"),
    (DjangoPermissionDenied(), 403, "permission_denied"),
    (TooManyFieldsSent("too many"), 400, "too_many_fields"),
])
def test_ninja_answers_every_error_with_the_json_envelope(rf, exc, status, code):
    response = ninja_api.on_exception(rf.get("/api/v1/analysis/history"), exc)

    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = json.loads(response.content)
    assert body["success"] is False and body["data"] is None and body["error_code"] == code


@pytest.mark.django_db(transaction=True)
def test_ninja_unparseable_body_is_coded_like_drf(hr_client):
    response = hr_client.generic("POST", "/api/v1/analysis/query", "{not json", content_type="application/json")

    assert response.status_code == 400
    assert response.json()["error_code"] == "invalid"


@pytest.mark.django_db
def test_nul_in_intake_metadata_is_a_validation_error(key_client, endpoint):
    upload = SimpleUploadedFile("cv.pdf", files.pdf_bytes())

    response = key_client.post(f"/cv/{endpoint.pk}", {"file": upload, "metadata": '{"note": "a\\u0000b"}'}, format="multipart")

    assert response.status_code == 400, response.content[:300]
    assert response.json()["success"] is False
    assert default_storage.listdir(f"cvs/{endpoint.tenant_id}") == ([], [])  # no file left without its job


@pytest.mark.django_db
@pytest.mark.parametrize("body", [{"name": "ATS\u0000"}, {"name": "ATS", "options": {"condition_id": "\u0000"}},
                                  {"name": "ATS", "options": {"\u0000": True}}])
def test_nul_in_endpoint_fields_is_a_validation_error(admin_client, body):
    response = admin_client.post("/api/v1/endpoints", body, format="json")

    assert response.status_code == 400, response.content[:300]
    assert response.json()["success"] is False


@pytest.mark.django_db(transaction=True)
def test_nul_in_a_streamed_analysis_query_is_a_validation_error(hr_client):
    response = hr_client.post("/api/v1/analysis/stream", {"question": "Python\u0000 developers"}, format="json")

    assert response.status_code == 400
    assert response.json()["success"] is False


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("path", ["/api/v1/analysis/query", "/api/v1/talents/batch-upload"])
def test_a_method_the_route_does_not_serve_answers_a_json_405(hr_client, path):
    response = hr_client.put(path, {}, format="json")

    assert response.status_code == 405
    assert response.json()["error_code"] == "method_not_allowed"
    assert "POST" in response["Allow"]
