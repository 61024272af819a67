"""The navigation bar: one entry per screen, shown only to users whose roles permit its action.
A new screen adds one :class:`NavItem` to :data:`NAV_ITEMS` (see docs/web.md)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from baesang.web.permissions import action_get, user_may


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: Any  # a lazy translation
    action: str

    def __post_init__(self) -> None:
        action_get(self.action)


NAV_ITEMS: list[NavItem] = [
    NavItem("web:dashboard", _("Dashboard"), "view_dashboard"),
    NavItem("web:person_search", _("Search"), "search_persons"),
    NavItem("web:claims", _("Claims"), "view_claims"),
    NavItem("web:waiting_list", _("Waiting list"), "view_claims"),
    NavItem("web:duplicates", _("Duplicates"), "view_duplicates"),
    NavItem("web:judgments", _("Judgments"), "view_judgments"),
    NavItem("web:documents", _("Documents"), "view_claims"),
    NavItem("web:proposals", _("Approvals"), "approve_holder_change"),
    NavItem("web:deposits", _("Court deposits"), "view_claims"),
    NavItem("web:indemnity", _("Indemnity"), "view_indemnity"),
    NavItem("web:batches", _("Payment batches"), "view_batches"),
    NavItem("web:donations", _("Donations"), "view_donations"),
    NavItem("web:fund", _("Fund"), "view_ledger"),
    NavItem("web:ledger", _("Ledger"), "view_ledger"),
    NavItem("web:audit_log", _("Audit log"), "view_audit_log"),
    NavItem("web:access_log", _("Personal-data access log"), "view_access_log"),
    NavItem("web:tokens", _("API tokens"), "manage_api_tokens"),
]


def nav_for(user, current_path: str = "") -> list[dict]:
    items = []
    for item in NAV_ITEMS:
        if not user_may(user, item.action):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        active = current_path == url if url == "/" else current_path.startswith(url)
        items.append({"url": url, "label": item.label, "active": active})
    return items
