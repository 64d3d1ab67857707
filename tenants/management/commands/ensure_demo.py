import json
import secrets
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from tenants.authentication import api_key_lookup
from tenants.services import tenant_provision


class Command(BaseCommand):
    help = "Provision the demo tenant once and keep its credentials in a JSON file (used by bin/run)."

    def add_arguments(self, parser):
        parser.add_argument("--json-file", default=".data/demo.json")

    def handle(self, *args, **options):
        path = Path(options["json_file"])
        if path.exists():
            demo = json.loads(path.read_text())
            if get_user_model().objects.filter(username=demo["username"]).exists() and self._key_works(demo["api_key"]):
                self.stdout.write(json.dumps(demo))
                return
        password = secrets.token_urlsafe(9)
        result = tenant_provision(tenant_name="Demo", admin_username="demo", password=password)
        user = result.user
        user.set_password(password)
        user.save(update_fields=["password"])
        demo = {
            "tenant": result.tenant.name,
            "username": user.username,
            "password": password,
            "api_key": result.api_key,
            "endpoint_id": str(result.endpoint.pk),
            "webhook_secret": result.endpoint.secret,
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(demo, indent=2))
        path.chmod(0o600)
        self.stdout.write(json.dumps(demo))

    @staticmethod
    def _key_works(raw: str) -> bool:
        try:
            api_key_lookup(raw)
        except Exception:  # noqa: BLE001 - any failure means: provision afresh
            return False
        return True
