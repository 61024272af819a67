"""Calling a domain service from a view: a refused change becomes a message for the user in
their language's frame (the service's own message names the record and the rule), never a 500."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest

from baesang.calc.interest import InterestError
from baesang.core.errors import DomainError


def attempt(request: HttpRequest, call: Callable[[], Any], success: str = "") -> tuple[bool, Any]:
    """Run ``call``; on a domain error show its message and return (False, None)."""
    try:
        result = call()
    except (DomainError, InterestError) as error:
        messages.error(request, error.message)
        return False, None
    if success:
        messages.success(request, success)
    return True, result
