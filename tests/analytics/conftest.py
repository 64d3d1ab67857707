from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from analytics.services import candidate_embed
from tenants.scoping import tenant_scope
from tests.factories import CandidateFactory

POOL = [
    {"name": "Ana García", "headline": "Senior Python Developer", "location": "Madrid, Spain", "language": "es",
     "education_level": "master", "school": "Universidad Politécnica de Madrid", "years_of_experience": 6.0,
     "skills": ["Python", "Django", "PostgreSQL"]},
    {"name": "Luis Pérez", "headline": "Backend Developer", "location": "Madrid, Spain", "language": "es",
     "education_level": "bachelor", "school": "Universidad Complutense", "years_of_experience": 2.0,
     "skills": ["Python", "Flask"]},
    {"name": "John Smith", "headline": "Java Engineer", "location": "London, UK", "language": "en",
     "education_level": "master", "school": "Imperial College London", "years_of_experience": 8.0,
     "skills": ["Java", "Spring Boot", "Kafka"]},
    {"name": "Claire Martin", "headline": "Data Scientist", "location": "Paris, France", "language": "fr",
     "education_level": "doctorate", "school": "Sorbonne Université", "years_of_experience": 5.5,
     "skills": ["Python", "TensorFlow", "pandas"]},
    {"name": "王伟", "headline": "Java开发工程师", "location": "北京市", "language": "zh",
     "education_level": "bachelor", "school": "北京大学", "years_of_experience": 7.0,
     "skills": ["Java", "Spring Boot", "MySQL"]},
    {"name": "Emma Brown", "headline": "Frontend Developer", "location": "Berlin, Germany", "language": "en",
     "education_level": "bachelor", "school": "TU Berlin", "years_of_experience": 3.0,
     "skills": ["React", "TypeScript"]},
]


def candidate_data(fields: dict[str, Any]) -> dict[str, Any]:
    return {
        "language": fields["language"],
        "contact_info": {"name": fields["name"], "location": fields["location"]},
        "headline": fields["headline"],
        "years_of_experience": fields["years_of_experience"],
        "experience": [{"title": fields["headline"], "company": "Acme", "description": f"Worked as {fields['headline']} using "
                        + ", ".join(fields["skills"]) + " on large production systems for several clients."}],
        "education": [{"institution": fields["school"], "degree": fields["education_level"]}],
        "skills": fields["skills"],
    }


@pytest.fixture
def make_candidate() -> Callable[..., Any]:
    def _make(tenant: Any, embed: bool = True, **fields: Any) -> Any:
        candidate = CandidateFactory(tenant=tenant, data=candidate_data(fields), **fields)
        if embed:
            with tenant_scope(tenant.pk):
                candidate_embed(candidate_id=candidate.pk)
        return candidate

    return _make


@pytest.fixture
def pool(tenant, make_candidate) -> dict[str, Any]:
    return {fields["name"]: make_candidate(tenant, **fields) for fields in POOL}
