import json
from io import StringIO

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def _provision(**extra) -> dict:
    out = StringIO()
    call_command("provision", tenant="Acme", admin="acme-admin", password="pass-word-123", json=True, stdout=out, **extra)
    return json.loads(out.getvalue())


def test_provision_output_drives_the_api():
    first = _provision(callback_url="http://127.0.0.1:9/hook")
    assert set(first) >= {"tenant", "username", "api_key", "endpoint_id", "webhook_secret"}
    second = _provision()
    assert second["tenant"] == first["tenant"] and second["api_key"] != first["api_key"]
    login = APIClient().post("/api/v1/auth/login", {"username": "acme-admin", "password": "pass-word-123"}, format="json")
    assert login.status_code == 200
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {login.json()['data']['access_token']}")
    endpoint = client.get(f"/api/v1/endpoints/{first['endpoint_id']}").json()["data"]
    assert endpoint["secret"] == first["webhook_secret"]
