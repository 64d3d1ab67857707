"""``python manage.py refresh_evidence [--tenant SLUG]``: recompute evidence and review confidence of stored jobs."""

from __future__ import annotations

import argparse

from django.core.management.base import BaseCommand, CommandError

from cvs.models import CVJob
from cvs.pipeline.services import jobs_evidence_refresh
from tenants.models import Tenant
from tenants.scoping import scopes_disabled, tenant_scope


class Command(BaseCommand):
    help = "Recompute evidence and review confidence of completed, unreviewed jobs (after refitting the confidence table)."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--tenant", help="slug of one tenant (default: every tenant)")

    def handle(self, *args: object, **options: str) -> None:
        if options["tenant"]:
            tenant = Tenant.objects.filter(slug=options["tenant"]).first()
            if tenant is None:
                raise CommandError(f"No tenant with slug {options['tenant']!r}.")
            with tenant_scope(tenant.pk):
                refreshed = jobs_evidence_refresh(jobs=CVJob.objects.all())
        else:
            with scopes_disabled():  # an operator's refresh across tenants
                refreshed = jobs_evidence_refresh(jobs=CVJob.objects.all())
        self.stdout.write(f"Refreshed the evidence of {refreshed} job(s)")
