from __future__ import annotations

import math

import pytest

from analytics.embeddings import LocalProvider, OpenAIProvider, embedding_provider
from analytics.models import CandidateEmbedding
from analytics.services import candidate_embed, embeddings_refresh_all, embeddings_sync
from config.errors import ApplicationError
from cvs.models import Candidate
from cvs.pipeline.followups import candidate_followups_run
from tenants.scoping import tenant_scope
from tests.analytics.conftest import POOL
from tests.analytics.fake_openai import FakeOpenAI
from tests.conftest import wait_until


def rows(tenant, candidate):
    with tenant_scope(tenant.pk):
        return list(CandidateEmbedding.objects.filter(candidate=candidate).order_by("kind", "position"))


def test_local_provider_gives_unit_vectors_of_the_column_width():
    provider = embedding_provider()
    assert isinstance(provider, LocalProvider) and provider.dim == 384
    first, second, other = provider.embed(["Python developer in Madrid", "Desarrollador Python en Madrid", "Chef pâtissier"])
    assert len(first) == 384 and math.isclose(sum(v * v for v in first), 1.0, rel_tol=1e-4)
    cosine = lambda a, b: sum(x * y for x, y in zip(a, b, strict=True))  # noqa: E731
    assert cosine(first, second) > cosine(first, other)


@pytest.mark.django_db
def test_candidate_embed_is_idempotent_and_follows_changes(tenant, make_candidate):
    candidate = make_candidate(tenant, embed=False, **POOL[4])  # the Chinese profile
    with tenant_scope(tenant.pk):
        assert candidate_embed(candidate_id=candidate.pk) == {"embedded": 2, "kept": 0, "deleted": 0}
        assert candidate_embed(candidate_id=candidate.pk) == {"embedded": 0, "kept": 2, "deleted": 0}
        profile, chunk = rows(tenant, candidate)[1], rows(tenant, candidate)[0]
        assert (profile.kind, chunk.kind) == ("profile", "chunk")
        assert profile.model == embedding_provider().name and profile.dim == 384
        assert "'开发'" in str(profile.search_vector) and "'java'" in str(profile.search_vector)
        Candidate.objects.filter(pk=candidate.pk).update(skills=["Java", "Go"])
        assert candidate_embed(candidate_id=candidate.pk) == {"embedded": 1, "kept": 1, "deleted": 0}
        Candidate.objects.filter(pk=candidate.pk).update(data={})
        assert candidate_embed(candidate_id=candidate.pk)["deleted"] == 1  # the chunk's experience is gone
        Candidate.objects.filter(pk=candidate.pk).update(is_deleted=True)
        candidate_embed(candidate_id=candidate.pk)
    assert rows(tenant, candidate) == []


@pytest.mark.django_db
def test_openai_compatible_provider(tenant, make_candidate, settings):
    with FakeOpenAI() as fake:
        settings.EMBEDDING_PROVIDER, settings.EMBEDDING_BASE_URL = "openai", fake.base_url
        settings.EMBEDDING_API_KEY, settings.EMBEDDING_MODEL = "sk-test", "fake-embed"
        provider = embedding_provider()
        assert isinstance(provider, OpenAIProvider) and provider.name == "openai:fake-embed"
        candidate = make_candidate(tenant, **POOL[0])
        request = fake.requests[-1]
        assert request["path"].endswith("/embeddings") and request["auth"] == "Bearer sk-test"
        assert request["body"]["dimensions"] == 384 and request["body"]["model"] == "fake-embed"
        assert {row.model for row in rows(tenant, candidate)} == {"openai:fake-embed"}

        fake.ignore_dimensions = True  # a server that ignores `dimensions` is refused, not stored
        with pytest.raises(ApplicationError, match="wrong shape"):
            provider.embed(["x"])

    settings.EMBEDDING_PROVIDER = "local"  # a change of model: every row is now stale
    with tenant_scope(tenant.pk):
        assert embeddings_sync(fix=False) == {"checked": 1, "missing": 0, "stale": 1, "queued": 0,
                                              "missing_ids": [], "stale_ids": [str(candidate.pk)]}


@pytest.mark.django_db
def test_embeddings_sync_counts_the_current_tenant_only(tenant, other_tenant, make_candidate, django_capture_on_commit_callbacks):
    make_candidate(tenant, **POOL[0])
    unembedded = make_candidate(tenant, embed=False, **POOL[1])
    make_candidate(other_tenant, embed=False, **POOL[2])
    make_candidate(other_tenant, embed=False, **POOL[3])
    with tenant_scope(tenant.pk):
        assert embeddings_sync(fix=False) == {"checked": 2, "missing": 1, "stale": 0, "queued": 0,
                                              "missing_ids": [str(unembedded.pk)], "stale_ids": []}
        with django_capture_on_commit_callbacks() as callbacks:
            assert embeddings_sync(fix=True)["queued"] == 1
        assert len(callbacks) == 1
    with tenant_scope(other_tenant.pk):
        assert embeddings_sync(fix=False)["missing"] == 2


@pytest.mark.django_db(transaction=True)
def test_saved_candidates_and_model_changes_are_embedded_by_the_worker(tenant, make_candidate, celery_worker):
    candidate = make_candidate(tenant, embed=False, **POOL[2])
    with tenant_scope(tenant.pk):
        candidate_followups_run(candidate=candidate)
    wait_until(lambda: len(rows(tenant, candidate)) == 2, timeout=120)
    assert {row.model for row in rows(tenant, candidate)} == {embedding_provider().name}

    with tenant_scope(tenant.pk):
        CandidateEmbedding.objects.filter(candidate=candidate).update(model="local:old-model")
    assert embeddings_refresh_all() == 1
    wait_until(lambda: {row.model for row in rows(tenant, candidate)} == {embedding_provider().name}, timeout=120)
    assert embeddings_refresh_all() == 0
