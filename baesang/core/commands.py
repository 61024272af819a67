"""Shared pieces of the staff commands (judgment, person, claim, claims, batch, deposit, report).

A command only reads and checks its arguments, names the acting user (``--user``, whose
roles the services check) and calls services and selectors. A domain error or bad input is
a message on stderr and exit status 2, with nothing changed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from baesang.core.errors import DomainError

USAGE_ERROR = 2
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


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


def acting_user(username: str | None):

    if not username:
        raise usage_error("--user", "name the acting user (their roles decide what they may do)")
    try:
        return get_user_model().objects.get(username=username)
    except ObjectDoesNotExist:
        raise usage_error("--user", f"there is no user {username!r}") from None


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
            handler(**options)
        except DomainError as exc:
            raise CommandError(exc.message, returncode=USAGE_ERROR) from exc

    def out(self, text: str = "") -> None:
        self.stdout.write(text)
