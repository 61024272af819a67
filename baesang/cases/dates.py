"""Plausible bounds of the dates a payment batch is given, against the foundation's today.

- A batch's payment date (지급일) is when the bank is to pay: it may be planned ahead, but not
  more than :data:`PAYMENT_YEARS_AHEAD` year after today. Interest accrues to the payment date
  (Civil Act Art. 379, Act on Special Cases concerning Legal Proceedings Art. 3), so a date
  years ahead would reserve money for interest that never accrues; a typo (2199 for 2019) is
  the usual cause.
- A bank's answer (value date of a "paid" or "failed" result) records what the bank did: it is
  never after today.

Pure: no Django import; callers pass today (``timezone.localdate()``).
"""

from __future__ import annotations

from datetime import date

#: How far after today a batch's payment date may lie, in years.
PAYMENT_YEARS_AHEAD = 1


def years_after(day: date, years: int) -> date:
    """``day`` moved ``years`` years on (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def payment_date_latest(today: date) -> date:
    """The latest payment date a batch may be prepared for: today + :data:`PAYMENT_YEARS_AHEAD` year."""
    return years_after(today, PAYMENT_YEARS_AHEAD)
