"""Reading the personal-data access log (개인정보 열람 기록) for auditors.

The safeguard standard of the Personal Information Protection Commission (Art. 8) requires
access records to be kept (two years where resident registration numbers are processed)
and checked at least monthly; these selectors give the rows for a period, as a query, as
plain rows and as CSV.
"""

from __future__ import annotations

import csv
import datetime
from collections.abc import Iterable, Iterator
from typing import IO

from django.db.models import QuerySet
from django.utils import timezone

from baesang.pii.models import PersonalDataAccess
from baesang.pii.services import AccessLogNotPermitted, can_read_access_log

ACCESS_LOG_COLUMNS = ("id", "at", "user", "entity_type", "entity_id", "field", "kind", "channel", "reason")


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def pii_access_log(*, date_from: datetime.date | None = None, date_to: datetime.date | None = None,
                   entity_type: str | None = None, entity_id: str | None = None,
                   user=None) -> QuerySet[PersonalDataAccess]:
    """Access-log rows, oldest first; ``date_from``/``date_to`` are inclusive days in the local time zone."""
    rows = PersonalDataAccess.objects.all()
    if date_from is not None:
        rows = rows.filter(at__gte=_start_of(date_from))
    if date_to is not None:
        rows = rows.filter(at__lt=_start_of(date_to + datetime.timedelta(days=1)))
    if entity_type:
        rows = rows.filter(entity_type=entity_type)
    if entity_id:
        rows = rows.filter(entity_id=str(entity_id))
    if user is not None:
        rows = rows.filter(user=user)
    return rows.order_by("at", "id")


def pii_access_log_for(*, reader, **filters) -> QuerySet[PersonalDataAccess]:
    """:func:`pii_access_log` for a screen or API user: auditors and administrators only."""
    if not can_read_access_log(reader):
        raise AccessLogNotPermitted("only auditors and administrators read the personal-data access log")
    return pii_access_log(**filters)


def access_log_rows(rows: Iterable[PersonalDataAccess]) -> Iterator[dict[str, str]]:
    """Plain rows (local time, ISO 8601) for display or export."""
    for access in rows:
        yield {
            "id": str(access.pk),
            "at": timezone.localtime(access.at).isoformat(timespec="seconds"),
            "user": access.user_label,
            "entity_type": access.entity_type,
            "entity_id": access.entity_id,
            "field": access.field,
            "kind": access.kind,
            "channel": access.channel,
            "reason": access.reason,
        }


def _spreadsheet_safe(text: str) -> str:
    """A cell a spreadsheet will not run as a formula (OWASP "CSV injection")."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def access_log_csv(rows: Iterable[PersonalDataAccess], out: IO[str]) -> int:
    """Write the rows as CSV with a header line; return how many rows were written."""
    writer = csv.DictWriter(out, fieldnames=ACCESS_LOG_COLUMNS, lineterminator="\n")
    writer.writeheader()
    count = 0
    for row in access_log_rows(rows):
        writer.writerow({key: _spreadsheet_safe(value) for key, value in row.items()})
        count += 1
    return count
