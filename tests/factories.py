"""Factories. Every sub-object takes its tenant from its parent: one tenant per object graph."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model

from cvs.models import Candidate, CVJob
from tenants.models import Endpoint, Membership, Role, Tenant


class TenantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tenant

    name = factory.Sequence(lambda n: f"Tenant {n}")
    slug = factory.Sequence(lambda n: f"tenant-{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    is_staff = True
    password = factory.PostGenerationMethodCall("set_password", "pass-word-123")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):  # noqa: N805 - factory_boy hook signature
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    tenant = factory.SubFactory(TenantFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.ADMIN


class EndpointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Endpoint

    tenant = factory.SubFactory(TenantFactory)
    name = factory.Sequence(lambda n: f"endpoint {n}")
    callback_url = ""


class CandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Candidate

    tenant = factory.SubFactory(TenantFactory)
    name = factory.Faker("name")
    email = factory.LazyAttribute(lambda o: f"{o.name.split()[0].lower()}@example.com")
    phone = "+34 612 345 678"
    education_level = "bachelor"
    years_of_experience = 5.0
    skills = factory.LazyFunction(lambda: ["Python", "Django"])
    data = factory.LazyAttribute(
        lambda o: {
            "contact_info": {"name": o.name, "email": o.email, "phone": o.phone},
            "experience": [],
            "education": [],
            "skills": list(o.skills),
        }
    )


class CVJobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CVJob

    tenant = factory.SubFactory(TenantFactory)
    endpoint = factory.SubFactory(EndpointFactory, tenant=factory.SelfAttribute("..tenant"))
    file_name = "cv.pdf"
    file_sha256 = factory.Sequence(lambda n: f"{n:064x}")
    file_mime = "application/pdf"
