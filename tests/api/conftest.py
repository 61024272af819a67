"""Fixtures of the API tests: one user and one API token per role."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from baesang.core import roles
from baesang.staff.tokens import api_token_bootstrap
from baesang.web.permissions import ROLE_ORDER


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def role_tokens(django_user_model) -> dict[str, str]:
    """An API token for each role, plus 'norole' (a user without any role)."""

    roles.ensure_role_groups()
    tokens = {}
    for name in (*ROLE_ORDER, "norole"):
        user = django_user_model.objects.create_user(f"api-{name}")
        if name != "norole":
            user.groups.add(Group.objects.get(name=name))
        tokens[name] = api_token_bootstrap(user=user, name=f"test {name}")[1]
    return tokens


@pytest.fixture
def bearer():
    """``bearer(token)``: the header arguments of a request sent with that API token."""
    return lambda token: {"HTTP_AUTHORIZATION": f"Bearer {token}"}
