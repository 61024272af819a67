"""Schemas shared by the API's routers."""

from __future__ import annotations

from typing import Any

from ninja import Field, Schema


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
