"""Helpers shared by the routers: the reference date of a request, looking records up."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from django.db import models
from django.http import Http404, HttpRequest
from django.utils import timezone
from pydantic import Field

from baesang.core.paging import KeysetPage

#: Dates the API accepts are the annotated types of ``baesang.api.schemas`` (``EventDate``: up to
#: today; ``PlanDate``: up to today + 100 years), checked on each request.


#: Largest id a database integer column holds; larger ids in a request name no record.
MAX_ID = 2**63 - 1
#: A record id in a request body.
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
#: An amount of won in a request body (far above any real figure, within a database bigint).
Won = Annotated[int, Field(ge=0, le=10**15)]


def as_of_or_today(as_of: date | None) -> date:
    return as_of or timezone.localdate()


def record_or_404(model: type[models.Model], pk: int, what: str):
    record = model.objects.filter(pk=pk).first() if 1 <= pk <= MAX_ID else None
    if record is None:
        raise Http404(f"no {what} {pk}")
    return record


def page_out(request: HttpRequest, page: KeysetPage, *, items: list | None = None, count: int | None = None) -> dict:
    """The JSON of one page (``baesang.api.schemas.Page``): its items (``items`` when the page's
    rows are presented otherwise), ``next_cursor``, ``next`` — the same query with the cursor
    set — and ``count`` where the caller knows it cheaply."""
    link = None
    if page.next_cursor is not None:
        query = request.GET.copy()
        query["cursor"] = page.next_cursor
        link = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
    return {"count": count, "next_cursor": page.next_cursor, "next": link,
            "items": page.items if items is None else items}
