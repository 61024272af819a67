"""Helpers shared by the routers: the reference date of a request, looking records up."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from django.db import models
from django.http import Http404
from django.utils import timezone
from pydantic import Field

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
