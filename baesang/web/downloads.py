"""The spreadsheet downloads of the staff pages: ``.xlsx`` or ``.csv`` by the URL's ending,
written by :mod:`baesang.core.spreadsheets` (formula-safe, Korean headers; the CSV streamed
as it is read). A page's export needs the same permission as the page."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.http import Http404
from django.http.response import HttpResponseBase
from django.utils import timezone

from baesang.core import spreadsheets

#: The endings an export is offered in.
KINDS = ("xlsx", "csv")


def spreadsheet_download(kind: str, stem: str, columns: Sequence[spreadsheets.Column],
                         rows: Iterable[Mapping[str, Any]], *, title: str) -> HttpResponseBase:
    """The download named ``<stem>-<today>.<kind>``; 404 for another ending."""
    if kind not in KINDS:
        raise Http404(f"no export as {kind}")
    filename = f"{stem}-{timezone.localdate().isoformat()}.{kind}"
    if kind == "xlsx":
        return spreadsheets.xlsx_response(filename, columns, rows, title=title)
    return spreadsheets.csv_response(filename, columns, rows)
