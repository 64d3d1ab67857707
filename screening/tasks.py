from __future__ import annotations

from celery import shared_task

from screening import selectors
from screening.services import screening_condition_rescreen
from tenants.tasks_base import TenantTask


@shared_task(base=TenantTask, name="screening.rescreen_condition", ignore_result=True)
def screening_condition_rescreen_task(*, tenant_id: str, condition_id: str, scope: str = "screened") -> int:
    """Recompute a condition's results. Idempotent: results are upserted from current data."""
    condition = selectors.condition_find(condition_id=condition_id)
    if condition is None:
        return 0
    return screening_condition_rescreen(condition=condition, scope=scope)
