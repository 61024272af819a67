"""schemathesis against the API's own OpenAPI schema: no generated request — valid or
deliberately invalid — may cause a server error, and every error answer is the JSON
``{"code", "message"}`` of docs/api.md.

The application runs in-process (WSGI) on the demo foundation (three judgments, claims,
consents, a paid batch, refusals), so list and report operations compute over real records
for generated dates; requests carry the token of a user holding every role, so each
operation is exercised past its permission check. ``max_examples`` is small per operation
so the test stays well under a minute.
"""

from __future__ import annotations

import io

import pytest
import schemathesis
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode

from baesang.staff.tokens import api_token_bootstrap
from baesang.web.permissions import ROLE_ORDER

EXAMPLES_PER_OPERATION = 10


@pytest.fixture
def wsgi_app():
    """The WSGI application, without closing the test's database connection after each request
    (as Django's test client does)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def every_role_token(django_user_model) -> str:
    call_command("demo", "load", stdout=io.StringIO())
    user = django_user_model.objects.create_user("schemathesis")
    user.groups.add(*Group.objects.filter(name__in=ROLE_ORDER))
    return api_token_bootstrap(user=user, name="schemathesis")[1]


def _check(case, token: str) -> None:
    response = case.call(headers={"Authorization": f"Bearer {token}"})
    where = f"{case.method} {case.formatted_path} query={case.query!r} body={case.body!r}"
    assert response.status_code < 500, f"{where} → {response.status_code} {response.text[:300]}"
    if response.status_code >= 400:
        body = response.json()
        assert isinstance(body.get("code"), str) and isinstance(body.get("message"), str), where


@pytest.mark.django_db
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_generated_request_causes_a_server_error(wsgi_app, every_role_token, mode):
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", wsgi_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 2
    for operation in operations:
        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))
        def run(case):
            _check(case, every_role_token)

        run()
