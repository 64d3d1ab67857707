import json

from django.core.management.base import BaseCommand, CommandError

from config.errors import ApplicationError
from tenants.services import tenant_provision


class Command(BaseCommand):
    help = "Create (or reuse) a tenant and its admin, then issue an API key and an endpoint."

    def add_arguments(self, parser):
        parser.add_argument("--tenant", required=True)
        parser.add_argument("--admin", required=True)
        parser.add_argument("--password", required=True)
        parser.add_argument("--callback-url", default="")
        parser.add_argument("--json", action="store_true", help="Print one JSON object and nothing else.")

    def handle(self, *args, **options):
        try:
            result = tenant_provision(
                tenant_name=options["tenant"],
                admin_username=options["admin"],
                password=options["password"],
                callback_url=options["callback_url"],
            )
        except ApplicationError as exc:
            # A refused input (e.g. the SSRF guard on --callback-url) is the operator's to fix: one line, no traceback.
            raise CommandError(f"{exc.code}: {exc.message}") from None
        payload = {
            "tenant": result.tenant.name,
            "tenant_id": str(result.tenant.pk),
            "username": result.user.username,
            "api_key": result.api_key,
            "endpoint_id": str(result.endpoint.pk),
            "webhook_secret": result.endpoint.secret,
        }
        if options["json"]:
            self.stdout.write(json.dumps(payload))
        else:
            for key, value in payload.items():
                self.stdout.write(f"{key:15} {value}")
