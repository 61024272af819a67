"""Schemas shared by the API's routers: the error body, the responses of an operation, dates with
plausible bounds, and one page of a list.

Dates: an event that happened (a donation received, a pledge made) lies between
:data:`EARLIEST` and the foundation's today; a date amounts are computed for (``as_of``) or
one expected (a pledge's payment) lies at most :data:`YEARS_AHEAD` years after today; a birth
or death between :data:`LIFE_EARLIEST` and today; a batch's payment date at most a year after
today (``PaymentDate``, :mod:`baesang.cases.dates`). All
are checked on each request (today moves), not fixed when the module loads. A date is
written ``YYYY-MM-DD``: a number (``as_of=0``, which pydantic would read as seconds since 1970)
is refused with 400 naming the field.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Generic, TypeVar

from django.utils import timezone
from ninja import Field, Schema
from pydantic import AfterValidator, BeforeValidator

from baesang.cases.dates import PAYMENT_YEARS_AHEAD, payment_date_latest
from baesang.core.paging import PAGE_DEFAULT as CORE_PAGE_DEFAULT
from baesang.core.paging import PAGE_MAX as CORE_PAGE_MAX

#: The earliest date the API accepts: the liberation; the scheme's judgments begin in the 2010s.
EARLIEST = date(1945, 8, 15)
#: How far after today a computed-for or expected date may lie (forecasts, pledges).
YEARS_AHEAD = 100
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def latest_date() -> date:
    """The latest date a computed-for or expected date may name: today + :data:`YEARS_AHEAD` years."""
    today = timezone.localdate()
    try:
        return today.replace(year=today.year + YEARS_AHEAD)
    except ValueError:  # 29 February
        return today.replace(year=today.year + YEARS_AHEAD, day=28)


def _written_as_date(value: Any) -> Any:
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value.strip()):
        raise ValueError(f"{value!r} is not a date written YYYY-MM-DD")
    return value.strip()


def _not_after_today(value: date) -> date:
    today = timezone.localdate()
    if not EARLIEST <= value <= today:
        raise ValueError(f"{value.isoformat()} is outside {EARLIEST.isoformat()} … today ({today.isoformat()}): "
                         f"an event cannot be recorded before 1945-08-15 or in the future")
    return value


def _not_far_ahead(value: date) -> date:
    latest = latest_date()
    if not EARLIEST <= value <= latest:
        raise ValueError(f"{value.isoformat()} is outside {EARLIEST.isoformat()} … {latest.isoformat()} "
                         f"(today + {YEARS_AHEAD} years)")
    return value


#: The date of an event that happened: YYYY-MM-DD, from 1945-08-15 to today.
EventDate = Annotated[date, BeforeValidator(_written_as_date), AfterValidator(_not_after_today),
                      Field(description="YYYY-MM-DD, from 1945-08-15 to today")]
def _a_life_date(value: date) -> date:
    today = timezone.localdate()
    if not LIFE_EARLIEST <= value <= today:
        raise ValueError(f"{value.isoformat()} is outside {LIFE_EARLIEST.isoformat()} … today ({today.isoformat()}): "
                         "a birth or death is not in the future")
    return value


#: The earliest birth or death recorded: victims of the 1938–1945 mobilisation were born from the 1890s.
LIFE_EARLIEST = date(1880, 1, 1)
#: A birth or death date: YYYY-MM-DD, from 1880-01-01 to today.
LifeDate = Annotated[date, BeforeValidator(_written_as_date), AfterValidator(_a_life_date),
                     Field(description="YYYY-MM-DD, from 1880-01-01 to today")]
#: A date amounts are computed for, or one expected: YYYY-MM-DD, from 1945-08-15 to today + 100 years.
PlanDate = Annotated[date, BeforeValidator(_written_as_date), AfterValidator(_not_far_ahead),
                     Field(description=f"YYYY-MM-DD, from 1945-08-15 to today + {YEARS_AHEAD} years")]


def _a_payment_date(value: date) -> date:
    latest = payment_date_latest(timezone.localdate())
    if not EARLIEST <= value <= latest:
        raise ValueError(f"{value.isoformat()} is outside {EARLIEST.isoformat()} … {latest.isoformat()} "
                         f"(a payment date lies at most {PAYMENT_YEARS_AHEAD} year after today)")
    return value


#: A batch's payment date: YYYY-MM-DD, from 1945-08-15 to today + 1 year (baesang.cases.dates).
PaymentDate = Annotated[date, BeforeValidator(_written_as_date), AfterValidator(_a_payment_date),
                        Field(description=f"YYYY-MM-DD, from 1945-08-15 to today + {PAYMENT_YEARS_AHEAD} year")]


class ErrorOut(Schema):
    code: str = Field(description="stable error code, e.g. 'invalid_input', 'permission_denied'")
    message: str
    field: str | None = None
    row: int | None = None
    errors: list[dict[str, Any]] | None = None


#: The error responses every operation may give (merged into each operation's ``response``).
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


def responses(ok: Any, status: int = 200) -> dict:
    """``response=`` of an operation: its success schema plus the JSON errors."""
    return {status: ok, **ERRORS}


#: Items per page of a paged list: default and most (baesang.core.paging).
PAGE_DEFAULT = CORE_PAGE_DEFAULT
PAGE_MAX = CORE_PAGE_MAX

Item = TypeVar("Item")

PAGING = ("Paged by keyset: `limit` items (1 to 1000, default 100) after `cursor`, the `next_cursor` of the "
          "previous page (absent for the first page). The answer's `next_cursor` is absent on the last page; "
          "`next` is the same page as a URL. A cursor is opaque and signed: an edited or foreign one is refused "
          "with 400 `invalid_cursor`.")


class PageQuery(Schema):
    limit: int = Field(PAGE_DEFAULT, ge=1, le=PAGE_MAX, description=f"items per page (1 to {PAGE_MAX})")
    cursor: str | None = Field(None, min_length=1, max_length=400,
                               description="opaque: the `next_cursor` of the previous page; absent for the first")


class Page(Schema, Generic[Item]):
    """One page of a list (keyset, ``baesang.core.paging``): ``next_cursor`` names the next page
    (absent on the last) and ``next`` is its URL; ``count`` is the number of items matching in
    all where it is cheap to know, absent (null) where it is not."""

    count: int | None = Field(None, description="items matching in all; null where counting is not cheap")
    next_cursor: str | None = Field(None, description="`cursor` of the next page; null on the last page")
    next: str | None = Field(None, description="URL of the next page (same query); null on the last page")
    items: list[Item]
