"""Results: one per candidate and condition, the pipeline hook, and recomputation on change."""

import pytest

from cvs.models import Batch, Candidate, ScreeningStatus
from screening.models import ScreeningCondition, ScreeningResult
from screening.services import candidate_screen, candidate_screen_for_job, condition_update
from tenants.scoping import scopes_disabled, tenant_scope
from tests.conftest import wait_until
from tests.factories import CandidateFactory, CVJobFactory, EndpointFactory


def condition_for(tenant, **criteria):
    with tenant_scope(tenant):
        return ScreeningCondition.objects.create(tenant=tenant, name="Backend", criteria=criteria)


@pytest.mark.django_db
@pytest.mark.parametrize("where", ["options", "batch", "endpoint"])
def test_pipeline_hook_finds_the_condition(tenant, where):
    condition = condition_for(tenant, skills=["Python", "Go"], work_years_min=3)
    with tenant_scope(tenant):
        candidate = CandidateFactory(tenant=tenant, skills=["python"], years_of_experience=4)
        job = CVJobFactory(tenant=tenant, candidate=candidate)
        if where == "options":
            job.options = {"condition_id": str(condition.pk)}
        elif where == "batch":
            job.batch = Batch.objects.create(tenant=tenant, condition_id=condition.pk, total=1)
        else:
            job.endpoint = EndpointFactory(tenant=tenant, options={"condition_id": str(condition.pk)})
        job.save()
        outcome = candidate_screen_for_job(job=job)
        candidate.refresh_from_db()
    assert outcome["condition_id"] == str(condition.pk) and outcome["is_qualified"] is False
    assert outcome["summary"] == "Python: present; Go: missing; 4 years ≥ 3: pass"
    assert outcome["score"] == pytest.approx(66.7)
    assert [r["passed"] for r in outcome["reasons"]] == [True, False, True]
    assert candidate.screening_status == ScreeningStatus.UNQUALIFIED


@pytest.mark.django_db
def test_pipeline_hook_without_condition_or_with_foreign_one(tenant, other_tenant):
    foreign = condition_for(other_tenant, work_years_min=1)
    with tenant_scope(tenant):
        candidate = CandidateFactory(tenant=tenant)
        assert candidate_screen_for_job(job=CVJobFactory(tenant=tenant, candidate=candidate)) is None
        job = CVJobFactory(tenant=tenant, candidate=candidate, options={"condition_id": str(foreign.pk)})
        assert candidate_screen_for_job(job=job) is None
        assert not ScreeningResult.objects.exists()


@pytest.mark.django_db
def test_one_result_per_pair_and_workflow_status_kept(tenant):
    condition = condition_for(tenant, work_years_min=3)
    with tenant_scope(tenant):
        candidate = CandidateFactory(tenant=tenant, years_of_experience=5, screening_status=ScreeningStatus.INTERVIEW)
        candidate_screen(candidate=candidate, condition=condition)
        candidate_screen(candidate=candidate, condition=condition)
        assert ScreeningResult.objects.filter(candidate=candidate).count() == 1
        assert Candidate.objects.get(pk=candidate.pk).screening_status == ScreeningStatus.INTERVIEW


@pytest.mark.django_db
def test_candidate_change_recomputes_results(tenant, hr_client, django_capture_on_commit_callbacks):
    condition = condition_for(tenant, skills=["Java"])
    with tenant_scope(tenant):
        candidate = CandidateFactory(tenant=tenant, skills=["Python"])
        candidate_screen(candidate=candidate, condition=condition)
    with django_capture_on_commit_callbacks(execute=True):
        response = hr_client.patch(f"/api/v1/talents/{candidate.pk}", {"skills": ["Python", "java"]}, format="json")
    assert response.status_code == 200, response.content
    with tenant_scope(tenant):
        result = ScreeningResult.objects.get(candidate=candidate, condition=condition)
        assert result.is_qualified and result.summary == "Java: present"
        assert Candidate.objects.get(pk=candidate.pk).screening_status == ScreeningStatus.QUALIFIED
    assert hr_client.get(f"/api/v1/talents/{candidate.pk}").json()["data"]["qualification_reason"] == "Java: present"


@pytest.mark.django_db(transaction=True)
def test_condition_change_recomputes_in_the_background(celery_worker, tenant):
    condition = condition_for(tenant, work_years_min=2)
    with tenant_scope(tenant):
        candidates = [CandidateFactory(tenant=tenant, years_of_experience=years) for years in (1, 3, 6)]
        for candidate in candidates:
            candidate_screen(candidate=candidate, condition=condition)
        assert ScreeningResult.objects.filter(is_qualified=True).count() == 2
        condition_update(condition=condition, criteria={"work_years_min": 5})

    def recomputed():
        with scopes_disabled():
            return ScreeningResult.objects.filter(is_qualified=True).count() == 1
    wait_until(recomputed, timeout=60)
    with scopes_disabled():
        statuses = dict(Candidate.objects.values_list("years_of_experience", "screening_status"))
    assert statuses == {1: "unqualified", 3: "unqualified", 6: "qualified"}


@pytest.mark.django_db
def test_status_follows_the_newest_screening_only(tenant):
    from screening.services import screening_condition_rescreen

    older = condition_for(tenant, work_years_min=1)
    newer = condition_for(tenant, work_years_min=10)
    with tenant_scope(tenant):
        candidate = CandidateFactory(tenant=tenant, years_of_experience=5)
        candidate_screen(candidate=candidate, condition=older)
        assert Candidate.objects.get(pk=candidate.pk).screening_status == ScreeningStatus.QUALIFIED
        candidate_screen(candidate=candidate, condition=newer)
        assert Candidate.objects.get(pk=candidate.pk).screening_status == ScreeningStatus.UNQUALIFIED
        # Re-screening the older condition recomputes its result but leaves the status to the newer one.
        assert screening_condition_rescreen(condition=older) == 1
        assert Candidate.objects.get(pk=candidate.pk).screening_status == ScreeningStatus.UNQUALIFIED
        newer.criteria = {"work_years_min": 4}
        newer.save()
        screening_condition_rescreen(condition=newer)
        assert Candidate.objects.get(pk=candidate.pk).screening_status == ScreeningStatus.QUALIFIED
        assert ScreeningResult.objects.filter(candidate=candidate).count() == 2
