"""Run staff commands as an authenticated operator: an API token in ``BAESANG_CLI_TOKEN`` (and a
fresh TOTP code where the action needs a second factor), as the command line requires."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from baesang.core.commands import CLI_OTP_ENV, CLI_TOKEN_ENV
from baesang.pii.fields import reveal
from baesang.staff.models import SecondFactor
from baesang.staff.signin import current_code
from baesang.staff.tokens import api_token_bootstrap

TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def token_for(username: str) -> str:
    """A new API token acting as ``username`` (the bootstrap path of ``baesang api-token create``)."""
    user = get_user_model().objects.get(username=username)
    _, raw = api_token_bootstrap(user=user, name=f"test-{username}")
    return raw


def fresh_code(username: str) -> str:
    """A TOTP code not used before by ``username`` (enrols a known secret when they have none).
    Each call moves the accepted step on, so the code is the next step's when the current one
    was used: the step window accepts the step after the current one for clock drift."""
    user = get_user_model().objects.get(username=username)
    factor, _ = SecondFactor.objects.get_or_create(
        user=user, defaults={"secret": TEST_TOTP_SECRET, "confirmed_at": timezone.now()})
    secret = reveal(factor.secret)
    now = timezone.now()
    step = int(now.timestamp()) // 30
    if factor.last_used_step is not None and factor.last_used_step >= step:
        now = now + timedelta(seconds=30)
    return current_code(secret, now)


@contextmanager
def operator_env(token: str | None, otp: str | None = None) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in (CLI_TOKEN_ENV, CLI_OTP_ENV)}
    for name, value in ((CLI_TOKEN_ENV, token), (CLI_OTP_ENV, otp)):
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def run_as(username: str, *args: str, otp: bool = False, **kwargs) -> str:
    """``call_command(*args)`` with a token of ``username`` (and a fresh code with ``otp``);
    returns what it printed."""
    out = kwargs.pop("stdout", None) or StringIO()
    with operator_env(token_for(username), fresh_code(username) if otp else None):
        call_command(*args, stdout=out, **kwargs)
    return out.getvalue()
