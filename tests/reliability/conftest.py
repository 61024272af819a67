"""Fixtures of the reliability suite: the case-work helpers of tests/cases (staff, a debtor, a
judgment, claims) and a media folder of the test's own. Every test here runs on PostgreSQL only,
once, in the PostgreSQL pass of .ci/run: the skip markers of tests/conftest.py are added here."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT_CONFTEST = HERE.parent / "conftest.py"
sys.path.insert(0, str(HERE.parent / "cases"))


def pytest_collection_modifyitems(config, items):
    root = next(plugin for plugin in config.pluginmanager.get_plugins()
                if getattr(plugin, "__file__", None) and Path(plugin.__file__).resolve() == ROOT_CONFTEST)
    for item in items:
        if HERE in Path(str(item.fspath)).resolve().parents:
            item.add_marker(root.requires_postgres)
            item.add_marker(root.runs_once_in_postgres_pass)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
