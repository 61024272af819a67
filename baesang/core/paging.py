"""Keyset pagination (키셋 페이지 나누기) of every list of the staff screens and the API.

A list is ordered by a tuple of columns that is unique (the last one is the primary key), and
a page is "the ``limit`` rows after (or before) this row's key" — ``WHERE (a, b, id) > (…)``
``ORDER BY a, b, id LIMIT n`` — never ``OFFSET``: page 10,000 costs what page 1 costs, given
an index on the order's columns. The condition is written with a redundant bound on the first
column (``a >= …``) so that PostgreSQL starts its index scan at the cursor's row instead of
filtering from the first row.

A cursor names the row a page starts after (or ends before) and its position in the list; it
is opaque to clients: signed with the project's secret and bound to the list (its ``name``)
and to the order, so a forged, edited or foreign cursor is refused with :class:`InvalidCursor`
(HTTP 400), never a server error. Rows inserted or removed between two page loads do not make
a walk repeat or skip the rows that were there all along; the positions shown are those of the
walk.

Keys must not be NULL (coalesce nullable columns in an annotation first).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Generic, TypeVar

from django.core import signing
from django.db.models import Q, QuerySet

from baesang.core.errors import InputError

#: Rows per page: default and most (the API and the screens bound ``limit`` by these).
PAGE_DEFAULT = 100
PAGE_MAX = 1000

Row = TypeVar("Row")


class InvalidCursor(InputError):
    """The cursor was not made by this list (edited, forged, from another list or too old)."""

    code = "invalid_cursor"


@dataclass(frozen=True)
class KeysetPage(Generic[Row]):
    """One page of a list: its rows, the cursors of the next and previous pages (``None`` at the
    ends) and the 1-based position of its first row in the walk.

    ``carried`` is what the cursor that led here carried (e.g. a running balance); a list sets
    what its next and previous cursors carry with ``dataclasses.replace(page, next_carry=…,
    previous_carry=…)`` — signed with the rest, so it can be trusted when it comes back."""

    items: list[Row]
    name: str = ""
    order: tuple[str, ...] = ()
    next_key: list | None = None
    previous_key: list | None = None
    first_position: int = 1
    limit: int = PAGE_DEFAULT
    forward: bool = True
    carried: Any = None
    next_carry: Any = None
    previous_carry: Any = None

    @property
    def next_cursor(self) -> str | None:
        if self.next_key is None:
            return None
        return cursor_encode(name=self.name, order=self.order, key=self.next_key, position=self.last_position,
                             carry=self.next_carry)

    @property
    def previous_cursor(self) -> str | None:
        if self.previous_key is None:
            return None
        return cursor_encode(name=self.name, order=self.order, key=self.previous_key, position=self.first_position,
                             carry=self.previous_carry)

    @property
    def last_position(self) -> int:
        return self.first_position + len(self.items) - 1

    @property
    def has_other_pages(self) -> bool:
        return self.next_key is not None or self.previous_key is not None

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


def page_limit(limit: int | str | None, *, default: int = PAGE_DEFAULT, most: int = PAGE_MAX) -> int:
    """``limit`` bounded to 1..``most`` (``default`` when absent); a non-number is bad input."""
    if limit in (None, ""):
        return default
    try:
        number = int(limit)
    except (TypeError, ValueError):
        raise InputError(f"limit must be a whole number from 1 to {most}, not {limit!r}", field="limit") from None
    if not 1 <= number <= most:
        raise InputError(f"limit must be from 1 to {most}, not {number}", field="limit")
    return number


def _salt(name: str, order: Sequence[str]) -> str:
    return f"baesang.paging:{name}:{','.join(order)}"


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if value is None:
        raise ValueError("keyset pagination needs keys that are not NULL")
    return value


def cursor_encode(*, name: str, order: Sequence[str], key: Sequence[Any], position: int, carry: Any = None) -> str:
    """The opaque, signed cursor of the row with ``key`` at ``position`` of the list ``name``
    (with what it ``carry``-ies, JSON)."""
    return signing.dumps([[_plain(v) for v in key], position, carry], salt=_salt(name, order), compress=False)


def cursor_decode(cursor: str, *, name: str, order: Sequence[str]) -> tuple[list[Any], int, Any]:
    """The key, position and carried value a cursor of list ``name`` names; :class:`InvalidCursor`
    if it was not made by this list with this order."""
    try:
        key, position, carry = signing.loads(cursor, salt=_salt(name, order))
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise InvalidCursor(f"the cursor {cursor[:40]!r} was not made by the list {name!r}",
                            field="cursor") from error
    if not isinstance(key, list) or len(key) != len(order) or not isinstance(position, int):
        raise InvalidCursor(f"the cursor does not fit the list {name!r}", field="cursor")
    return key, position, carry


def _column(term: str) -> tuple[str, bool]:
    return (term[1:], True) if term.startswith("-") else (term, False)


def keyset_condition(order: Sequence[str], key: Sequence[Any], *, forward: bool = True) -> Q:
    """Rows strictly after ``key`` in ``order`` (before it when not ``forward``), written as an OR
    of prefixes plus a bound on the first column that an index scan can start from."""
    columns = [_column(term) for term in order]
    condition = Q()
    for i, (column, descending) in enumerate(columns):
        later = descending != forward  # ascending and forward → greater
        step = Q(**{f"{column}__{'gt' if later else 'lt'}": key[i]})
        for j, (prefix_column, _descending) in enumerate(columns[:i]):
            step &= Q(**{prefix_column: key[j]})
        condition |= step
    first, descending = columns[0]
    bound = Q(**{f"{first}__{'gte' if descending != forward else 'lte'}": key[0]})
    return bound & condition


def _key_of(row: Any, order: Sequence[str]) -> list[Any]:
    values = []
    for term in order:
        column, _descending = _column(term)
        if isinstance(row, dict):
            values.append(row[column])
            continue
        value = row
        for part in column.split("__"):
            value = getattr(value, "pk" if part == "pk" else part)
        values.append(value)
    return values


def keyset_page(queryset: QuerySet, *, name: str, order: Sequence[str], after: str | None = None,
                before: str | None = None, limit: int = PAGE_DEFAULT,
                keep: Callable[[list], list] | None = None, chunk: int | None = None) -> KeysetPage:
    """One page of ``queryset`` in ``order`` (unique: end with ``pk``): the first ``limit`` rows,
    or those after the cursor ``after``, or those before the cursor ``before``.

    ``keep`` filters a chunk of rows in Python (for a condition the database cannot answer, e.g.
    "has a waiting holder on that day"): it gets rows in order and returns, in the same order,
    ``(row, item)`` for the rows kept, ``item`` being what the page lists for that row. The
    chunks read follow the keyset too, so a page costs the same wherever it is in the list."""
    limit = page_limit(limit)
    if after and before:
        raise InputError("give either after or before, not both", field="cursor")
    cursor = after or before
    forward = before is None
    position = 0
    key: list[Any] | None = None
    carried = None
    if cursor:
        key, position, carried = cursor_decode(cursor, name=name, order=order)
    order_by = list(order) if forward else [t[1:] if t.startswith("-") else f"-{t}" for t in order]
    query = queryset.order_by(*order_by)
    # one more row than the page (to know whether another follows): with ``keep`` too, where
    # most rows are usually kept and each row read costs its figures (the waiting list)
    step = chunk or limit + 1
    kept: list = []
    scan_key = key
    while len(kept) <= limit:
        rows = list((query.filter(keyset_condition(order, scan_key, forward=forward))
                     if scan_key is not None else query)[:step])
        if not rows:
            break
        kept += keep(rows) if keep is not None else [(row, row) for row in rows]
        scan_key = _key_of(rows[-1], order)
        if len(rows) < step:
            break
    more = len(kept) > limit
    kept = kept[:limit]

    def row_key(pair: tuple) -> list[Any]:
        return _key_of(pair[0], order)

    if forward:
        first = position + 1 if cursor else 1
        pairs = kept
        next_key = row_key(pairs[-1]) if more and pairs else None
        previous_key = row_key(pairs[0]) if cursor and pairs else None
    else:
        pairs = kept[::-1]
        first = max(position - len(pairs), 1)
        previous_key = row_key(pairs[0]) if more and pairs else None
        next_key = row_key(pairs[-1]) if pairs else None
    items = [item for _row, item in pairs]
    return KeysetPage(items=items, name=name, order=tuple(order), next_key=next_key, previous_key=previous_key,
                      first_position=first, limit=limit, forward=forward, carried=carried)


__all__ = ["PAGE_DEFAULT", "PAGE_MAX", "InvalidCursor", "KeysetPage", "cursor_decode", "cursor_encode",
           "keyset_condition", "keyset_page", "page_limit"]
