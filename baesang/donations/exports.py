"""Donations as spreadsheets (기부금 내역 엑셀·CSV): the columns, with Korean headers, and the rows
of the donations export, written by the one spreadsheet writer of baesang
(:mod:`baesang.core.spreadsheets`: no cell runs as a formula, amounts stay numbers, dates stay
dates, CSV in UTF-8 with a byte-order mark for Excel).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from baesang.core.spreadsheets import Column, csv_text, xlsx_bytes
from baesang.donations.selectors import DonationRow

#: The donations export: one column per field of :class:`~baesang.donations.selectors.DonationRow`.
DONATION_COLUMNS: tuple[Column, ...] = (
    Column("value_date", "입금일"),
    Column("donor", "기부자"),
    Column("country", "국가"),
    Column("brn", "사업자등록번호"),
    Column("bank_reference", "은행 거래번호"),
    Column("currency", "통화"),
    Column("original_amount", "원래 금액"),
    Column("rate", "환율(원)"),
    Column("amount_won", "금액(원)"),
    Column("restricted", "지정 기부금"),
    Column("receipt", "영수증 번호"),
    Column("reversed", "입금 취소"),
)
SHEET_TITLE = "기부금"
YES, NO = "예", "아니오"


def donation_rows(donations: Iterable[DonationRow]) -> Iterator[dict[str, Any]]:
    """The rows written: each donation by column key, yes/no in Korean."""
    for donation in donations:
        yield {"value_date": donation.value_date, "donor": donation.donor, "country": donation.country,
               "brn": donation.brn, "bank_reference": donation.bank_reference, "currency": donation.currency,
               "original_amount": donation.original_amount, "rate": donation.rate,
               "amount_won": donation.amount_won, "restricted": YES if donation.restricted else NO,
               "receipt": donation.receipt, "reversed": YES if donation.reversed else NO}


def donations_csv(donations: Iterable[DonationRow]) -> bytes:
    return csv_text(DONATION_COLUMNS, donation_rows(donations)).encode("utf-8")


def donations_xlsx(donations: Iterable[DonationRow]) -> bytes:
    return xlsx_bytes(DONATION_COLUMNS, donation_rows(donations), title=SHEET_TITLE)
