"""The one mapping between a cv-data document and a candidate's searchable columns.

The pipeline, the talents API and the admin all write candidates; each goes through
``candidate_columns`` (document → columns) and, for column edits, ``document_with_edits``
(columns → document), so that the normalisation duplicate detection relies on (lower-cased
e-mail, E.164 phone) cannot drift between write paths.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from cvs.extraction.levels import language_asked
from cvs.extraction.rules.contacts import find_phone
from tenants.models import Role

# Column ← where the same value lives in the cv-data document.
DATA_PATHS: dict[str, tuple[str, ...]] = {
    "name": ("contact_info", "name"),
    "email": ("contact_info", "email"),
    "phone": ("contact_info", "phone"),
    "location": ("contact_info", "location"),
    "headline": ("headline",),
    "education_level": ("education_level",),
    "years_of_experience": ("years_of_experience",),
    "skills": ("skills",),
}


def _text(value: Any, limit: int) -> str:
    return (value if isinstance(value, str) else "")[:limit]


def phone_e164_for(phone: str, *, stated: str | None = None, language: str | None = None) -> str:
    """The E.164 form used to match the same person across CVs; the document's own value wins."""
    if stated:
        return stated[:20]
    if not phone:
        return ""
    return (find_phone(phone, language)[1] or "")[:20]


def candidate_columns(data: dict[str, Any]) -> dict[str, Any]:
    """Columns derived from a cv-data document (the document itself included, as ``data``)."""
    contact_info, education_list, skills_list = data.get("contact_info"), data.get("education"), data.get("skills")
    contact = contact_info if isinstance(contact_info, dict) else {}
    education = education_list if isinstance(education_list, list) else []
    first_school = education[0] if education and isinstance(education[0], dict) else {}
    phone = _text(contact.get("phone"), 50)
    language = _text(data.get("language"), 8)
    skills = skills_list if isinstance(skills_list, list) else []
    return {
        "name": _text(contact.get("name"), 200),
        "email": _text(contact.get("email"), 254).strip().lower(),
        "phone": phone,
        "phone_e164": phone_e164_for(phone, stated=contact.get("phone_e164"), language=language),
        "location": _text(contact.get("location"), 200),
        "headline": _text(data.get("headline"), 300),
        "language": language,
        "education_level": _text(data.get("education_level"), 20),
        "school": _text(first_school.get("institution"), 300),
        "years_of_experience": data.get("years_of_experience"),
        "skills": [skill[:100] for skill in skills if isinstance(skill, str)],
        "data": data,
    }


def document_with_edits(document: dict[str, Any], edits: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``document`` with edited columns written back where the contract keeps them.

    An edited phone invalidates the stated E.164 form, so it is dropped and derived again."""
    result = copy.deepcopy(document)
    for column, value in edits.items():
        path = DATA_PATHS.get(column)
        if path is None:
            continue
        target = result
        for key in path[:-1]:
            if not isinstance(target.get(key), dict):
                target[key] = {}
            target = target[key]
        target[path[-1]] = value if value != "" else None
        if column == "phone" and isinstance(result.get("contact_info"), dict):
            result["contact_info"].pop("phone_e164", None)
    return result


# --- Contact masking: viewers see a candidate's e-mail and phone masked, wherever they read them -------------------
# (talent detail and export, webhook delivery payloads) and cannot search on them (cvs/talents/selectors.py).
CONTACT_FIELDS = ("email", "phone", "phone_e164")


def sees_contacts(role: str | None) -> bool:
    """Admins and HR work with candidates' contact details; viewers only browse profiles."""
    return role in (Role.ADMIN, Role.HR)


def mask_phone(phone: str) -> str:
    """'13812341234' → '138****1234'; anything with fewer than 8 digits is hidden entirely."""
    digits = re.sub(r"\D", "", phone or "")
    if not digits:
        return ""
    return f"{digits[:3]}****{digits[-4:]}" if len(digits) >= 8 else "****"


def mask_email(email: str) -> str:
    """'zhangsan@example.com' → 'zha***@example.com'."""
    local, at, domain = (email or "").partition("@")
    if not at:
        return "***" if email else ""
    return f"{local[:3] if len(local) > 3 else local[:1]}***@{domain}"


def masked_data(data: dict[str, Any]) -> dict[str, Any]:
    contact = dict(data.get("contact_info") or {})
    for key, mask in zip(CONTACT_FIELDS, (mask_email, mask_phone, mask_phone), strict=True):
        if contact.get(key):
            contact[key] = mask(contact[key])
    return {**data, "contact_info": contact}


def requested_language(request: Any) -> str | None:
    """The language a caller (DRF or ninja request) asks levels in: ``?lang=`` or Accept-Language; None → codes."""
    if request is None:
        return None
    return language_asked(request.GET.get("lang"), request.headers.get("Accept-Language"))
