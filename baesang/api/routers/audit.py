"""The audit log, read-only (auditors and administrators)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone
from ninja import Field as F
from ninja import Query, Router, Schema

from baesang.api.auth import allowed
from baesang.api.routers.common import page_out
from baesang.api.schemas import PAGING, Page, PageQuery, responses
from baesang.core.models import AuditEvent
from baesang.core.paging import keyset_page

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


class AuditPage(Page[AuditEventOut]):
    pass


class AuditFilter(PageQuery):
    action: str | None = F(None, max_length=80, description="action, or its beginning ('batch.')")
    entity_type: str | None = F(None, max_length=80)
    entity_id: str | None = F(None, max_length=80)
    actor: str | None = F(None, max_length=150)
    date_from: date | None = None
    date_to: date | None = None


def _start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


@router.get("/audit-events", response=responses(AuditPage), auth=allowed("view_audit_log"),
            summary="Audit events, newest first, a page at a time",
            description=PAGING + " `count` only with a date or an entity filter (an index range); "
            "without one it is null (counting the whole log is not cheap).")
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
    page = keyset_page(events, name="audit", order=("-at", "-pk"), after=filters.cursor, limit=filters.limit)
    narrowed = filters.date_from or filters.date_to or filters.entity_id
    return page_out(request, page, count=events.order_by().count() if narrowed else None)
