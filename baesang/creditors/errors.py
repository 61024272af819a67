"""Errors of the creditors' portal, each with a stable code (catalogue: baesang/core/messages.py)."""

from __future__ import annotations

from baesang.core.errors import DomainError, InputError, PermissionDenied


class PortalNotPermitted(PermissionDenied):
    """Not a signed-in portal account, or an account that may not do this."""

    code = "portal_not_permitted"


class InvitationInvalid(PermissionDenied):
    """The link is unknown, expired, already used or revoked (one reason for all: nothing to probe)."""

    code = "portal_invitation_invalid"


class ContactMissing(InputError):
    code = "portal_contact_missing"


class UploadRefused(InputError):
    """Too large, not a PDF/JPEG/PNG, or the virus scanner found something."""

    code = "portal_upload_refused"


class UploadInfected(UploadRefused):
    code = "portal_upload_infected"


class ScannerUnavailable(DomainError):
    code = "portal_scanner_unavailable"


class RequestInvalid(InputError):
    code = "portal_request_invalid"


class RequestNotOpen(DomainError):
    code = "portal_request_not_open"


class AccountRevoked(DomainError):
    code = "portal_account_revoked"


class PasskeyRefused(PermissionDenied):
    """A passkey answer that cannot be used: no pending request, expired, or not verified."""

    code = "portal_passkey_refused"
