"""Fixtures of the creditors' portal tests: the memory outbox, files under a temporary media root."""

from __future__ import annotations

import pytest
from portal_support import portal_world

from baesang.creditors import outbox


@pytest.fixture(autouse=True)
def portal_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.BAESANG_OUTBOX_EMAIL = "memory"
    settings.BAESANG_OUTBOX_SMS = "memory"
    settings.BAESANG_PORTAL_URL = "http://testserver"
    settings.BAESANG_CLAMD = ""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    outbox.SENT.clear()
    yield settings
    outbox.SENT.clear()


@pytest.fixture
def pw(db):
    return portal_world()
