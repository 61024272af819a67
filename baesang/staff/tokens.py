"""Services of API tokens: create (the token is returned once), revoke, authenticate.

An administrator creates and revokes tokens (``manage_api_tokens``). The installation's
operator may also do it from the machine's shell (``baesang api-token``): that is the
bootstrap of the first credential, written to the audit log as the command line's doing."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from baesang.core.errors import DomainError, InputError
from baesang.core.permissions import Actor, permission_require
from baesang.core.services import audit_record
from baesang.staff.models import ApiToken

TOKEN_PREFIX = "bsg_"
#: last_used_at is written at most this often per token, so reads do not become writes.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class TokenNameMissing(InputError):
    code = "token_name_missing"


class TokenAlreadyRevoked(DomainError):
    code = "token_already_revoked"


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


BOOTSTRAP_ACTOR = "command line (operator of the installation)"


def api_token_create(*, user, name: str, actor: Actor) -> tuple[ApiToken, str]:
    """Create a token acting as ``user``; return the record and the token text (shown once)."""
    permission_require(actor, "manage_api_tokens")
    return _token_create(user=user, name=name, actor=actor)


def api_token_bootstrap(*, user, name: str) -> tuple[ApiToken, str]:
    """Create a token from the machine's shell (the first credential of an installation)."""
    return _token_create(user=user, name=name, actor=BOOTSTRAP_ACTOR)


def _token_create(*, user, name: str, actor: Actor | str) -> tuple[ApiToken, str]:
    name = (name or "").strip()
    if not name:
        raise TokenNameMissing("an API token needs a name saying which integration uses it", field="name")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(user=user, name=name[:100], prefix=raw[:12], digest=_digest(raw))
        audit_record(actor=actor, action="api_token.create", entity=token,
                     new={"user": user.get_username(), "name": token.name, "prefix": token.prefix})
    return token, raw


def api_token_revoke(*, token: ApiToken, actor: Actor | str) -> ApiToken:
    """Revoke a token (an administrator, or the operator from the machine's shell with
    ``actor=BOOTSTRAP_ACTOR``)."""
    if actor != BOOTSTRAP_ACTOR:
        permission_require(actor, "manage_api_tokens")
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is not None:
            raise TokenAlreadyRevoked(f"API token {token.prefix}… ({token.name}) was already revoked")
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action="api_token.revoke", entity=token, new={"revoked_at": token.revoked_at})
    return token


def api_token_user(raw: str):
    """The active user a token acts as, or None (unknown, revoked, or user inactive)."""
    if not raw or not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    token = ApiToken.objects.select_related("user").filter(digest=_digest(raw), revoked_at__isnull=True).first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.user.api_token = token
    return token.user
