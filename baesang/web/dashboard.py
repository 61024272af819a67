"""The dashboard's panels: each is a template fragment, the action that may see it, and a
function computing its context. A new panel is one :class:`Panel` appended to :data:`PANELS`
(see docs/web.md); the dashboard shows a user exactly the panels their roles permit."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baesang.cases.selectors import (
    batches_list,
    fund_report,
    limitation_watch,
    waiting_first,
    waiting_totals,
)
from baesang.core.models import AuditEvent
from baesang.web.permissions import action_get, user_may


@dataclass(frozen=True)
class Panel:
    name: str
    title: Any  # a lazy translation
    action: str
    template: str
    context: Callable[[HttpRequest], dict] = field(default=lambda request: {})

    def __post_init__(self) -> None:
        action_get(self.action)  # fail at import for an action not in the matrix


def _my_activity(request: HttpRequest) -> dict:
    return {"events": list(AuditEvent.objects.filter(actor=request.user).order_by("-at", "-id")[:8])}


def _recent_activity(request: HttpRequest) -> dict:
    return {"events": list(AuditEvent.objects.order_by("-at", "-id")[:10])}


def _fund(request: HttpRequest) -> dict:

    return {"report": fund_report(as_of=timezone.localdate(), stale_ok=True)}


def _waiting(request: HttpRequest) -> dict:
    """The waiting list's totals and its first five claims (figures cache; after a change, the
    earlier figures marked as such while they are counted again)."""
    today = timezone.localdate()
    return {"totals": waiting_totals(as_of=today, stale_ok=True), "first": waiting_first(as_of=today, stale_ok=True)}


def _limitation(request: HttpRequest) -> dict:
    """Claims and indemnity claims whose limitation ends within two years (figures cache)."""
    watch = limitation_watch(as_of=timezone.localdate(), stale_ok=True)
    return {**watch, "figures": watch}


def _batches_awaiting(request: HttpRequest) -> dict:

    return {"batches": batches_list(state="prepared")}


PANELS: list[Panel] = [
    Panel("batches_awaiting", _("Batches awaiting approval"), "view_batches", "web/panels/batches_awaiting.html",
          _batches_awaiting),
    Panel("fund", _("Fund position"), "view_ledger", "web/panels/fund.html", _fund),
    Panel("waiting", _("Waiting list"), "view_claims", "web/panels/waiting.html", _waiting),
    Panel("limitation", _("Limitation dates near"), "view_claims", "web/panels/limitation.html", _limitation),
    Panel("recent_activity", _("Recent activity"), "view_audit_log", "web/panels/recent_activity.html",
          _recent_activity),
    Panel("my_activity", _("My recent actions"), "use_own_account", "web/panels/my_activity.html", _my_activity),
]


def panels_for(request: HttpRequest) -> list[dict]:
    """The panels ``request.user`` may see, each rendered with its own context."""
    shown = []
    for panel in PANELS:
        if user_may(request.user, panel.action):
            html = render_to_string(panel.template, panel.context(request), request=request)
            shown.append({"panel": panel, "html": html})
    return shown
