"""Endpoint options are checked against one schema on every write path (issue #16, Why 7)."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from rest_framework.test import APIClient

from config.errors import ApplicationError
from cvs.documents.models import GeneratedDocument
from tenants.endpoint_options import DOCUMENT_FORMATS, DOCUMENT_KEYS, KEYS, endpoint_options_clean, endpoint_options_salvage
from tenants.models import Endpoint
from tenants.scoping import scopes_disabled
from tenants.services import endpoint_create
from tests.factories import EndpointFactory

pytestmark = pytest.mark.django_db

BAD_OPTIONS = [
    ("notadict", "options"),
    (["documents"], "options"),
    ({"documents": {"formats": ["odt"]}}, "options.documents.formats"),
    ({"documents": {"formats": "pdf"}}, "options.documents.formats"),
    ({"documents": {"formats": []}}, "options.documents.formats"),
    ({"documents": {"template_id": "nope"}}, "options.documents.template_id"),
    ({"documents": {"anonymised": "yes"}}, "options.documents.anonymised"),
    ({"documents": {"format": ["pdf"]}}, "options.documents.format"),
    ({"documents": "pdf"}, "options.documents"),
    ({"jsonresume": "true"}, "options.jsonresume"),
    ({"evidence": 1}, "options.evidence"),
    ({"deduplicate": None}, "options.deduplicate"),
    ({"condition_id": 12}, "options.condition_id"),
    ({"conditon_id": "00000000-0000-0000-0000-000000000000"}, "options.conditon_id"),
]
GOOD_OPTIONS = {
    "documents": {"formats": ["pdf", "pdf", "docx"], "template_id": "00000000-0000-0000-0000-000000000001", "anonymised": True},
    "jsonresume": True, "evidence": False, "deduplicate": False, "condition_id": None,
}


@pytest.mark.parametrize(("options", "key"), BAD_OPTIONS)
def test_create_refuses_bad_options_naming_the_key(admin_client, options, key):
    response = admin_client.post("/api/v1/endpoints", {"name": "ATS", "options": options}, format="json")

    assert response.status_code == 400, response.content
    body = response.json()
    assert body["error_code"] == "invalid_options"
    assert body["message"].startswith(f"{key}:") and body["field"] == key


@pytest.mark.parametrize(("options", "key"), BAD_OPTIONS)
def test_update_refuses_bad_options_and_keeps_the_stored_ones(admin_client, tenant, options, key):
    endpoint = EndpointFactory(tenant=tenant, options={"jsonresume": True})

    response = admin_client.patch(f"/api/v1/endpoints/{endpoint.pk}", {"options": options}, format="json")

    assert response.status_code == 400, response.content
    assert response.json()["error_code"] == "invalid_options"
    with scopes_disabled():
        endpoint.refresh_from_db()
    assert endpoint.options == {"jsonresume": True}


def test_good_options_are_stored_normalised(admin_client):
    response = admin_client.post("/api/v1/endpoints", {"name": "ATS", "options": GOOD_OPTIONS}, format="json")

    assert response.status_code == 201, response.content
    assert response.json()["data"]["options"]["documents"]["formats"] == ["pdf", "docx"]
    documents_true = admin_client.patch(f"/api/v1/endpoints/{response.json()['data']['id']}", {"options": {"documents": True}},
                                        format="json")
    assert documents_true.status_code == 200 and documents_true.json()["data"]["options"] == {"documents": True}


def test_create_with_is_active_false_makes_an_inactive_endpoint(admin_client):
    response = admin_client.post("/api/v1/endpoints", {"name": "ATS", "is_active": False}, format="json")

    assert response.status_code == 201, response.content
    assert response.json()["data"]["is_active"] is False


def test_the_service_refuses_bad_options_for_every_caller(tenant):
    with pytest.raises(ApplicationError) as refused:
        endpoint_create(tenant=tenant, name="provisioned", options={"documents": {"formats": ["odt"]}})

    assert refused.value.code == "invalid_options"


def test_document_formats_are_the_ones_documents_renders():
    assert set(DOCUMENT_FORMATS) == set(GeneratedDocument.Format.values)


@pytest.mark.parametrize(("stored", "kept"), [
    ("notadict", {}),
    (None, {}),
    ({"documents": {"formats": ["odt"]}, "jsonresume": True}, {"jsonresume": True}),
    ({"documents": {"formats": ["pdf"], "anonymised": "yes"}, "conditon_id": "x", "evidence": 1},
     {"documents": {"formats": ["pdf"]}}),
    (GOOD_OPTIONS, endpoint_options_clean(GOOD_OPTIONS)),
])
def test_options_stored_before_the_schema_keep_only_their_valid_keys(stored, kept):
    assert endpoint_options_salvage(stored) == kept


def test_the_data_migration_cleans_stored_options(tenant):
    poisoned = EndpointFactory(tenant=tenant, options="notadict")
    odt = EndpointFactory(tenant=tenant, options={"documents": {"formats": ["odt"]}, "evidence": True})
    good = EndpointFactory(tenant=tenant, options={"jsonresume": True})
    migration = import_module("tenants.migrations.0005_endpoint_options_schema")
    state = MigrationLoader(connection).project_state(("tenants", "0005_endpoint_options_schema"))

    migration.salvage_options(state.apps, None)

    with scopes_disabled():
        assert [Endpoint.objects.get(pk=e.pk).options for e in (poisoned, odt, good)] == [{}, {"evidence": True},
                                                                                        {"jsonresume": True}]


def test_the_openapi_document_states_the_options_schema():
    schema = APIClient().get("/api/schema/?format=json").json()
    options = schema["components"]["schemas"]["Endpoint"]["properties"]["options"]

    assert options["additionalProperties"] is False and set(options["properties"]) == set(KEYS)
    documents = options["properties"]["documents"]["oneOf"][1]
    assert set(documents["properties"]) == set(DOCUMENT_KEYS)
    assert documents["properties"]["formats"]["items"]["enum"] == list(DOCUMENT_FORMATS)
