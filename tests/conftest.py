"""Test configuration shared by the whole suite.

Transactional tests end with Django's flush, which deletes every row; the append-only
triggers would refuse that, so the flush runs with a purge permit (see baesang.core.db).
"""

from __future__ import annotations

import os
from contextlib import ExitStack

import pytest
from django.db import connection
from django.test import TransactionTestCase

from baesang.core.db import purge_permitted

_original_teardown = TransactionTestCase._fixture_teardown


def _teardown_with_purge_permit(self):
    with ExitStack() as stack:
        for alias in self._databases_names(include_mirrors=False):
            stack.enter_context(purge_permitted(alias))
        _original_teardown(self)


TransactionTestCase._fixture_teardown = _teardown_with_purge_permit


def is_postgres() -> bool:

    return connection.vendor == "postgresql"


@pytest.fixture
def on_postgres() -> bool:
    return is_postgres()


requires_postgres = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="exercises PostgreSQL row locks across connections; runs in the PostgreSQL pass of .ci/run",
)

#: Slow suites that do not depend on the database engine run once, in the PostgreSQL pass of
#: .ci/run (docs/testing.md), to keep CI's time in check.
runs_once_in_postgres_pass = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="slow suite: runs once, in the PostgreSQL pass of .ci/run",
)


@pytest.fixture(autouse=True)
def _figures_computed_at_once(settings):
    """A test runs in one transaction that another connection cannot see: the staff screens
    compute their totals at once instead of behind the page (tests/cases/test_figures_stale.py
    turns the thread on, with transactions that commit)."""
    settings.BAESANG_FIGURES_BEHIND = False
