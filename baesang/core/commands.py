"""Shared pieces of the staff commands (judgment, person, claim, claims, batch, deposit, report).

A command only reads and checks its arguments, authenticates the operator and calls services
and selectors. A domain error or bad input is a message on stderr and exit status 2, with
nothing changed.

Who is acting (:func:`operator_authenticate`): a command that changes data acts as the user of
the API token in ``BAESANG_CLI_TOKEN`` (made with ``baesang api-token create USER --name N``);
an action that needs a second factor (the permission table's ``second_factor``, e.g.
``approve_batch``) also needs a fresh TOTP code in ``BAESANG_CLI_OTP`` or ``--otp``. On a
terminal the command asks for what is missing; with standard input not a terminal it never
waits. ``--user NAME`` is only a cross-check of the token's user: alone it is never trusted
(exit status 2, nothing changed) — not in development, not on SQLite, not in CI. Audit rows
written by the command name the channel ``cli`` and the token's prefix.
"""

from __future__ import annotations

import getpass
import json
import os
import re
import sys
from collections.abc import Callable, Iterable
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any

from django.contrib.auth import authenticate
from django.core.exceptions import ObjectDoesNotExist
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from baesang.core.errors import DomainError
from baesang.core.permissions import action_get
from baesang.core.services import CLI, Channel, channel_current, channel_reset, channel_set

USAGE_ERROR = 2
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
#: the operator's API token, and the second factor where the action needs one
CLI_TOKEN_ENV = "BAESANG_CLI_TOKEN"
CLI_OTP_ENV = "BAESANG_CLI_OTP"


def usage_error(argument: str, message: str) -> CommandError:
    return CommandError(f"{argument}: {message}" if argument else message, returncode=USAGE_ERROR)


def parse_date(text: str | None, argument: str) -> date:
    if text is None:
        return timezone.localdate()
    try:
        if not _ISO_DATE.fullmatch(text.strip()):
            raise ValueError
        return date.fromisoformat(text.strip())
    except ValueError:
        raise usage_error(argument, f"{text!r} is not a date written YYYY-MM-DD") from None


def parse_share(text: str, argument: str) -> tuple[str, Fraction]:
    """``KEY=NUM/DEN`` (or ``KEY=1``)."""
    match = re.fullmatch(r"\s*([^=\s]+)\s*=\s*(\d+)\s*(?:/\s*(\d+)\s*)?", text)
    if not match or (match.group(3) is not None and int(match.group(3)) == 0):
        raise usage_error(argument, f"{text!r} is not written ID=NUM/DEN, e.g. 12=1/3")
    return match.group(1), Fraction(int(match.group(2)), int(match.group(3) or 1))


def _interactive(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def operator_authenticate(*, action: str, username: str | None = None, otp: str | None = None,
                          stdin: Any = None) -> Any:
    """The user the command acts as, proven by an API token (and a second factor where
    ``action`` needs one); a usage error with exit status 2 otherwise, before anything is read
    or changed. Sets the channel of the audit rows to the command line and the token's prefix."""
    entry = action_get(action)
    stdin = sys.stdin if stdin is None else stdin
    interactive = _interactive(stdin)
    raw = os.environ.get(CLI_TOKEN_ENV, "").strip()
    if not raw and interactive:
        raw = getpass.getpass("API token (BAESANG_CLI_TOKEN): ").strip()
    if not raw:
        claimed = f" --user {username} is not a credential;" if username else ""
        raise usage_error(
            CLI_TOKEN_ENV, f"who is acting is not proven:{claimed} set {CLI_TOKEN_ENV} to your API token (made with "
            "`baesang api-token create USER --name N`); nothing was changed")
    try:
        user = authenticate(None, api_token=raw, action=action)  # the token, then the user's roles
        if user is None:
            raise usage_error(CLI_TOKEN_ENV, "the token is unknown or revoked, or its user is inactive; nothing "
                              "was changed")
        if username and username != user.get_username():
            raise usage_error("--user", f"the token acts as {user.get_username()!r}, not {username!r}; nothing "
                              "was changed")
        if entry.second_factor:  # then a fresh code, used up only once everything else is right
            code = (otp or os.environ.get(CLI_OTP_ENV, "")).strip()
            if not code and interactive:
                code = getpass.getpass("Second-factor code (TOTP): ").strip()
            user = authenticate(None, api_token=raw, action=action, otp=code or None)
    except DomainError as exc:
        raise CommandError(exc.message, returncode=USAGE_ERROR) from exc
    token = getattr(user, "api_token", None)
    credential = f"token {token.prefix}" if token is not None else "token"
    channel_set(Channel(CLI, credential + ("+otp" if entry.second_factor else "")))
    return user


def acting_user(username: str | None, *, action: str, otp: str | None = None) -> Any:
    """The operator of a command that changes data (see :func:`operator_authenticate`)."""
    return operator_authenticate(action=action, username=username, otp=otp)


def operator_arguments(parser, *, second_factor: bool = False) -> None:
    """``--user`` (a cross-check of the token's user) and, for actions that need it, ``--otp``."""
    parser.add_argument("--user", help=f"the expected user of the token in {CLI_TOKEN_ENV} (a cross-check only)")
    if second_factor:
        parser.add_argument("--otp", help=f"the second-factor code (TOTP); or {CLI_OTP_ENV}")


class channel_scope:  # noqa: N801 - a context manager used like a function
    """Whatever channel a command sets is undone when it ends (commands run in tests' processes)."""

    def __enter__(self):
        self._token = channel_set(channel_current())
        return self

    def __exit__(self, *exc_info):
        channel_reset(self._token)
        return False


def get_or_fail(model, pk: Any, what: str):
    try:
        return model.objects.get(pk=int(pk))
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise usage_error(what, f"there is no {what} {pk}") from None


def read_file(path: str, argument: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise usage_error(argument, f"cannot read {path}: {exc.strerror}") from None


def read_json(path: str, argument: str) -> Any:
    try:
        return json.loads(read_file(path, argument).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise usage_error(argument, f"{path} is not a JSON file: {exc}") from None


def as_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, cls=DjangoJSONEncoder)


class RawOutput:
    """A command's standard output taking text as it comes, no line ending added (Django's
    ``OutputWrapper.write`` ends every write with one): what :func:`json_array_write` writes to."""

    def __init__(self, stdout) -> None:
        self.stdout = stdout

    def write(self, text: str) -> None:
        self.stdout.write(text, ending="")


def json_array_write(rows: Iterable[Any], out, *, level: int = 0) -> int:
    """Write ``rows`` to ``out`` as one JSON array, a row at a time (the text of :func:`as_json`
    of the whole list, without holding it); how many rows. ``level`` > 0: the array is the value
    of a member that many levels deep (indented as :func:`as_json` would, no line end after it)."""
    count = 0
    pad, end = "  " * (level + 1), "" if level else "\n"
    for row in rows:
        text = json.dumps(row, ensure_ascii=False, indent=2, cls=DjangoJSONEncoder)
        out.write(("[\n" if count == 0 else ",\n") + "\n".join(pad + line for line in text.split("\n")))
        count += 1
    out.write("[]" + end if count == 0 else "\n" + "  " * level + "]" + end)
    return count


def won(amount: int) -> str:
    return f"{amount:,}원"


class StaffCommand(BaseCommand):
    """A command with actions (``baesang batch prepare …``); domain errors exit with status 2."""

    actions: dict[str, str] = {}

    def add_arguments(self, parser):
        subparsers = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        for name, help_text in self.actions.items():
            sub = subparsers.add_parser(name, help=help_text)
            getattr(self, f"arguments_{name}")(sub)

    def handle(self, *args, action: str, **options):
        handler: Callable = getattr(self, f"do_{action}")
        try:
            with channel_scope():
                handler(**options)
        except DomainError as exc:
            raise CommandError(exc.message, returncode=USAGE_ERROR) from exc

    def out(self, text: str = "") -> None:
        self.stdout.write(text)
