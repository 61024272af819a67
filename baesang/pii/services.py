"""Revealing personal data to a person: the role rule, the reason, the access-log row.

Screens, the API and the command line show personal data masked. To see a value in full a
user asks for it with a reason; :func:`pii_reveal` checks that the user's role needs that
kind of data (Personal Information Protection Act Art. 29 and the safeguard standard's
access-control rule: access only as far as the task requires), writes the
:class:`~baesang.pii.models.PersonalDataAccess` row in the same transaction and only then
returns the plaintext.

Who may reveal what:

- administrator, case officer, finance officer: resident registration numbers, phone
  numbers, addresses and other personal data;
- bank accounts: finance officer and administrator only (payments are their task);
- approver and auditor: masked values only; auditors (and administrators) read and
  export the access log instead.
"""

from __future__ import annotations

from django.db import transaction

from baesang.core import roles
from baesang.core.errors import DomainError, PermissionDenied
from baesang.pii.fields import Sensitive
from baesang.pii.masking import MASKS, redact_text
from baesang.pii.models import AccessChannel, PersonalDataAccess

BANK_ACCOUNT = "bank_account"
REVEAL_ROLES: dict[str, frozenset[str]] = {
    BANK_ACCOUNT: frozenset({roles.ADMINISTRATOR, roles.FINANCE_OFFICER}),
}
DEFAULT_REVEAL_ROLES = frozenset({roles.ADMINISTRATOR, roles.CASE_OFFICER, roles.FINANCE_OFFICER})
ACCESS_LOG_READERS = frozenset({roles.AUDITOR, roles.ADMINISTRATOR})
REASON_MAX_LENGTH = 500


class RevealReasonRequired(DomainError):
    code = "pii_reason_required"


class RevealNotPermitted(PermissionDenied):
    code = "pii_reveal_not_permitted"


class UnknownChannel(DomainError):
    code = "pii_unknown_channel"


class AccessLogNotPermitted(PermissionDenied):
    code = "pii_access_log_not_permitted"


def field_kind(field: str, value: object = None) -> str:
    """The kind of personal data (a key of :data:`baesang.pii.masking.MASKS`) of a field.

    A :class:`Sensitive` value knows its kind; otherwise the field name tells
    (``bank_account``, ``heir_account_number`` → bank account; ``rrn`` → resident number …).
    """
    if isinstance(value, Sensitive) and value.kind != "hidden":
        return value.kind
    name = field.lower()
    if "account" in name or "계좌" in name:
        return BANK_ACCOUNT
    if "rrn" in name or "resident" in name or "주민" in name:
        return "rrn"
    if "phone" in name or "mobile" in name or "tel" in name or "전화" in name:
        return "phone"
    if "address" in name or "주소" in name:
        return "address"
    if "email" in name:
        return "email"
    return "hidden"


def can_reveal(user, kind: str) -> bool:
    """Whether ``user``'s role may see personal data of ``kind`` in full (after giving a reason)."""
    allowed = REVEAL_ROLES.get(kind, DEFAULT_REVEAL_ROLES)
    return any(roles.user_has_role(user, role) for role in allowed)


def can_read_access_log(user) -> bool:
    return any(roles.user_has_role(user, role) for role in ACCESS_LOG_READERS)


def pii_reveal(*, user, entity_type: str, entity_id: str, field: str, reason: str, channel: str,
               value: Sensitive | str, kind: str | None = None) -> str:
    """Log the reveal of ``entity_type:entity_id``'s ``field`` to ``user`` and return the plaintext.

    Raises :class:`RevealReasonRequired` (blank reason), :class:`UnknownChannel` or
    :class:`RevealNotPermitted` (role); nothing is logged or returned then. ``kind``
    overrides the kind found by :func:`field_kind`.
    """
    reason = " ".join((reason or "").split())
    if not reason:
        raise RevealReasonRequired(
            f"{field}: a reason is required to see personal data in full (개인정보 열람 사유)", field="reason"
        )
    if len(reason) > REASON_MAX_LENGTH:
        raise RevealReasonRequired(f"reason: at most {REASON_MAX_LENGTH} characters", field="reason")
    if channel not in AccessChannel.values:
        raise UnknownChannel(f"channel must be one of {', '.join(AccessChannel.values)}, not {channel!r}",
                             field="channel")
    if not str(entity_type).strip() or not str(entity_id).strip():
        raise DomainError("entity_type and entity_id say whose personal data is revealed; both are required",
                          code="pii_entity_required", field="entity_id")
    kind = kind or field_kind(field, value)
    if kind not in MASKS:
        raise DomainError(f"unknown kind of personal data {kind!r}", code="pii_unknown_kind", field="kind")
    if not can_reveal(user, kind):
        raise RevealNotPermitted(
            f"{field}: your role may not see this personal data in full; it stays masked", field=field
        )
    plaintext = value.reveal() if isinstance(value, Sensitive) else str(value)
    with transaction.atomic():
        PersonalDataAccess.objects.create(
            user=user,
            user_label=user.get_username(),
            entity_type=str(entity_type),
            entity_id=str(entity_id),
            field=field,
            kind=kind,
            # A reason is free text: personal data typed into it is masked before it is kept.
            reason=redact_text(reason),
            channel=channel,
        )
    return plaintext
