"""Fixtures of the ledger tests: the chart of accounts exists (a flush by a transactional test removes it),
and a finance officer books the transfers (every ledger write needs a user with a ledger-writer role)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from factories import staff_user

from baesang.core import roles
from baesang.ledger import accounts as chart
from baesang.ledger.services import TransferSpec, transfer_create

# POSCO's donation of 4 bn won on 2023-03-15, the first money of the scheme (DOMAIN.md §1).
POSCO_2023 = 4_000_000_000
D0 = date(2023, 3, 15)

HERE = Path(__file__).resolve().parent
ROOT_CONFTEST = HERE.parent / "conftest.py"


def pytest_collection_modifyitems(config, items):
    """Tests marked ``postgres`` here get the ``requires_postgres`` skip marker of tests/conftest.py."""
    root = next(plugin for plugin in config.pluginmanager.get_plugins()
                if getattr(plugin, "__file__", None) and Path(plugin.__file__).resolve() == ROOT_CONFTEST)
    for item in items:
        if item.get_closest_marker("postgres") and HERE in Path(str(item.fspath)).resolve().parents:
            item.add_marker(root.requires_postgres)


@pytest.fixture
def ledger(db):
    chart.chart_ensure()
    return chart


@pytest.fixture
def booker(db):
    """The finance officer who books the test transfers (action "book_ledger")."""
    return staff_user("booker", roles.FINANCE_OFFICER)


@pytest.fixture
def funded(ledger, booker):
    """The bank holds POSCO's 4 bn won as restricted donations."""
    transfer_create(spec=TransferSpec(id="donation:posco-2023", debit=chart.BANK, credit=chart.DONATIONS_RESTRICTED,
                                      amount=POSCO_2023, value_date=D0), user=booker)
    return ledger
