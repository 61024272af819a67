"""PostgreSQL array literals for set-wise statements on many values.

A statement on a million ids passes them as *one* parameter (``%s::bigint[]``). Handed a Python
list, psycopg quotes every element in Python (about 1.3 µs an integer, 1.8 µs a text); the
literal built here costs a fifth of that, and PostgreSQL parses it as fast either way. Use them
with an explicit cast in the SQL: ``unnest(%s::bigint[])``, ``id = ANY(%s::text[])``.
"""

from __future__ import annotations

from collections.abc import Iterable

_TEXT_ESCAPE = str.maketrans({"\\": "\\\\", '"': '\\"'})


def int_array(values: Iterable[int]) -> str:
    """``{1,2,3}``; every value passes through ``int`` (a non-number is refused with ValueError)."""
    return "{" + ",".join(map(str, map(int, values))) + "}"


def text_array(values: Iterable[str | None]) -> str:
    """``{"a","b",NULL}``: every element double-quoted with ``\\`` and ``"`` escaped, ``None`` as NULL."""
    escape = _TEXT_ESCAPE
    return "{" + ",".join("NULL" if value is None else '"' + str(value).translate(escape) + '"'
                          for value in values) + "}"
