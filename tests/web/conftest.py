"""Fixtures of the staff-application tests: one user per role, signing in with or without the
second factor, fast password hashing."""

from __future__ import annotations

import time

import pytest
from django.contrib.auth.models import Group

from baesang.core import roles
from baesang.web.middleware import SECOND_FACTOR_SESSION_KEY
from baesang.web.permissions import ROLE_ORDER

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def make_user(django_user_model, username: str, *role_names: str, **extra):
    roles.ensure_role_groups()
    user = django_user_model.objects.create_user(username, password=PASSWORD, **extra)
    for role in role_names:
        user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def role_users(django_user_model) -> dict:
    """One user per role, plus 'norole' (a signed-in account without any role)."""
    users = {role: make_user(django_user_model, role, role) for role in ROLE_ORDER}
    users["norole"] = make_user(django_user_model, "norole")
    return users


def _sign_in(client, user) -> None:
    client.force_login(user)
    session = client.session
    session[SECOND_FACTOR_SESSION_KEY] = int(time.time())
    session.save()


@pytest.fixture
def sign_in():
    """``sign_in(client, user)``: as if ``user`` had passed the password and the second factor."""
    return _sign_in
