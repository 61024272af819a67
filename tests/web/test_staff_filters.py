"""Template filters of the staff screens that format numbers."""

from __future__ import annotations

from decimal import Decimal

import pytest

from baesang.web.templatetags.staff import plain_decimal


@pytest.mark.parametrize(("value", "text"), [
    (Decimal("20"), "20"), (Decimal("20.000"), "20"), (Decimal("1350.00"), "1350"), (Decimal("0.0125"), "0.0125"),
    (Decimal("5.50"), "5.5"), (Decimal("2E+1"), "20"), ("12.30", "12.3"), (None, ""), ("not a number", "not a number"),
])
def test_a_decimal_is_written_without_trailing_zeros_and_never_as_an_exponent(value, text):
    # Decimal.normalize() alone gives 2E+1 for 20 (a judgment's 20 % a year, an exchange rate of 1350)
    assert plain_decimal(value) == text
