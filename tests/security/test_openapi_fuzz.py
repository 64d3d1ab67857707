"""schemathesis against both OpenAPI schemas (DRF and django-ninja): no generated input answers 5xx (issue #16).

The service runs under uvicorn as bin/run starts it (the ``asgi_server`` fixture); schemathesis runs as its
CLI, bounded by examples per operation. docs/security.md has the command and the case counts.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from rest_framework.test import APIClient

from tenants.models import Role
from tenants.services import api_key_create
from tests.factories import EndpointFactory, MembershipFactory, TenantFactory

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

MAX_EXAMPLES = 10


def _run(tmp_path: Path, schema_url: str, token: str, name: str, *filters: str) -> tuple[int, str]:
    """One schemathesis run, server-error check only; its output is kept as ``tmp_path / f"{name}.txt"``."""
    command = [
        sys.executable, "-m", "schemathesis.cli", "--no-color", "--config-file", str(tmp_path / "schemathesis.toml"),
        "run", schema_url, "--checks", "not_a_server_error", "--max-examples", str(MAX_EXAMPLES), "--seed", "16",
        # One worker: hypothesis describes strategies with ast.parse, which CPython 3.11 cannot run in threads.
        "--workers", "1", "--request-timeout", "30", "--suppress-health-check", "all",
        "--header", f"Authorization: Bearer {token}", *filters,
    ]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=tmp_path)
    (tmp_path / f"{name}.txt").write_text(completed.stdout + completed.stderr)
    generated = re.search(r"(\d+) generated", completed.stdout)
    return completed.returncode, completed.stdout[-6000:] if completed.returncode else (generated.group(0) if generated else "")


@pytest.fixture
def credentials(transactional_db, tmp_path) -> tuple[str, str]:
    """A tenant admin's JWT and an API key of the same tenant; an endpoint whose id schemathesis uses for /cv/{id},
    so that intake requests reach the upload's validation instead of a 404."""
    tenant = TenantFactory()
    membership = MembershipFactory(tenant=tenant, role=Role.ADMIN)
    endpoint = EndpointFactory(tenant=tenant)
    (tmp_path / "schemathesis.toml").write_text(f'[parameters]\n"path.endpoint_id" = "{endpoint.pk}"\n')
    login = APIClient().post("/api/v1/auth/login", {"username": membership.user.username, "password": "pass-word-123"},
                             format="json")
    return login.json()["data"]["access_token"], api_key_create(tenant=tenant, name="fuzz").raw


def test_no_generated_request_answers_a_server_error(asgi_server, credentials, tmp_path, settings):
    token, api_key = credentials
    base = f"http://{asgi_server}"
    runs = {
        # The client-system routes (/cv/...) take an API key; the rest of the DRF schema a JWT.
        "drf-intake": _run(tmp_path, f"{base}/api/schema/?format=json", api_key, "drf-intake", "--include-path-regex", "^/cv/"),
        "drf": _run(tmp_path, f"{base}/api/schema/?format=json", token, "drf", "--exclude-path-regex", "^/cv/"),
        "ninja": _run(tmp_path, f"{base}/api/v1/openapi.json", token, "ninja"),
    }
    print({name: summary for name, (_, summary) in runs.items()})  # the case counts, for docs/security.md

    failed = {name: summary for name, (code, summary) in runs.items() if code != 0}
    assert not failed, failed
