"""Calling a domain service from a view: a refused change becomes a message for the user in
their language from the catalogue of :mod:`baesang.core.messages` (in English with the
service's own detail, which names the record and the rule), never a 500."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import get_language

from baesang.calc.interest import InterestError
from baesang.core.errors import DomainError
from baesang.core.messages import error_message


def attempt(request: HttpRequest, call: Callable[[], Any], success: str = "") -> tuple[bool, Any]:
    """Run ``call``; on a domain error show its message and return (False, None)."""
    try:
        result = call()
    except DomainError as error:
        messages.error(request, error_message(error, get_language() or "ko"))
        return False, None
    except InterestError as error:
        messages.error(request, error.message)
        return False, None
    if success:
        messages.success(request, success)
    return True, result
