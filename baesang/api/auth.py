"""Authentication and permission of API operations.

Every operation declares the action of the permission matrix it performs:
``@router.get("/claims", auth=allowed("view_claims"))``. The caller is identified by an API
token (``Authorization: Bearer bsg_…``) or, for staff trying the interactive docs, by their
signed-in session (with the CSRF check on writes). No credentials → 401; a user whose roles
lack the action → 403, before the input is even read. A test walks every operation and fails
for one without ``allowed``.

Step-up: an action that needs a second factor (the permission table's ``second_factor``:
``approve_batch``, ``approve_holder_change``, ``manage_users``, ``manage_api_tokens``,
``rotate_field_key``) needs, through a token, a fresh TOTP code of the token's user in the header
``X-Baesang-OTP``, checked once per request; a code is accepted once (no replay). A signed-in
session passed its second factor at sign-in. Audit rows name the channel ``api`` and the
credential (``session`` or the token's prefix, ``+otp`` after a step-up).
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer
from ninja.utils import check_csrf

from baesang.core.errors import PermissionDenied
from baesang.core.permissions import ActionNotPermitted, action_get, user_may
from baesang.core.services import API, Channel, channel_set
from baesang.staff.backends import step_up_verify
from baesang.staff.tokens import api_token_user

#: the header carrying a TOTP code for an action that needs a second factor
OTP_HEADER = "X-Baesang-OTP"

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class CsrfFailed(PermissionDenied):
    code = "csrf_failed"


class BearerToken(HttpBearer):
    """Token or session authentication, then the permission matrix's check of one action."""

    def __init__(self, action: str) -> None:
        action_get(action)
        self.action = action
        super().__init__()

    def __call__(self, request: HttpRequest):
        header = request.headers.get(self.header)
        if header:
            scheme, _, raw = header.partition(" ")
            user = api_token_user(raw.strip()) if scheme.lower() == "bearer" else None
        else:
            user = self._session_user(request)
        if user is None:
            return None
        if not user_may(user, self.action):
            raise ActionNotPermitted(
                f"the roles of {user.get_username()} do not allow {self.action!r} (see docs/permissions.md)",
                action=self.action)
        token = getattr(user, "api_token", None) if header else None
        credential = f"token {token.prefix}" if token is not None else "session"
        if token is not None and action_get(self.action).second_factor:
            step_up_verify(user=user, code=request.headers.get(OTP_HEADER, "").strip() or None)
            credential += "+otp"
        channel_set(Channel(API, credential))  # the request's ChannelMiddleware resets it
        request.user = user
        return user

    def authenticate(self, request: HttpRequest, token: str):  # pragma: no cover - __call__ does the work
        return api_token_user(token)

    @staticmethod
    def _session_user(request: HttpRequest):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if request.method not in SAFE_METHODS and check_csrf(request) is not None:
            raise CsrfFailed("CSRF check failed: a signed-in browser must send the CSRF token on writes")
        return user


def allowed(action: str) -> BearerToken:
    """The ``auth`` of an operation that performs ``action`` of the permission matrix."""
    return BearerToken(action)
