"""Writes the back office needs beyond ``tenants.services``."""

from __future__ import annotations

from django.db import transaction

from config.errors import ApplicationError
from tenants.models import Membership, Role


def membership_set_role(*, membership: Membership, role: str) -> Membership:
    """Change a member's role; admin-site access (``is_staff``) follows it, viewers have none."""
    if role not in Role.values:
        raise ApplicationError(f"Unknown role '{role}'.", code="invalid_role")
    with transaction.atomic():
        membership.role = role
        membership.save(update_fields=["role"])
        user = membership.user
        is_staff = user.is_superuser or role in (Role.ADMIN, Role.HR)
        if user.is_staff != is_staff:
            user.is_staff = is_staff
            user.save(update_fields=["is_staff"])
    return membership
