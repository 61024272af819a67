"""Authentication of an operator by API token, with a second factor at the time of the action.

Django's ``authenticate(None, api_token=…, action=…, otp=…)`` reaches
:class:`ApiTokenBackend` (``AUTHENTICATION_BACKENDS``), so the command line (``baesang.core``,
below this app) proves who is acting without importing the staff app. Sign-in with a user name
and password never reaches this backend (its keywords differ), and it never makes a session.
"""

from __future__ import annotations

from baesang.core.errors import CredentialRefused, SecondFactorRequired
from baesang.core.permissions import action_get, permission_require
from baesang.staff.signin import second_factor_confirmed, second_factor_verify
from baesang.staff.tokens import api_token_user

_NOT_GIVEN = object()


def step_up_verify(*, user, code: str | None) -> None:
    """Refuse unless ``code`` is a fresh TOTP code of the user's confirmed second factor (a
    code is accepted once: the step is remembered, so it cannot be replayed)."""
    if second_factor_confirmed(user) is None:
        raise SecondFactorRequired(
            f"{user.get_username()} has no confirmed second factor: enrol one on the web first (sign in once)",
            field="otp")
    if not code:
        raise SecondFactorRequired("this action needs a second-factor (TOTP) code at the time it is done",
                                   field="otp")
    if not second_factor_verify(user=user, code=code):
        raise SecondFactorRequired("the second-factor code is wrong, expired or was already used", field="otp")


class ApiTokenBackend:
    """Authenticates ``api_token`` for ``action``: refuses a token that is unknown, revoked or of
    an inactive user, then a user whose roles lack the action, then — for an action that needs a
    second factor, when ``otp`` is given (or ``None`` is passed explicitly as the code) — a
    missing, wrong or replayed code."""

    def authenticate(self, request, *, api_token: str, action: str, otp: str | None | object = _NOT_GIVEN):
        user = api_token_user(api_token or "")
        if user is None:
            raise CredentialRefused("the API token is unknown or revoked, or its user is inactive", field="token")
        permission_require(user, action)
        if action_get(action).second_factor and otp is not _NOT_GIVEN:
            step_up_verify(user=user, code=otp)  # type: ignore[arg-type]
        return user

    def get_user(self, user_id):  # never makes a session
        return None
