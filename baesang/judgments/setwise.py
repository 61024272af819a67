"""Set-wise database helpers for large batches (100,000 lines and more).

A filter on many ids passes them as *one* parameter — a PostgreSQL array (``unnest``) or an
SQLite JSON array (``json_each``) — instead of one placeholder per id, so a query on 100,000
ids is parsed and planned once, cheaply.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL

from baesang.core.pgarrays import int_array


def ids_in(field: str, ids: Iterable[int]) -> Q:
    """``Q(field__in=ids)`` with the ids as one array parameter."""
    values = [int(i) for i in ids]
    if connection.vendor == "postgresql":
        return Q(**{f"{field}__in": RawSQL("SELECT unnest(%s::bigint[])", [int_array(values)])})
    if connection.vendor == "sqlite":
        return Q(**{f"{field}__in": RawSQL("SELECT value FROM json_each(%s)", [json.dumps(values)])})
    return Q(**{f"{field}__in": values})
