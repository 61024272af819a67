"""Errors of the API as JSON: ``{"code": ..., "message": ...}`` (plus ``field``, ``row`` and
``errors`` where known), never an HTML page and never a 500 for bad input.

Status codes come from the error's class (``DomainError.http_status``), never from the
spelling of its code:
- 400 bad input: ``InputError`` and ``ValidationFailed`` subclasses, malformed parameters or
  body (``invalid_input``, with one entry per problem in ``errors``);
- 401 no or unknown credentials (``unauthenticated``);
- 403 ``PermissionDenied`` subclasses: the roles lack the action, nobody approves their own
  batch (``four_eyes_violation``), a browser write without CSRF token;
- 404 ``RecordNotFound`` subclasses: no such record;
- 409 any other ``DomainError``: an illegal change of state, or a database constraint;
- 500 ``server_error`` with no detail (the cause goes to the server log, not to the client).

``message`` is the catalogue's sentence (:mod:`baesang.core.messages`) in the language the
client prefers by ``Accept-Language`` (English when it names neither Korean nor English);
``detail`` keeps the service's own English message, which names the record and the rule.
"""

from __future__ import annotations

import logging

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

from baesang.calc.interest import InterestError
from baesang.core.errors import DomainError
from baesang.core.messages import error_message, language_of

logger = logging.getLogger("baesang.api")


def domain_error_status(exc: DomainError) -> int:
    return int(type(exc).http_status)


def domain_error_body(request: HttpRequest, exc: DomainError) -> dict:
    body = exc.as_dict()
    body["detail"] = exc.message
    body["message"] = error_message(exc, language_of(request.headers.get("Accept-Language")))
    return body


def _describe(error: dict) -> dict:
    location = [str(part) for part in error.get("loc", ())]
    return {"field": ".".join(location), "message": str(error.get("msg", "invalid value")),
            "type": str(error.get("type", ""))}


def install_error_handlers(api: NinjaAPI) -> None:
    def reply(request: HttpRequest, status: int, body: dict) -> HttpResponse:
        return api.create_response(request, body, status=status)

    @api.exception_handler(DomainError)
    def on_domain_error(request, exc: DomainError):
        return reply(request, domain_error_status(exc), domain_error_body(request, exc))

    @api.exception_handler(InterestError)
    def on_interest_error(request, exc: InterestError):
        return reply(request, 400, exc.as_dict())

    @api.exception_handler(NinjaValidationError)
    def on_invalid_input(request, exc: NinjaValidationError):
        errors = [_describe(error) for error in exc.errors]
        summary = "; ".join(f"{e['field']}: {e['message']}" for e in errors[:5])
        return reply(request, 400, {"code": "invalid_input", "message": f"invalid input — {summary}", "errors": errors})

    @api.exception_handler(DjangoValidationError)
    def on_django_validation(request, exc: DjangoValidationError):
        return reply(request, 400, {"code": "invalid_input", "message": "; ".join(exc.messages)})

    @api.exception_handler(AuthenticationError)
    def on_unauthenticated(request, exc):
        return reply(request, 401, {"code": "unauthenticated",
                                    "message": "send an API token: 'Authorization: Bearer bsg_…'"})

    @api.exception_handler(Throttled)
    def on_throttled(request, exc: Throttled):
        return reply(request, 429, {"code": "throttled", "message": str(exc)})

    @api.exception_handler(HttpError)
    def on_http_error(request, exc: HttpError):
        codes = {400: "bad_request", 401: "unauthenticated", 403: "permission_denied", 404: "not_found",
                 405: "method_not_allowed", 409: "conflict"}
        return reply(request, exc.status_code, {"code": codes.get(exc.status_code, "error"), "message": str(exc)})

    @api.exception_handler(Http404)
    def on_not_found(request, exc):
        return reply(request, 404, {"code": "not_found", "message": str(exc) or "no such record"})

    @api.exception_handler(ObjectDoesNotExist)
    def on_does_not_exist(request, exc):
        return reply(request, 404, {"code": "not_found", "message": str(exc) or "no such record"})

    @api.exception_handler(IntegrityError)
    def on_integrity_error(request, exc):
        logger.warning("API request refused by a database constraint: %s", type(exc).__name__)
        return reply(request, 409, {"code": "conflict", "message": "the change conflicts with recorded data"})

    @api.exception_handler(Exception)
    def on_unexpected(request, exc):
        logger.error("API server error on %s %s", request.method, request.path, exc_info=exc)
        return reply(request, 500, {"code": "server_error", "message": "the server could not complete the request"})
