"""/api/v1/conditions and /api/v1/schools: CRUD, validation, roles, tenant isolation."""

import pytest

from screening.models import ScreeningCondition, ScreeningResult, TenantSchool
from screening.services import candidate_screen
from tenants.scoping import scopes_disabled, tenant_scope
from tests.factories import CandidateFactory

pytestmark = pytest.mark.django_db

JAVA = {"name": "Java developer", "description": "3+ years of Java",
        "criteria": {"education_level": ["本科", "硕士"], "work_years_min": 3, "skills": ["Java", "Spring"], "school_tier": ["985", "211"]}}


def make_condition(tenant, **criteria):
    with tenant_scope(tenant):
        return ScreeningCondition.objects.create(tenant=tenant, name="c", criteria=criteria)


def test_create_list_get(hr_client):
    response = hr_client.post("/api/v1/conditions", JAVA, format="json")
    assert response.status_code == 201, response.content
    data = response.json()["data"]
    assert data["criteria"]["education_level"] == ["bachelor", "master"]  # stored canonical
    assert data["conditions"] == data["criteria"]
    listed = hr_client.get("/api/v1/conditions?page=1&page_size=10").json()["data"]
    assert listed["total"] == 1 and listed["pages"] == 1 and listed["items"][0]["id"] == data["id"]
    assert hr_client.get(f"/api/v1/conditions/{data['id']}").json()["data"]["name"] == "Java developer"


def test_reference_body_with_conditions_key(hr_client):
    body = {"name": "前端开发工程师", "conditions": {"education_level": ["本科"], "work_years_min": 2,
                                                  "skills": ["Vue", "React", "TypeScript"], "school_tier": []}}
    response = hr_client.post("/api/v1/conditions", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["data"]["criteria"]["skills"] == ["Vue", "React", "TypeScript"]


def test_put_merges_criteria_and_null_removes(hr_client):
    created = hr_client.post("/api/v1/conditions", JAVA, format="json").json()["data"]
    response = hr_client.put(f"/api/v1/conditions/{created['id']}",
                             {"name": "Senior", "conditions": {"work_years_min": 5, "school_tier": None}}, format="json")
    assert response.status_code == 200, response.content
    criteria = response.json()["data"]["criteria"]
    assert response.json()["data"]["name"] == "Senior"
    assert criteria["work_years_min"] == 5 and "school_tier" not in criteria and criteria["skills"] == ["Java", "Spring"]


@pytest.mark.parametrize(
    ("criteria", "fragment"),
    [
        ({"work_years_min": "three"}, "criteria.work_years_min"),
        ({"education_level": ["wizard"]}, "unknown education level 'wizard'"),
        ({"school_tier": ["ivy"]}, "unknown tier(s) ivy"),
        ({"groups": {"operator": "or", "rules": []}}, "criteria.groups.rules"),
        ({"colour": "blue"}, "criteria.colour: Extra inputs are not permitted"),
    ],
)
def test_invalid_criteria_are_400_with_clear_messages(hr_client, criteria, fragment):
    response = hr_client.post("/api/v1/conditions", {"name": "x", "criteria": criteria}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["success"] is False and body["error_code"] == "invalid_criteria" and fragment in body["message"]


def test_missing_name_and_non_object_criteria(hr_client):
    assert hr_client.post("/api/v1/conditions", {"criteria": {}}, format="json").json()["message"].startswith("name:")
    response = hr_client.post("/api/v1/conditions", {"name": "x", "criteria": [1]}, format="json")
    assert response.status_code == 400 and "criteria" in response.json()["message"]


def test_viewer_reads_but_cannot_write(viewer_client, tenant):
    condition = make_condition(tenant, work_years_min=1)
    assert viewer_client.get("/api/v1/conditions").status_code == 200
    assert viewer_client.get(f"/api/v1/conditions/{condition.pk}/results").status_code == 200
    assert viewer_client.post("/api/v1/conditions", JAVA, format="json").status_code == 403
    assert viewer_client.patch(f"/api/v1/conditions/{condition.pk}", {"name": "x"}, format="json").status_code == 403
    assert viewer_client.delete(f"/api/v1/conditions/{condition.pk}").status_code == 403
    assert viewer_client.post(f"/api/v1/conditions/{condition.pk}/rescreen").status_code == 403
    assert viewer_client.post("/api/v1/schools", {"name": "X", "tiers": ["a"]}, format="json").status_code == 403


def test_other_tenants_condition_is_404(hr_client, other_tenant):
    foreign = make_condition(other_tenant, work_years_min=1)
    for call in (hr_client.get, hr_client.delete):
        assert call(f"/api/v1/conditions/{foreign.pk}").status_code == 404
    assert hr_client.patch(f"/api/v1/conditions/{foreign.pk}", {"name": "x"}, format="json").status_code == 404
    assert hr_client.post(f"/api/v1/conditions/{foreign.pk}/rescreen").status_code == 404
    assert hr_client.get(f"/api/v1/conditions/{foreign.pk}/results").status_code == 404
    assert hr_client.get("/api/v1/conditions/not-a-uuid").status_code == 404
    assert hr_client.get("/api/v1/conditions").json()["data"]["total"] == 0
    with scopes_disabled():
        assert ScreeningCondition.objects.filter(pk=foreign.pk).exists()


def test_delete_removes_results(hr_client, tenant):
    condition = make_condition(tenant, work_years_min=1)
    with tenant_scope(tenant):
        candidate_screen(candidate=CandidateFactory(tenant=tenant), condition=condition)
    assert hr_client.delete(f"/api/v1/conditions/{condition.pk}").status_code == 200
    with scopes_disabled():
        assert not ScreeningResult.objects.exists()


def test_results_list_filters_by_qualified(viewer_client, tenant):
    condition = make_condition(tenant, work_years_min=4)
    with tenant_scope(tenant):
        candidate_screen(candidate=CandidateFactory(tenant=tenant, years_of_experience=5), condition=condition)
        candidate_screen(candidate=CandidateFactory(tenant=tenant, years_of_experience=1), condition=condition)
    data = viewer_client.get(f"/api/v1/conditions/{condition.pk}/results?is_qualified=true").json()["data"]
    assert data["total"] == 1 and data["items"][0]["summary"] == "5 years ≥ 4: pass"
    assert viewer_client.get(f"/api/v1/conditions/{condition.pk}/results?is_qualified=maybe").status_code == 400


def test_tenant_school_extends_the_list_for_that_tenant_only(hr_client, make_client, other_tenant):
    response = hr_client.post("/api/v1/schools", {"name": "湖北大学", "aliases": ["Hubei University"], "tiers": ["省重点"]},
                              format="json")
    assert response.status_code == 201, response.content
    school_id = response.json()["data"]["id"]
    # The new tier is usable in this tenant's criteria, with exact alias matching.
    condition = hr_client.post("/api/v1/conditions", {"name": "x", "criteria": {"school_tier": ["省重点"]}}, format="json")
    assert condition.status_code == 201
    listed = hr_client.get("/api/v1/schools?keyword=hubei").json()["data"]
    assert [item["name"] for item in listed["items"]] == ["湖北大学"] and listed["items"][0]["scope"] == "tenant"
    assert hr_client.get("/api/v1/schools?tier=985").json()["data"]["total"] == 39
    assert hr_client.post("/api/v1/schools", {"name": "湖北大学", "tiers": ["x"]}, format="json").status_code == 409
    assert hr_client.post("/api/v1/schools", {"name": "Y", "tiers": []}, format="json").status_code == 400

    other = make_client(other_tenant, "hr")
    assert other.get(f"/api/v1/schools/{school_id}").status_code == 404
    assert other.delete(f"/api/v1/schools/{school_id}").status_code == 404
    assert other.get("/api/v1/schools?keyword=hubei").json()["data"]["total"] == 0
    refused = other.post("/api/v1/conditions", {"name": "x", "criteria": {"school_tier": ["省重点"]}}, format="json")
    assert refused.status_code == 400

    assert hr_client.patch(f"/api/v1/schools/{school_id}", {"aliases": ["HUBU"]}, format="json").json()["data"]["aliases"] == ["HUBU"]
    assert hr_client.delete(f"/api/v1/schools/{school_id}").status_code == 200
    with scopes_disabled():
        assert not TenantSchool.objects.exists()
