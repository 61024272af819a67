"""Passkeys (WebAuthn, 패스키) of portal accounts, through py_webauthn.

A signed-in creditor adds a passkey (:func:`passkey_register_begin` → the browser's
``navigator.credentials.create`` → :func:`passkey_register_finish`) and later signs in with it
instead of a TOTP code (:func:`passkey_authenticate_begin` → ``navigator.credentials.get`` →
:func:`passkey_authenticate_finish`). Credentials belong to a
:class:`~baesang.creditors.models.PortalAccount`, never to a Django user.

The challenge is kept server-side in ``store`` (the visitor's session): one per ceremony,
taken out at the first answer (a replayed or second answer finds none), and refused after
:data:`CHALLENGE_SECONDS`. The relying party id and origin are the caller's (the view reads
``BAESANG_PORTAL_RP_ID`` / ``BAESANG_PORTAL_ORIGIN``, by default the request's host).
A sign-in needs the sign count to grow (a cloned authenticator is refused, as the library
checks), and a failed sign-in counts toward the same throttle and lock as a wrong TOTP code.
"""

from __future__ import annotations

import json
import time
from collections.abc import MutableMapping
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url
from webauthn.helpers.exceptions import InvalidAuthenticationResponse, InvalidRegistrationResponse
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    AuthenticatorTransport,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from baesang.core.services import audit_record
from baesang.creditors.access import PortalActor, portal_require
from baesang.creditors.errors import ContactMissing, InvitationInvalid, PasskeyRefused, RequestInvalid
from baesang.creditors.models import PortalAccount, PortalPasskey
from baesang.creditors.services import _throttle_key, account_by_contact, activity_record
from baesang.staff.signin import login_failure_record, login_locked_until, login_success_record

#: The session key of the pending ceremony (one at a time).
CHALLENGE_KEY = "baesang_portal_webauthn"
#: How long a challenge may be answered.
CHALLENGE_SECONDS = 300
RP_NAME = "baesang creditors' portal"


def _challenge_put(store: MutableMapping, purpose: str, challenge: bytes, account_id: int | None) -> None:
    store[CHALLENGE_KEY] = {"purpose": purpose, "challenge": bytes_to_base64url(challenge), "at": time.time(),
                            "account": account_id}


def _challenge_take(store: MutableMapping, purpose: str, now: float | None = None) -> dict:
    """Take the pending challenge out of ``store`` (it is used once, answered or not)."""
    pending = store.pop(CHALLENGE_KEY, None) if store is not None else None
    now = time.time() if now is None else now
    if not pending or pending.get("purpose") != purpose:
        raise PasskeyRefused("no passkey request is pending: start again", field="credential")
    if now - float(pending.get("at", 0)) > CHALLENGE_SECONDS:
        raise PasskeyRefused("the passkey request has expired: start again", field="credential")
    return pending


def _credential_id(credential: str | dict) -> str:
    data = json.loads(credential) if isinstance(credential, str) else dict(credential or {})
    return str(data.get("rawId") or data.get("id") or "")


def _descriptors(account: PortalAccount) -> list[PublicKeyCredentialDescriptor]:
    found = []
    for key in account.passkeys.all():
        transports = []
        for name in filter(None, key.transports.split(",")):
            try:
                transports.append(AuthenticatorTransport(name))
            except ValueError:
                continue
        found.append(PublicKeyCredentialDescriptor(id=base64url_to_bytes(key.credential_id),
                                                   transports=transports or None))
    return found


# --------------------------------------------------------------------------- adding a passkey


def passkey_register_begin(*, actor: PortalActor, store: MutableMapping, rp_id: str) -> str:
    """The options (JSON) for ``navigator.credentials.create``; the challenge stays in ``store``."""
    account = portal_require(actor, "portal_manage_passkeys")
    options = generate_registration_options(
        rp_id=rp_id, rp_name=RP_NAME, user_id=f"portal-{account.pk}".encode(),
        user_name=f"portal-{account.pk}", user_display_name=account.representative_name or str(account.person),
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.PREFERRED, user_verification=UserVerificationRequirement.PREFERRED),
        exclude_credentials=_descriptors(account))
    _challenge_put(store, "register", options.challenge, account.pk)
    return options_to_json(options)


@transaction.atomic
def passkey_register_finish(*, actor: PortalActor, store: MutableMapping, credential: str | dict, rp_id: str,
                            origin: str, name: str = "") -> PortalPasskey:
    """Verify the browser's answer to :func:`passkey_register_begin` and keep the passkey."""
    account = portal_require(actor, "portal_manage_passkeys")
    pending = _challenge_take(store, "register")
    if pending.get("account") != account.pk:
        raise PasskeyRefused("the passkey request was started by another account", field="credential")
    try:
        verified = verify_registration_response(credential=credential,
                                                expected_challenge=base64url_to_bytes(pending["challenge"]),
                                                expected_rp_id=rp_id, expected_origin=origin)
    except (InvalidRegistrationResponse, ValueError, KeyError, TypeError) as error:
        activity_record(account=account, action="passkey_add_refused", note=str(error)[:200], address=actor.address)
        raise PasskeyRefused(f"the passkey could not be verified: {error}", field="credential") from error
    credential_id = bytes_to_base64url(verified.credential_id)
    if PortalPasskey.objects.filter(credential_id=credential_id).exists():
        raise PasskeyRefused("this passkey is already registered", field="credential")
    data = json.loads(credential) if isinstance(credential, str) else dict(credential)
    transports = (data.get("response") or {}).get("transports") or []
    passkey = PortalPasskey.objects.create(
        account=account, credential_id=credential_id, public_key=verified.credential_public_key,
        sign_count=verified.sign_count, name=(name or "").strip()[:80] or "passkey",
        transports=",".join(str(t) for t in transports if isinstance(t, str))[:200])
    audit_record(actor=actor.label, action="portal.passkey_add", entity=passkey, new={"account": account.pk})
    activity_record(account=account, action="passkey_added", entity_type="creditors.portalpasskey",
                    entity_id=passkey.pk, address=actor.address)
    return passkey


@transaction.atomic
def passkey_remove(*, actor: PortalActor, passkey_id: int) -> None:
    """Remove one of the account's own passkeys (another account's id is refused like an unknown one)."""
    account = portal_require(actor, "portal_manage_passkeys")
    passkey = PortalPasskey.objects.select_for_update().filter(pk=passkey_id, account=account).first()
    if passkey is None:
        raise RequestInvalid("that passkey is not one of yours", field="passkey")
    audit_record(actor=actor.label, action="portal.passkey_remove", entity=passkey, old={"account": account.pk})
    activity_record(account=account, action="passkey_removed", entity_type="creditors.portalpasskey",
                    entity_id=passkey.pk, address=actor.address)
    passkey.delete()


# --------------------------------------------------------------------------- signing in with a passkey


def passkey_authenticate_begin(*, store: MutableMapping, rp_id: str, contact: str = "") -> str:
    """The options (JSON) for ``navigator.credentials.get``. With a contact, the account's passkeys
    are listed and only they are accepted; without one, the browser offers its discoverable
    passkeys. An unknown contact gets the same answer as a known one without passkeys."""
    account = None
    if (contact or "").strip():
        try:
            account = account_by_contact(contact)
        except ContactMissing:  # a malformed contact is answered like an unknown one
            account = None
    descriptors = _descriptors(account) if account is not None and account.is_active else []
    options = generate_authentication_options(rp_id=rp_id, allow_credentials=descriptors,
                                              user_verification=UserVerificationRequirement.PREFERRED)
    expected = account.pk if account is not None else (0 if (contact or "").strip() else None)
    _challenge_put(store, "authenticate", options.challenge, expected)
    return options_to_json(options)


def passkey_authenticate_finish(*, store: MutableMapping, credential: str | dict, rp_id: str, origin: str,
                                address: str = "", now: datetime | None = None) -> PortalAccount | None:
    """Verify a passkey sign-in: the pending challenge (one use), the credential (of the account
    whose contact was given, if one was), the signature and a growing sign count. Returns the
    account, or None (the failure is logged and counts toward the lock)."""
    now = now or timezone.now()
    pending = _challenge_take(store, "authenticate")
    passkey = PortalPasskey.objects.select_related("account").filter(
        credential_id=_credential_id(credential)).first()
    account = passkey.account if passkey is not None else None
    key = _throttle_key(account, "passkey")
    if login_locked_until(username=key, address=address or None, now=now):
        activity_record(account=account, action="sign_in_locked", address=address)
        raise InvitationInvalid("sign-in is locked for a while after too many failed attempts", code="portal_locked")
    reason = ""
    if passkey is None:
        reason = "unknown passkey"
    elif not account.is_active:
        reason = "account revoked"
    elif pending.get("account") is not None and pending["account"] != account.pk:
        reason = "the passkey of another account"
    verified = None
    if not reason:
        try:
            verified = verify_authentication_response(
                credential=credential, expected_challenge=base64url_to_bytes(pending["challenge"]),
                expected_rp_id=rp_id, expected_origin=origin, credential_public_key=bytes(passkey.public_key),
                credential_current_sign_count=passkey.sign_count)
        except (InvalidAuthenticationResponse, ValueError, KeyError, TypeError) as error:
            reason = str(error)[:200] or "not verified"
    if reason:
        login_failure_record(username=key, address=address or None, now=now)
        activity_record(account=account, action="passkey_sign_in_failed", note=reason, address=address)
        return None
    with transaction.atomic():
        row = PortalPasskey.objects.select_for_update().get(pk=passkey.pk)
        if verified.new_sign_count and verified.new_sign_count <= row.sign_count:
            reason = "sign count did not grow"
        else:
            row.sign_count, row.last_used_at = verified.new_sign_count, now
            row.save(update_fields=["sign_count", "last_used_at"])
            PortalAccount.objects.filter(pk=account.pk).update(last_sign_in_at=now)
            audit_record(actor=f"portal:{account.pk}", action="portal.sign_in", entity=account, note="passkey")
            activity_record(account=account, action="passkey_sign_in", entity_type="creditors.portalpasskey",
                            entity_id=row.pk, address=address)
    if reason:
        login_failure_record(username=key, address=address or None, now=now)
        activity_record(account=account, action="passkey_sign_in_failed", note=reason, address=address)
        return None
    login_success_record(username=key)
    return account
