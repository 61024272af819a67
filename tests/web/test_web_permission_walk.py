"""Every URL of the staff application and every API operation, for every role and for an
anonymous visitor, answers as the permission matrix says (docs/permissions.md).

Allowed → neither 401/403 nor a redirect to the login page; refused → 403 for a signed-in
user, the login page (web) or 401 (API) for an anonymous visitor. A view or an operation
that declares no action of the matrix fails here.
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, reverse

from baesang.api.api import api
from baesang.api.auth import BearerToken
from baesang.pii.services import can_reveal
from baesang.staff.tokens import api_token_bootstrap
from baesang.web import urls as web_urls
from baesang.web.permissions import MATRIX, PUBLIC, ROLE_ORDER, matrix_markdown, user_may
from baesang.web.portal import urls as portal_urls

PRINCIPALS = ("anonymous", "norole", *ROLE_ORDER)
SAMPLE_BY_CONVERTER = {"int": 999999, "str": "zz", "slug": "zz", "path": "zz", "uuid": uuid.UUID(int=0)}


def _web_routes(patterns, namespace="web"):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _web_routes(entry.url_patterns, namespace)
        elif isinstance(entry, URLPattern):
            yield namespace, entry


def web_urls_to_walk() -> list[tuple[str, object]]:
    found = []
    for namespace, pattern in _web_routes(web_urls.urlpatterns):
        assert pattern.name, f"URL pattern {pattern.pattern} of the staff application has no name"
        converters = pattern.pattern.converters
        kwargs = {}
        for key, converter in converters.items():
            name = type(converter).__name__.replace("Converter", "").lower()
            kwargs[key] = SAMPLE_BY_CONVERTER.get(name, "zz")
        found.append((reverse(f"{namespace}:{pattern.name}", kwargs=kwargs), pattern.callback))
    return found


def api_operations() -> list[tuple[str, str, object]]:
    found = []
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                url = "/api/" + (prefix.strip("/") + "/" if prefix.strip("/") else "") + path.lstrip("/")
                url = re.sub(r"\{[^}]*\}", "999999", url)
                for method in operation.methods:
                    found.append((method, url, operation))
    return found


def _is_login_redirect(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(settings.LOGIN_URL)


@pytest.fixture
def client_as(role_users, sign_in):
    """A fresh client for each request (a walked sign-out must not affect the next request)."""

    def make(name: str) -> Client:
        client = Client()
        if name != "anonymous":
            sign_in(client, role_users[name])
        return client

    return make


def test_every_web_view_declares_an_action_of_the_matrix():
    for url, callback in web_urls_to_walk():
        action = getattr(callback, "permission_action", None)
        assert action is not None, f"{url}: view {callback.__name__} has neither @requires(action) nor @public"
        assert action == PUBLIC or action in MATRIX, f"{url}: unknown action {action!r}"


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
def test_every_web_url_answers_each_principal_as_the_matrix_says(client_as, role_users, method):
    checked = 0
    for url, callback in web_urls_to_walk():
        action = callback.permission_action
        for name in PRINCIPALS:
            response = getattr(client_as(name), method)(url)
            checked += 1
            where = f"{method.upper()} {url} as {name} (action {action})"
            assert response.status_code < 500, where
            if action == PUBLIC:
                assert response.status_code != 403, where
                continue
            allowed = name != "anonymous" and user_may(role_users[name], action)
            if allowed:
                assert response.status_code not in (401, 403) and not _is_login_redirect(response), where
            elif name == "anonymous":
                assert _is_login_redirect(response), where
            else:
                assert response.status_code == 403, where
    assert checked >= len(PRINCIPALS) * 8


def test_every_api_operation_declares_exactly_one_action():
    operations = api_operations()
    assert operations, "the API has no operation"
    for method, url, operation in operations:
        checks = [callback for callback in operation.auth_callbacks if isinstance(callback, BearerToken)]
        assert len(checks) == 1 and len(operation.auth_callbacks) == 1, (
            f"{method} {url}: auth must be exactly allowed(<action>), found {operation.auth_callbacks!r}"
        )
        assert checks[0].action in MATRIX


@pytest.mark.django_db
def test_every_api_operation_answers_each_principal_as_the_matrix_says(role_users):
    tokens = {name: api_token_bootstrap(user=role_users[name], name="walk")[1]
              for name in ("norole", *ROLE_ORDER)}
    client = Client()
    for method, url, operation in api_operations():
        action = operation.auth_callbacks[0].action
        for name in PRINCIPALS:
            headers = {} if name == "anonymous" else {"HTTP_AUTHORIZATION": f"Bearer {tokens[name]}"}
            response = client.generic(method, url, data="{}", content_type="application/json", **headers)
            where = f"{method} {url} as {name} (action {action})"
            assert response.status_code < 500, where
            body = response.json()
            if name == "anonymous":
                assert response.status_code == 401 and body["code"] == "unauthenticated", where
            elif user_may(role_users[name], action) and MATRIX[action].second_factor:
                # through a token, a step-up action needs a fresh TOTP code (X-Baesang-OTP)
                assert response.status_code == 403 and body["code"] == "second_factor_required", where
            elif user_may(role_users[name], action):
                assert response.status_code not in (401, 403), where
            else:
                assert response.status_code == 403 and body["code"] == "permission_denied", where


#: Portal pages open to anyone: the sign-in steps (the invitation link proves itself when used).
PORTAL_OPEN = {"sign_in", "invitation", "enrol", "passkey_options", "passkey_sign_in"}


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
def test_every_portal_url_refuses_anonymous_visitors_and_every_staff_user(client_as, method):
    """The creditors' portal has its own sign-in: a staff session (any role) is not a portal
    session, so every portal page but the sign-in steps sends it to the portal's sign-in page."""
    sign_in_url = reverse("portal:sign_in")
    walked = 0
    for pattern in portal_urls.urlpatterns:
        kwargs = {key: (999999 if type(conv).__name__ == "IntConverter" else "zz")
                  for key, conv in pattern.pattern.converters.items()}
        url = reverse(f"portal:{pattern.name}", kwargs=kwargs)
        for name in PRINCIPALS:
            response = getattr(client_as(name), method)(url)
            where = f"{method.upper()} {url} as {name}"
            assert response.status_code < 500, where
            if pattern.name in PORTAL_OPEN:
                continue
            walked += 1
            assert response.status_code in (302, 405), where
            if response.status_code == 302:
                assert response["Location"] == sign_in_url, where
    assert walked >= len(PRINCIPALS) * 8


def test_docs_permissions_md_is_generated_from_the_matrix():
    text = (Path(settings.BASE_DIR) / "docs" / "permissions.md").read_text(encoding="utf-8")
    assert matrix_markdown() in text, "docs/permissions.md is stale: run `baesang permissions --write-docs`"


def test_matrix_keeps_four_eyes_and_a_read_only_auditor():
    assert not MATRIX["prepare_batch"].roles & MATRIX["approve_batch"].roles
    assert not MATRIX["execute_batch"].roles & MATRIX["approve_batch"].roles
    read_prefixes = ("view_", "search_", "verify_", "reveal_", "use_own_")
    for name, action in MATRIX.items():
        if "auditor" in action.roles or action.any_signed_in:
            assert name.startswith(read_prefixes), f"auditors (and everyone) may only read, but {name} changes"
    assert MATRIX["view_access_log"].roles == {"auditor", "administrator"}


def test_matrix_never_allows_a_reveal_that_the_personal_data_service_refuses(role_users):

    for name in ROLE_ORDER:
        if user_may(role_users[name], "reveal_personal_data"):
            assert can_reveal(role_users[name], "rrn"), name
