"""The audit log (감사 기록), read-only and filterable, for auditors and administrators."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from baesang.core.models import AuditEvent
from baesang.web.forms import AuditFilterForm
from baesang.web.paging import filters_query, queryset_page
from baesang.web.permissions import requires

PAGE_SIZE = 50


def _start_of(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_events_filtered(form: AuditFilterForm):
    events = AuditEvent.objects.select_related("actor").order_by("-at", "-id")
    if not form.is_valid():
        return events.none() if form.is_bound and form.errors else events
    data = form.cleaned_data
    if data["action"]:
        events = events.filter(action__startswith=data["action"])
    if data["entity_type"]:
        events = events.filter(entity_type=data["entity_type"])
    if data["entity_id"]:
        events = events.filter(entity_id=data["entity_id"])
    if data["actor"]:
        events = events.filter(actor_label=data["actor"])
    if data["date_from"]:
        events = events.filter(at__gte=_start_of(data["date_from"]))
    if data["date_to"]:
        events = events.filter(at__lt=_start_of(data["date_to"] + timedelta(days=1)))
    return events


def _distinct(column: str) -> list[str]:
    """Values seen in the log, offered as suggestions in the filter form."""
    return list(AuditEvent.objects.order_by(column).values_list(column, flat=True).distinct()[:200])


@requires("view_audit_log")
def audit_log_view(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    events = audit_events_filtered(form)
    page = queryset_page(request, events, name="audit", order=("-at", "-pk"), limit=PAGE_SIZE)
    narrowed = form.is_valid() and (form.cleaned_data["date_from"] or form.cleaned_data["date_to"])
    context = {
        "form": form,
        "page": page,
        "count": events.order_by().count() if narrowed else None,  # an index range; the whole log is not counted
        "query": filters_query(request),
        "known_actions": _distinct("action"),
        "known_entity_types": _distinct("entity_type"),
    }
    return render(request, "web/audit_log.html", context)
