"""Pages of the staff screens' lists (keyset, :mod:`baesang.core.paging`): the ``after`` and
``before`` cursors of the address, the list's filters kept in the next/previous links, and a
cursor the list did not make answered with 400, not a server error."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import BadRequest
from django.http import HttpRequest

from baesang.core.paging import InvalidCursor, KeysetPage, keyset_page

#: Rows per page of the staff screens' lists.
SCREEN_PAGE = 100


def screen_page(request: HttpRequest, read: Callable[..., KeysetPage], *, limit: int = SCREEN_PAGE,
                **filters) -> KeysetPage:
    """``read(cursor=…, before=…, limit=…, **filters)`` for the page the address asks for."""
    after = request.GET.get("after") or None
    before = request.GET.get("before") or None
    try:
        return read(cursor=after, before=None if after else before, limit=limit, **filters)
    except InvalidCursor as error:
        raise BadRequest(error.message) from error


def filters_query(request: HttpRequest, **resolved) -> str:
    """The address's query without the cursors: the filters every page link keeps, plus the
    ``resolved`` defaults the page used (e.g. ``as_of`` = today), so that the next page reads
    the same list even after midnight."""
    query = request.GET.copy()
    for name in ("after", "before", "page"):
        query.pop(name, None)
    for name, value in resolved.items():
        if not query.get(name):
            query[name] = str(value)
    return query.urlencode()


def queryset_page(request: HttpRequest, queryset, *, name: str, order: tuple[str, ...],
                  limit: int = SCREEN_PAGE) -> KeysetPage:
    """The page of ``queryset`` in ``order`` (unique, ends with ``pk``) the address asks for."""

    def read(*, cursor, before, limit):
        return keyset_page(queryset, name=name, order=order, after=cursor, before=before, limit=limit)

    return screen_page(request, read, limit=limit)
