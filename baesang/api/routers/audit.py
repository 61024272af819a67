"""The audit log, read-only (auditors and administrators)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone
from ninja import Field as F
from ninja import Query, Router, Schema

from baesang.api.auth import allowed
from baesang.api.schemas import responses
from baesang.core.models import AuditEvent

router = Router(tags=["audit"])


class AuditEventOut(Schema):
    id: int
    at: datetime
    actor: str = F(alias="actor_label")
    action: str
    entity_type: str
    entity_id: str
    old: Any = None
    new: Any = None
    note: str
    channel: str = F(description="web, api or cli; empty for work of the system itself")
    credential: str = F(description="'session', or 'token bsg_…' (+otp after a step-up)")


class AuditPage(Schema):
    count: int
    items: list[AuditEventOut]


class AuditFilter(Schema):
    action: str | None = F(None, max_length=80, description="action, or its beginning ('batch.')")
    entity_type: str | None = F(None, max_length=80)
    entity_id: str | None = F(None, max_length=80)
    actor: str | None = F(None, max_length=150)
    date_from: date | None = None
    date_to: date | None = None
    limit: int = F(50, ge=1, le=500)
    offset: int = F(0, ge=0, le=10_000_000)


def _start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


@router.get("/audit-events", response=responses(AuditPage), auth=allowed("view_audit_log"),
            summary="Audit events, newest first")
def audit_events(request, filters: Query[AuditFilter]):
    events = AuditEvent.objects.order_by("-at", "-id")
    if filters.action:
        events = events.filter(action__startswith=filters.action)
    if filters.entity_type:
        events = events.filter(entity_type=filters.entity_type)
    if filters.entity_id:
        events = events.filter(entity_id=filters.entity_id)
    if filters.actor:
        events = events.filter(actor_label=filters.actor)
    if filters.date_from:
        events = events.filter(at__gte=_start(filters.date_from))
    if filters.date_to:
        events = events.filter(at__lt=_start(filters.date_to + timedelta(days=1)))
    return {"count": events.count(), "items": list(events[filters.offset:filters.offset + filters.limit])}
