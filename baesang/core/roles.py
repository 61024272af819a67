"""Staff roles (DOMAIN.md §2). Each role is a Django group of the same name; what each may do is
the permission table of :mod:`baesang.core.permissions`."""

from __future__ import annotations

from django.contrib.auth.models import Group

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


def ensure_role_groups() -> None:
    for name in ROLES:
        Group.objects.get_or_create(name=name)
