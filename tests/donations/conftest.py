"""Fixtures of the donations tests: the finance officer who records donations and issues receipts
(every donations service that writes needs the "record_donation" role)."""

from __future__ import annotations

import pytest
from factories import staff_user

from baesang.core import roles


@pytest.fixture
def treasurer(db):
    return staff_user("treasurer", roles.FINANCE_OFFICER)
