"""/api/v1/talents: list filters and sorting, masked detail, edits, soft deletion, tenant isolation, roles."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from cvs.models import Candidate
from tenants.scoping import scopes_disabled, tenant_scope
from tests.factories import CandidateFactory

pytestmark = pytest.mark.django_db


def make(tenant, **fields):
    with tenant_scope(tenant):
        return CandidateFactory(tenant=tenant, **fields)


def names(response):
    assert response.status_code == 200, response.content
    return [item["name"] for item in response.json()["data"]["items"]]


@pytest.fixture
def pool(tenant):
    now = timezone.now()
    people = [
        make(tenant, name="Ana García", headline="Backend Engineer", skills=["Python", "Django", "PostgreSQL"],
             education_level="master", years_of_experience=6, screening_status="qualified"),
        make(tenant, name="王凯", headline="产品经理", skills=["Vue.js", "Kubernetes"], education_level="bachelor",
             years_of_experience=6.6, screening_status="unqualified",
             data={"contact_info": {"name": "王凯"}, "experience": [{"company": "数字100网络有限公司"}], "education": [],
                   "skills": ["Vue.js"]}),
        make(tenant, name="Luc Martin", headline="Data Scientist", skills=["python", "postgres", "Spark"],
             education_level="doctorate", years_of_experience=2),
        make(tenant, name="Gone Person", skills=["Python"], is_deleted=True),
    ]
    with tenant_scope(tenant):
        Candidate.objects.filter(pk=people[2].pk).update(created_at=now - timedelta(days=10))
    return people


def test_list_envelope_and_default_order(viewer_client, pool):
    response = viewer_client.get("/api/v1/talents?page=1&page_size=2")
    data = response.json()["data"]
    assert data["total"] == 3 and data["page"] == 1 and data["page_size"] == 2 and data["pages"] == 2
    assert [item["name"] for item in data["items"]] == ["王凯", "Ana García"]
    assert set(data["items"][0]) >= {"id", "name", "education_level", "school", "major", "work_years", "skills", "screening_status"}
    assert "email" not in data["items"][0] and "phone" not in data["items"][0]


def test_filters(viewer_client, pool):
    get = viewer_client.get
    assert names(get("/api/v1/talents?screening_status=qualified")) == ["Ana García"]
    assert names(get("/api/v1/talents?education_level=本科")) == ["王凯"]
    assert names(get("/api/v1/talents?education_level=master,doctorate&ordering=name")) == ["Ana García", "Luc Martin"]
    assert names(get("/api/v1/talents?skills=python,PostgreSQL&ordering=name")) == ["Ana García", "Luc Martin"]
    assert names(get("/api/v1/talents?skills=vue")) == ["王凯"]
    assert names(get("/api/v1/talents?skills=python,spark")) == ["Luc Martin"]
    assert names(get("/api/v1/talents?years_min=5&years_max=6.5")) == ["Ana García"]
    assert names(get("/api/v1/talents?work_years_min=6.5")) == ["王凯"]
    since = (timezone.now() - timedelta(days=2)).date().isoformat()
    assert names(get(f"/api/v1/talents?created_from={since}&ordering=name")) == ["Ana García", "王凯"]
    assert names(get(f"/api/v1/talents?created_to={since}")) == ["Luc Martin"]
    assert names(get("/api/v1/talents?ordering=-work_years")) == ["王凯", "Ana García", "Luc Martin"]
    assert names(get("/api/v1/talents?deleted=true")) == ["Gone Person"]


def test_keyword_full_text_and_cjk(viewer_client, pool):
    assert names(viewer_client.get("/api/v1/talents?keyword=engineer backend")) == ["Ana García"]  # any word order
    assert names(viewer_client.get("/api/v1/talents?keyword=产品")) == ["王凯"]
    assert names(viewer_client.get("/api/v1/talents?keyword=数字100")) == ["王凯"]  # inside the CV data
    assert names(viewer_client.get("/api/v1/talents?keyword=nobody-matches-this")) == []


@pytest.mark.parametrize(
    "query",
    ["screening_status=great", "education_level=wizard", "ordering=password", "years_min=lots",
     "created_from=yesterday", "condition_id=12"],
)
def test_invalid_filters_are_400(viewer_client, query):
    response = viewer_client.get(f"/api/v1/talents?{query}")
    assert response.status_code == 400 and response.json()["success"] is False


def test_detail_masks_contacts_for_viewers(viewer_client, hr_client, tenant):
    candidate = make(tenant, name="张三", email="zhangsan@example.com", phone="138 1234 1234")
    with tenant_scope(tenant):
        Candidate.objects.filter(pk=candidate.pk).update(
            data={**candidate.data, "contact_info": {"name": "张三", "email": "zhangsan@example.com", "phone": "13812341234"}})
    seen = viewer_client.get(f"/api/v1/talents/{candidate.pk}").json()["data"]
    assert seen["phone"] == "138****1234" and seen["email"] == "zha***@example.com"
    assert seen["data"]["contact_info"]["email"] == "zha***@example.com" and seen["data"]["contact_info"]["phone"] == "138****1234"
    full = hr_client.get(f"/api/v1/talents/{candidate.pk}").json()["data"]
    assert full["phone"] == "138 1234 1234" and full["email"] == "zhangsan@example.com"
    assert full["data"]["contact_info"]["email"] == "zhangsan@example.com"


def test_detail_has_signed_photo_urls(viewer_client, tenant):
    path = default_storage.save(f"cvs/{tenant.pk}/photo.png", ContentFile(b"\x89PNG fake"))
    candidate = make(tenant, photo_paths=[path])
    urls = viewer_client.get(f"/api/v1/talents/{candidate.pk}").json()["data"]["photo_urls"]
    assert len(urls) == 1 and path in urls[0] and "Signature" in urls[0]


def test_update_validates_and_keeps_data_in_step(hr_client, tenant):
    candidate = make(tenant, skills=["Python"])
    response = hr_client.put(f"/api/v1/talents/{candidate.pk}",
                             {"name": "李四", "skills": ["Java", "java", "Spring", "K8s", "kubernetes"], "work_years": 4},
                             format="json")
    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert data["name"] == "李四" and data["skills"] == ["Java", "Spring", "K8s"] and data["work_years"] == 4
    assert data["data"]["contact_info"]["name"] == "李四" and data["data"]["skills"] == ["Java", "Spring", "K8s"]
    assert data["data"]["years_of_experience"] == 4


def test_update_normalises_contacts_as_the_pipeline_does(hr_client, tenant):
    """Duplicate detection matches on lower-cased e-mail and E.164 phone: API edits must store both."""
    candidate = make(tenant, email="old@example.com", phone="", phone_e164="")
    response = hr_client.patch(f"/api/v1/talents/{candidate.pk}",
                               {"email": "Jane.Roe@Example.COM", "phone": "+34 612 345 678"}, format="json")
    assert response.status_code == 200, response.content
    with tenant_scope(tenant):
        stored = Candidate.objects.get(pk=candidate.pk)
    assert (stored.email, stored.phone, stored.phone_e164) == ("jane.roe@example.com", "+34 612 345 678", "+34612345678")
    assert "phone_e164" not in (stored.data.get("contact_info") or {}) or stored.data["contact_info"]["phone_e164"] is None


def test_update_with_structured_data_checks_the_contract(hr_client, tenant):
    candidate = make(tenant)
    bad = {"data": {"contact_info": {"name": "x"}, "experience": [], "education": [], "skills": []}}
    response = hr_client.patch(f"/api/v1/talents/{candidate.pk}", bad, format="json")
    assert response.status_code == 400 and "'email' is a required property" in response.json()["message"]
    bad_date = {"data": {"contact_info": {"name": "x", "email": None, "phone": None},
                         "experience": [{"start_date": "March 2020"}], "education": [], "skills": []}}
    response = hr_client.patch(f"/api/v1/talents/{candidate.pk}", bad_date, format="json")
    assert response.status_code == 400 and "start_date" in response.json()["message"]
    good = {"data": {"contact_info": {"name": "Nuria Vidal", "email": "nuria@example.com", "phone": None, "location": "Valencia"},
                     "headline": "QA Engineer", "years_of_experience": 3.5, "education_level": "bachelor",
                     "experience": [], "education": [{"institution": "Universitat Politècnica de València"}], "skills": ["Selenium"]}}
    data = hr_client.patch(f"/api/v1/talents/{candidate.pk}", good, format="json").json()["data"]
    assert (data["name"], data["headline"], data["location"], data["school"], data["skills"], data["work_years"]) == (
        "Nuria Vidal", "QA Engineer", "Valencia", "Universitat Politècnica de València", ["Selenium"], 3.5)
    assert hr_client.patch(f"/api/v1/talents/{candidate.pk}", {"education_level": "guru"}, format="json").status_code == 400
    for label, level in [("本科", "bachelor"), ("硕士", "master"), ("Máster", "master"), ("doctorat", "doctorate")]:
        response = hr_client.patch(f"/api/v1/talents/{candidate.pk}", {"education_level": label}, format="json")
        assert response.status_code == 200 and response.json()["data"]["education_level"] == level, label
    assert hr_client.patch(f"/api/v1/talents/{candidate.pk}", {}, format="json").status_code == 400


def test_soft_delete_restore_and_batches(hr_client, tenant):
    a, b, c = (make(tenant, name=n) for n in "abc")
    assert hr_client.delete(f"/api/v1/talents/{a.pk}").status_code == 200
    assert names(hr_client.get("/api/v1/talents?ordering=name")) == ["b", "c"]
    assert hr_client.get(f"/api/v1/talents/{a.pk}").json()["data"]["is_deleted"] is True
    assert hr_client.post(f"/api/v1/talents/{a.pk}/restore").status_code == 200
    assert names(hr_client.get("/api/v1/talents?ordering=name")) == ["a", "b", "c"]
    response = hr_client.post("/api/v1/talents/batch-update-status", {"ids": [str(a.pk), str(b.pk)], "screening_status": "interview"},
                              format="json")
    assert response.json()["data"] == {"updated": 2}
    assert names(hr_client.get("/api/v1/talents?screening_status=interview&ordering=name")) == ["a", "b"]
    assert hr_client.post("/api/v1/talents/batch-delete", {"ids": [str(b.pk), str(c.pk)]}, format="json").json()["data"] == {"deleted": 2}
    assert names(hr_client.get("/api/v1/talents")) == ["a"]
    with scopes_disabled():
        assert Candidate.objects.count() == 3  # soft: rows stay


def test_deleting_again_keeps_the_first_deletion_time(hr_client, tenant):
    candidate = make(tenant, name="a")
    first = hr_client.delete(f"/api/v1/talents/{candidate.pk}")
    deleted_at = hr_client.get(f"/api/v1/talents/{candidate.pk}").json()["data"]["deleted_at"]
    assert first.status_code == 200 and deleted_at
    assert hr_client.delete(f"/api/v1/talents/{candidate.pk}").status_code == 200
    assert hr_client.post("/api/v1/talents/batch-delete", {"ids": [str(candidate.pk)]}, format="json").json()["data"] == {"deleted": 0}
    assert hr_client.get(f"/api/v1/talents/{candidate.pk}").json()["data"]["deleted_at"] == deleted_at
    assert hr_client.post(f"/api/v1/talents/{candidate.pk}/restore").json()["data"]["is_deleted"] is False
    assert hr_client.get(f"/api/v1/talents/{candidate.pk}").json()["data"]["deleted_at"] is None


def test_batch_validation(hr_client):
    assert hr_client.post("/api/v1/talents/batch-delete", {"ids": []}, format="json").status_code == 400
    assert hr_client.post("/api/v1/talents/batch-delete", {"ids": ["nope"]}, format="json").status_code == 400
    response = hr_client.post("/api/v1/talents/batch-update-status", {"ids": [], "screening_status": "famous"}, format="json")
    assert response.status_code == 400


def test_viewer_cannot_write(viewer_client, tenant):
    candidate = make(tenant)
    assert viewer_client.patch(f"/api/v1/talents/{candidate.pk}", {"name": "x"}, format="json").status_code == 403
    assert viewer_client.delete(f"/api/v1/talents/{candidate.pk}").status_code == 403
    assert viewer_client.post(f"/api/v1/talents/{candidate.pk}/restore").status_code == 403
    assert viewer_client.post("/api/v1/talents/batch-delete", {"ids": [str(candidate.pk)]}, format="json").status_code == 403
    assert viewer_client.post("/api/v1/talents/batch-update-status", {"ids": [str(candidate.pk)], "screening_status": "hired"},
                              format="json").status_code == 403
    assert viewer_client.post("/api/v1/talents/sync-vectors", {}, format="json").status_code == 403


def test_other_tenants_talents_are_404(hr_client, other_tenant):
    foreign = make(other_tenant, name="Foreign")
    assert hr_client.get(f"/api/v1/talents/{foreign.pk}").status_code == 404
    assert hr_client.patch(f"/api/v1/talents/{foreign.pk}", {"name": "x"}, format="json").status_code == 404
    assert hr_client.delete(f"/api/v1/talents/{foreign.pk}").status_code == 404
    assert hr_client.post(f"/api/v1/talents/{foreign.pk}/restore").status_code == 404
    assert hr_client.get("/api/v1/talents/not-a-uuid").status_code == 404
    assert hr_client.get("/api/v1/talents").json()["data"]["total"] == 0
    # Batch operations silently skip ids outside the tenant.
    assert hr_client.post("/api/v1/talents/batch-delete", {"ids": [str(foreign.pk)]}, format="json").json()["data"] == {"deleted": 0}
    with scopes_disabled():
        assert not Candidate.objects.get(pk=foreign.pk).is_deleted


def test_sync_vectors_reports_missing_embeddings(hr_client, tenant):
    make(tenant)
    response = hr_client.post("/api/v1/talents/sync-vectors", {"fix": False}, format="json")
    assert response.status_code == 200, response.content
    report = response.json()["data"]
    assert report["checked"] == 1 and report["missing"] == 1 and report["queued"] == 0
    assert hr_client.post("/api/v1/talents/sync-chroma", {"fix": "maybe"}, format="json").status_code == 400
