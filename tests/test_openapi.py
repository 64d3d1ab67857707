import pytest
from rest_framework.test import APIClient


@pytest.mark.django_db
def test_openapi_schema_and_docs_are_served():
    client = APIClient()
    schema = client.get("/api/schema/?format=json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    for path in ("/cv/{endpoint_id}", "/cv/requests/{request_id}", "/api/v1/auth/login", "/api/v1/endpoints"):
        assert path in paths
    assert client.get("/api/docs/").status_code == 200
    assert client.get("/api/v1/docs").status_code == 200
