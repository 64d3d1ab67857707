"""``python manage.py export_review_corpus DIR [--tenant SLUG]``: reviewed jobs as a truth corpus in DIR."""

from __future__ import annotations

import argparse
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cvs.corpus_export import reviewed_corpus_files
from cvs.models import CVJob
from tenants.models import Tenant
from tenants.scoping import scopes_disabled, tenant_scope


class Command(BaseCommand):
    help = "Write every reviewed CV job (original file + <file>.json truth) to DIR, for evaluate_extraction."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("directory")
        parser.add_argument("--tenant", help="slug of one tenant (default: every tenant)")

    def handle(self, *args: object, **options: str) -> None:
        out = Path(options["directory"])
        out.mkdir(parents=True, exist_ok=True)
        if options["tenant"]:
            tenant = Tenant.objects.filter(slug=options["tenant"]).first()
            if tenant is None:
                raise CommandError(f"No tenant with slug {options['tenant']!r}.")
            with tenant_scope(tenant.pk):
                written = self._write(out)
        else:
            with scopes_disabled():  # an operator's export across tenants
                written = self._write(out)
        self.stdout.write(f"Wrote {written} reviewed CV(s) with truth to {out}")

    def _write(self, out: Path) -> int:
        files = 0
        for name, content in reviewed_corpus_files(jobs=CVJob.objects.all()):
            (out / name).write_bytes(content)
            files += 1
        return files // 2
