"""Sign-in services: failed-login throttling and the TOTP second factor.

Throttling: ``BAESANG_LOGIN_MAX_FAILURES`` failed attempts for one user name (or
``BAESANG_LOGIN_MAX_FAILURES_PER_ADDRESS`` from one client address) within
``BAESANG_LOGIN_LOCK_MINUTES`` lock that name (address) for that many minutes. A wrong
second-factor code counts as a failure of the user name, so the six digits cannot be guessed.

Second factor: TOTP (RFC 6238, 30-second steps, 6 digits, SHA-1 as authenticator apps
expect); a code from the step before or after is accepted for clock drift, and a step once
used is never accepted again (no replay). Required for the roles in
``BAESANG_SECOND_FACTOR_ROLES`` (approvers and administrators) and for superusers.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

import pyotp
import segno
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from baesang.core.permissions import permission_require, user_roles
from baesang.core.services import audit_record
from baesang.pii.fields import reveal
from baesang.staff.models import LoginThrottle, SecondFactor

TOTP_ISSUER = "baesang"
TOTP_STEP_SECONDS = 30
#: The documented secret the demo loader gives the demo approver and administrator
#: (development only; ``baesang demo load`` refuses to run in production).
DEMO_TOTP_SECRET = "BAESANGDEMOBAESANGDEMOBAESANGDEM"


def _max_failures(scope: str) -> int:
    if scope == LoginThrottle.SCOPE_ADDRESS:
        return int(getattr(settings, "BAESANG_LOGIN_MAX_FAILURES_PER_ADDRESS", 20))
    return int(getattr(settings, "BAESANG_LOGIN_MAX_FAILURES", 5))


def _lock_period() -> timedelta:
    return timedelta(minutes=int(getattr(settings, "BAESANG_LOGIN_LOCK_MINUTES", 15)))


def _digest(scope: str, key: str) -> str:
    normalised = key.strip().lower() if scope == LoginThrottle.SCOPE_USERNAME else key.strip()
    return hmac.new(settings.SECRET_KEY.encode(), f"{scope}:{normalised}".encode(), hashlib.sha256).hexdigest()


def _keys(username: str, address: str | None) -> list[tuple[str, str]]:
    keys = [(LoginThrottle.SCOPE_USERNAME, _digest(LoginThrottle.SCOPE_USERNAME, username or ""))]
    if address:
        keys.append((LoginThrottle.SCOPE_ADDRESS, _digest(LoginThrottle.SCOPE_ADDRESS, address)))
    return keys


def login_locked_until(*, username: str, address: str | None, now: datetime | None = None) -> datetime | None:
    """The end of the lock on this user name or address, or None when sign-in may be tried."""
    now = now or timezone.now()
    locks = [
        throttle.locked_until
        for scope, digest in _keys(username, address)
        for throttle in LoginThrottle.objects.filter(scope=scope, key_digest=digest, locked_until__gt=now)
    ]
    return max(locks) if locks else None


def _throttle_for_update(scope: str, digest: str) -> LoginThrottle:
    try:
        with transaction.atomic():
            LoginThrottle.objects.get_or_create(scope=scope, key_digest=digest)
    except IntegrityError:  # created at the same moment by a concurrent attempt
        pass
    return LoginThrottle.objects.select_for_update().get(scope=scope, key_digest=digest)


def login_failure_record(*, username: str, address: str | None, now: datetime | None = None) -> datetime | None:
    """Count one failed attempt; return the end of the lock if this failure caused one."""
    now = now or timezone.now()
    period = _lock_period()
    locked_until = None
    with transaction.atomic():
        for scope, digest in _keys(username, address):
            throttle = _throttle_for_update(scope, digest)
            if throttle.window_started_at is None or throttle.window_started_at + period <= now:
                throttle.window_started_at = now
                throttle.failures = 0
            throttle.failures += 1
            if throttle.failures >= _max_failures(scope):
                throttle.locked_until = now + period
                throttle.failures = 0
                throttle.window_started_at = None
                locked_until = max(filter(None, [locked_until, throttle.locked_until]))
            throttle.save()
    return locked_until


def login_success_record(*, username: str) -> None:
    """A successful sign-in clears the failures of the user name (not of the address)."""
    LoginThrottle.objects.filter(
        scope=LoginThrottle.SCOPE_USERNAME, key_digest=_digest(LoginThrottle.SCOPE_USERNAME, username)
    ).delete()


# --- second factor -----------------------------------------------------------------------------


def second_factor_required(user) -> bool:
    """Whether ``user`` must pass a second factor to sign in."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    required_roles = set(getattr(settings, "BAESANG_SECOND_FACTOR_ROLES", ("approver", "administrator")))
    return bool(getattr(user, "is_superuser", False) or user_roles(user) & required_roles)


def second_factor_confirmed(user) -> SecondFactor | None:
    return SecondFactor.objects.filter(user=user, confirmed_at__isnull=False).first()


def second_factor_begin(*, user) -> SecondFactor:
    """The unconfirmed factor of ``user`` to enrol, with a fresh secret if none is pending.

    A confirmed factor is never replaced here: resetting one is an administrator's act
    (:func:`second_factor_reset`)."""
    with transaction.atomic():
        factor = SecondFactor.objects.select_for_update().filter(user=user).first()
        if factor is not None and factor.confirmed_at is not None:
            raise ValueError(f"user {user} already has a confirmed second factor")
        if factor is None:
            factor = SecondFactor.objects.create(user=user, secret=pyotp.random_base32(32))
        return factor


def provisioning_uri(factor: SecondFactor) -> str:
    """The ``otpauth://`` URI an authenticator app reads (from the QR code or typed in)."""
    return pyotp.TOTP(reveal(factor.secret)).provisioning_uri(name=factor.user.get_username(), issuer_name=TOTP_ISSUER)


def qr_code_svg(uri: str) -> str:
    """The URI as an inline SVG QR code (segno, pure Python)."""

    return segno.make(uri, error="m").svg_inline(scale=4, border=2, dark="#111", light="#fff")


@dataclass(frozen=True)
class CodeCheck:
    accepted: bool
    step: int | None = None


def _check_code(secret: str, code: str, *, last_used_step: int | None, now: datetime) -> CodeCheck:
    code = "".join(code.split())
    if not (len(code) == 6 and code.isdigit()):
        return CodeCheck(False)
    totp = pyotp.TOTP(secret, interval=TOTP_STEP_SECONDS)
    current = int(now.timestamp()) // TOTP_STEP_SECONDS
    for step in (current - 1, current, current + 1):
        if last_used_step is not None and step <= last_used_step:
            continue
        if hmac.compare_digest(totp.at(step * TOTP_STEP_SECONDS), code):
            return CodeCheck(True, step)
    return CodeCheck(False)


def second_factor_verify(*, user, code: str, now: datetime | None = None) -> bool:
    """Check a code against the user's factor; on success confirm the factor (enrolment) and
    remember the step so the same code cannot be used again. Writes an audit row on enrolment."""
    now = now or timezone.now()
    with transaction.atomic():
        factor = SecondFactor.objects.select_for_update().filter(user=user).first()
        if factor is None:
            return False
        result = _check_code(reveal(factor.secret), code, last_used_step=factor.last_used_step, now=now)
        if not result.accepted:
            return False
        factor.last_used_step = result.step
        if factor.confirmed_at is None:
            factor.confirmed_at = now
            audit_record(actor=user, action="auth.second_factor_enrol", entity_type="auth.user", entity_id=user.pk)
        factor.save(update_fields=["last_used_step", "confirmed_at"])
        return True


def second_factor_reset(*, user, actor) -> bool:
    """Remove the factor of ``user`` so that they enrol again at the next sign-in."""
    permission_require(actor, "manage_users")
    with transaction.atomic():
        deleted, _ = SecondFactor.objects.filter(user=user).delete()
        if deleted:
            audit_record(actor=actor, action="auth.second_factor_reset", entity_type="auth.user", entity_id=user.pk)
    return bool(deleted)


def second_factor_set_demo(*, user) -> None:
    """Give a demo user without a second factor the documented demo secret, already confirmed
    (development only). A factor the user enrolled themselves is kept."""
    if settings.PRODUCTION:
        raise RuntimeError("demo second factors are never set with BAESANG_ENV=production")
    SecondFactor.objects.get_or_create(
        user=user, defaults={"secret": DEMO_TOTP_SECRET, "confirmed_at": timezone.now()}
    )


def current_code(secret: str, now: datetime | None = None) -> str:
    """The code an authenticator app shows now for ``secret`` (for the demo and for tests)."""
    now = now or timezone.now()
    return pyotp.TOTP(secret, interval=TOTP_STEP_SECONDS).at(int(now.timestamp()))


def totp_code_check(secret: str, code: str, *, last_used_step: int | None, now: datetime) -> CodeCheck:
    """The TOTP check of the staff sign-in, for other sign-ins (the creditors' portal): the same
    drift window and the same refusal of a step at or before ``last_used_step`` (no replay)."""
    return _check_code(secret, code, last_used_step=last_used_step, now=now)
