"""The one paginator: page numbers and sizes from a query, clamping, the page body, and its use by the APIs."""

from __future__ import annotations

import pytest

from config.errors import ApplicationError
from config.pagination import Page
from tests.factories import CandidateFactory


@pytest.mark.parametrize(
    ("query", "page"),
    [
        ({}, Page(1, 20)),
        ({"page": "3", "page_size": "5"}, Page(3, 5)),
        ({"page": "0", "page_size": "0"}, Page(1, 1)),
        ({"page": "-2", "page_size": "999"}, Page(1, 200)),
    ],
)
def test_query_is_clamped(query, page):
    assert Page.from_query(query) == page


def test_a_smaller_bound_applies():
    assert Page.from_query({"page_size": "150"}, max_size=100).size == 100


@pytest.mark.parametrize("query", [{"page": "two"}, {"page_size": "many"}, {"page": ""}])
def test_non_integers_are_an_application_error(query):
    with pytest.raises(ApplicationError) as raised:
        Page.from_query(query)
    assert raised.value.code == "invalid_pagination"


def test_a_page_of_a_list_and_its_body():
    page = Page(2, 3)
    items, total = page.of(list(range(7)))
    assert (items, total) == ([3, 4, 5], 7)
    assert page.body(items, total) == {"items": [3, 4, 5], "total": 7, "page": 2, "page_size": 3, "pages": 3}
    assert Page(4, 3).of(list(range(7))) == ([], 7)


@pytest.mark.django_db
def test_documents_list_keeps_its_smaller_page_bound(viewer_client, tenant):
    candidate = CandidateFactory(tenant=tenant)
    url = f"/api/v1/talents/{candidate.pk}/documents"
    body = viewer_client.get(url, {"page_size": 500}).json()["data"]
    assert (body["items"], body["total"], body["page_size"], body["pages"]) == ([], 0, 100, 0)
    refused = viewer_client.get(url, {"page": "x"})
    assert refused.status_code == 400 and refused.json()["error_code"] == "invalid_pagination"
