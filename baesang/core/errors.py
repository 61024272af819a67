"""Domain errors of baesang.

An illegal state change or bad input raises a :class:`DomainError` (never a bare
exception that would become a server error). Each error carries a stable ``code`` that
tests, the API and the CLI reuse, a detailed message (naming the record and the rule), and
where known the field and row. People read it in their language through the catalogue of
:mod:`baesang.core.messages`. The HTTP status of an error comes from its class
(:attr:`DomainError.http_status`): bad input 400, not allowed 403, no such record 404, an
illegal change of state 409.
"""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the domain was broken; nothing was changed."""

    code = "domain_error"
    #: the HTTP status of the error's class (an illegal change of state by default)
    http_status = 409

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None,
                 row: int | None = None, params: dict | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.field = field
        self.row = row
        self.params = dict(params or {})

    def as_dict(self) -> dict:
        data: dict = {"code": self.code, "message": self.message}
        if self.field is not None:
            data["field"] = self.field
        if self.row is not None:
            data["row"] = self.row
        return data


class InputError(DomainError):
    """The input breaks a rule (HTTP 400)."""

    code = "invalid_input"
    http_status = 400


class RecordNotFound(DomainError):
    """No such record (HTTP 404)."""

    code = "not_found"
    http_status = 404


class PermissionDenied(DomainError):
    """The acting user's role does not allow this change (HTTP 403)."""

    code = "permission_denied"
    http_status = 403


class ValidationFailed(DomainError):
    """Input broke one or more rules; ``errors`` lists each one (row, field, rule)."""

    code = "validation_failed"
    http_status = 400

    def __init__(self, errors: list[DomainError], *, summary: str | None = None) -> None:
        self.errors = errors
        text = summary or f"{len(errors)} error(s); nothing was changed"
        details = "\n".join(f"- {e.message}" for e in errors)
        super().__init__(f"{text}\n{details}" if details else text)

    def as_dict(self) -> dict:
        data = super().as_dict()
        data["errors"] = [e.as_dict() for e in self.errors]
        return data


class CredentialRefused(PermissionDenied):
    """No valid credential proves who is acting (a missing, unknown or revoked token; ``--user``
    alone on the command line)."""

    code = "credential_refused"
    http_status = 401


class SecondFactorRequired(PermissionDenied):
    """The action needs a second factor at the time it is done (a fresh TOTP code), and none or a
    wrong or already used one was given."""

    code = "second_factor_required"
