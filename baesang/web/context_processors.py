"""Template context of every staff page: navigation by role, the user's roles, languages."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from baesang.core import roles
from baesang.web.navigation import nav_for
from baesang.web.permissions import ROLE_ORDER, user_roles

ROLE_LABELS = {
    roles.CASE_OFFICER: _("Case officer"),
    roles.FINANCE_OFFICER: _("Finance officer"),
    roles.APPROVER: _("Approver"),
    roles.AUDITOR: _("Auditor"),
    roles.ADMINISTRATOR: _("Administrator"),
}


def role_labels(user) -> list:
    held = user_roles(user)
    return [ROLE_LABELS[role] for role in ROLE_ORDER if role in held]


def staff(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "my_roles": []}
    return {"nav_items": nav_for(user, request.path), "my_roles": role_labels(user)}
