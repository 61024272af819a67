"""Fixtures of the case-work tests (helpers in casework_support.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from casework_support import World, make_staff

HERE = Path(__file__).resolve().parent
ROOT_CONFTEST = HERE.parent / "conftest.py"


def pytest_collection_modifyitems(config, items):
    """Tests marked ``postgres`` here get the ``requires_postgres`` skip marker of tests/conftest.py."""
    root = next(plugin for plugin in config.pluginmanager.get_plugins()
                if getattr(plugin, "__file__", None) and Path(plugin.__file__).resolve() == ROOT_CONFTEST)
    for item in items:
        if item.get_closest_marker("postgres") and HERE in Path(str(item.fspath)).resolve().parents:
            item.add_marker(root.requires_postgres)


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
