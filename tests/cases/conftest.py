"""Fixtures of the case-work tests (helpers in casework_support.py)."""

from __future__ import annotations

import pytest
from casework_support import World, make_staff


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def staff(db, django_user_model):
    return make_staff(django_user_model)


@pytest.fixture
def world(db, staff):
    return World(staff)
