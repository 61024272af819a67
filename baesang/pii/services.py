"""Revealing personal data to a person: the role rule, the reason, the access-log row.

Screens, the API and the command line show personal data masked. To see a value in full a
user asks for it with a reason; :func:`pii_reveal` checks that the user's role needs that
kind of data (Personal Information Protection Act Art. 29 and the safeguard standard's
access-control rule: access only as far as the task requires), writes the
:class:`~baesang.pii.models.PersonalDataAccess` row in the same transaction and only then
returns the plaintext.

Who may reveal what is the permission table's (:mod:`baesang.core.permissions`):

- ``reveal_personal_data`` (case and finance officers): resident registration numbers, phone
  numbers, addresses and other personal data;
- ``reveal_bank_account`` (finance officers: payments are their task): bank accounts;
- approvers, auditors and administrators see masked values only; auditors and
  administrators read and export the access log instead (``view_access_log``).
"""

from __future__ import annotations

from django.db import transaction

from baesang.core.errors import DomainError, InputError, PermissionDenied
from baesang.core.permissions import ActionNotPermitted, user_may
from baesang.pii.fields import Sensitive
from baesang.pii.masking import MASKS, redact_text
from baesang.pii.models import AccessChannel, PersonalDataAccess

BANK_ACCOUNT = "bank_account"
REASON_MAX_LENGTH = 500


class RevealReasonRequired(InputError):
    code = "pii_reason_required"


class RevealNotPermitted(ActionNotPermitted):
    code = "pii_reveal_not_permitted"


class UnknownChannel(InputError):
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
    return user_may(user, reveal_action(kind))


def reveal_action(kind: str) -> str:
    """The action of the permission table that reveals personal data of ``kind``."""
    return "reveal_bank_account" if kind == BANK_ACCOUNT else "reveal_personal_data"


def can_read_access_log(user) -> bool:
    return user_may(user, "view_access_log")


def pii_reveal(*, user, entity_type: str, entity_id: str, field: str, reason: str, channel: str,
               value: Sensitive | str, kind: str | None = None) -> str:
    """Log the reveal of ``entity_type:entity_id``'s ``field`` to ``user`` and return the plaintext.

    Raises :class:`RevealReasonRequired` (blank reason), :class:`UnknownChannel` or
    :class:`RevealNotPermitted` (role); nothing is logged or returned then. ``kind``
    overrides the kind found by :func:`field_kind`.
    """
    kind = kind or field_kind(field, value)
    if kind in MASKS and not can_reveal(user, kind):
        raise RevealNotPermitted(
            f"{field}: your role may not see this personal data in full; it stays masked", field=field,
            action=reveal_action(kind))
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
    if kind not in MASKS:
        raise DomainError(f"unknown kind of personal data {kind!r}", code="pii_unknown_kind", field="kind")
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
