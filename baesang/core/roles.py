"""Staff roles (DOMAIN.md §2). Each role is a Django group of the same name."""

from __future__ import annotations

CASE_OFFICER = "case_officer"
FINANCE_OFFICER = "finance_officer"
APPROVER = "approver"
AUDITOR = "auditor"
ADMINISTRATOR = "administrator"

ROLES: dict[str, str] = {
    CASE_OFFICER: "사건 담당자 (case officer)",
    FINANCE_OFFICER: "재무 담당자 (finance officer)",
    APPROVER: "승인자 (approver)",
    AUDITOR: "감사인 (auditor)",
    ADMINISTRATOR: "관리자 (administrator)",
}


def user_has_role(user, role: str) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if getattr(user, "is_superuser", False) and role == ADMINISTRATOR:
        return True
    return user.groups.filter(name=role).exists()


def ensure_role_groups() -> None:
    from django.contrib.auth.models import Group

    for name in ROLES:
        Group.objects.get_or_create(name=name)
