from django.apps import AppConfig


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = "Tenants and access"

    def ready(self) -> None:
        # OpenAPI extensions register themselves on import.
        import config.schema  # noqa: F401
