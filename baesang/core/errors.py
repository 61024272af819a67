"""Domain errors of baesang.

An illegal state change or bad input raises a :class:`DomainError` (never a bare
exception that would become a server error). Each error carries a stable ``code`` that
tests, the API and the CLI reuse, a message for people, and where known the field and row.
"""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the domain was broken; nothing was changed."""

    code = "domain_error"

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None,
                 row: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.field = field
        self.row = row

    def as_dict(self) -> dict:
        data: dict = {"code": self.code, "message": self.message}
        if self.field is not None:
            data["field"] = self.field
        if self.row is not None:
            data["row"] = self.row
        return data


class PermissionDenied(DomainError):
    """The acting user's role does not allow this change."""

    code = "permission_denied"


class ValidationFailed(DomainError):
    """Input broke one or more rules; ``errors`` lists each one (row, field, rule)."""

    code = "validation_failed"

    def __init__(self, errors: list[DomainError], *, summary: str | None = None) -> None:
        self.errors = errors
        text = summary or f"{len(errors)} error(s); nothing was changed"
        details = "\n".join(f"- {e.message}" for e in errors)
        super().__init__(f"{text}\n{details}" if details else text)

    def as_dict(self) -> dict:
        data = super().as_dict()
        data["errors"] = [e.as_dict() for e in self.errors]
        return data
