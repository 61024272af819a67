"""The personal-data access log (개인정보 열람 기록) for auditors: who saw whose personal data,
when and why; filterable, exportable as CSV (Personal Information Protection Commission
safeguard standard Art. 8: access records are kept and checked regularly)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from baesang.core.services import audit_record
from baesang.pii.selectors import access_log_csv, pii_access_log_for
from baesang.web.forms import AccessLogFilterForm
from baesang.web.paging import filters_query, queryset_page
from baesang.web.permissions import requires

PAGE_SIZE = 50


def _filters(form: AccessLogFilterForm) -> dict | None:
    """Selector arguments from the form; None when the form is invalid (nothing matches)."""
    if not form.is_bound:
        return {}
    if not form.is_valid():
        return None
    data = form.cleaned_data
    filters = {key: data[key] for key in ("date_from", "date_to", "entity_type", "entity_id") if data[key]}
    if data["user"]:
        filters["user"] = get_user_model().objects.filter(username=data["user"]).first()
        if filters["user"] is None:
            return None
    return filters


@requires("view_access_log")
def access_log_view(request: HttpRequest) -> HttpResponse:
    form = AccessLogFilterForm(request.GET or None)
    filters = _filters(form)
    rows = pii_access_log_for(reader=request.user, **(filters or {})).select_related(None)
    if filters is None:
        rows = rows.none()
    rows = rows.reverse()  # newest first on screen
    page = queryset_page(request, rows, name="access_log", order=("-pk",), limit=PAGE_SIZE)
    return render(request, "web/access_log.html", {"form": form, "page": page, "count": rows.order_by().count(),
                                                   "query": filters_query(request)})


@requires("view_access_log")
def access_log_export_view(request: HttpRequest) -> HttpResponse:
    form = AccessLogFilterForm(request.GET or None)
    filters = _filters(form)
    rows = pii_access_log_for(reader=request.user, **(filters or {}))
    if filters is None:
        rows = rows.none()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="personal-data-access-{stamp}.csv"'
    response.write("\ufeff")  # byte-order mark: spreadsheet programs then read the Korean text as UTF-8
    count = access_log_csv(rows, response)
    audit_record(actor=request.user, action="pii_access_log.export", entity_type="pii.personaldataaccess",
                 new={"rows": count, "filters": {k: str(v) for k, v in (filters or {}).items()}})
    return response
