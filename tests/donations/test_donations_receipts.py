"""Pledges, donation receipts (기부금 영수증) numbered without gaps per year, append-only donations."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import DatabaseError, connection, transaction

from baesang.donations.models import Donation, DonationReceipt, ReceiptCounter
from baesang.donations.selectors import fund_position, pledge_outstanding, pledged_not_received, receipts_of_year
from baesang.donations.services import (
    ReceiptError,
    donations_import,
    donor_create,
    pledge_create,
    pledge_withdraw,
    receipt_issue,
    receipts_issue,
)
from baesang.ledger import accounts as chart

HEADER = "date,donor,donor_country,donor_brn,amount,currency,rate,reference,restricted\n"


def _rows(*rows: tuple[str, str, int]) -> str:
    return HEADER + "".join(f"{when},POSCO,KR,124-81-00998,{amount},KRW,,{ref},yes\n" for when, ref, amount in rows)


@pytest.fixture
def books(db):
    chart.chart_ensure()


def test_receipts_are_numbered_per_year_without_gaps(books, treasurer):
    donations_import(data=_rows(("2023-03-15", "R1", 10), ("2023-09-01", "R2", 20), ("2024-09-10", "R3", 30),
                                ("2023-05-01", "R4", 40)), user=treasurer)
    issued = receipts_issue(issued_on=date(2025, 1, 15), user=treasurer)
    assert [(r.number, r.donation.bank_reference) for r in issued] == [
        ("2023-000001", "R1"), ("2023-000002", "R4"), ("2023-000003", "R2"), ("2024-000001", "R3")]
    assert receipts_issue(issued_on=date(2025, 1, 15), user=treasurer) == []  # each donation has its receipt
    donations_import(data=_rows(("2023-12-31", "R5", 50)), user=treasurer)
    late = receipt_issue(donation=Donation.objects.get(bank_reference="R5"), issued_on=date(2025, 1, 16),
                         user=treasurer)
    assert late.number == "2023-000004"
    assert receipt_issue(donation=Donation.objects.get(bank_reference="R5"), user=treasurer).pk == late.pk
    assert [r.serial for r in receipts_of_year(year=2023)] == [1, 2, 3, 4]


def test_a_failed_issue_leaves_no_gap(books, treasurer):
    donations_import(data=_rows(("2023-03-15", "R1", 10), ("2023-03-16", "R2", 20)), user=treasurer)
    with pytest.raises(RuntimeError), transaction.atomic():
        receipt_issue(donation=Donation.objects.get(bank_reference="R1"), issued_on=date(2024, 1, 5),
                      user=treasurer)
        raise RuntimeError("the printer jammed; the whole step is rolled back")
    assert not DonationReceipt.objects.exists()
    assert ReceiptCounter.objects.filter(year=2023, last__gt=0).count() == 0
    issued = receipts_issue(year=2023, issued_on=date(2024, 1, 5), user=treasurer)
    assert [r.number for r in issued] == ["2023-000001", "2023-000002"]
    donations_import(data=_rows(("2024-02-01", "R3", 30)), user=treasurer)
    with pytest.raises(ReceiptError, match="after the issue date"):
        receipts_issue(year=2024, issued_on=date(2024, 1, 31), user=treasurer)


def test_pledges_appear_until_received(books, treasurer):
    # POSCO pledged 4 bn won on 2023-03-06 and paid on 2023-03-15 (DOMAIN.md §1); here in two parts.
    posco = donor_create(name="POSCO", kind="company", country="KR", brn="124-81-00998", may_be_named_publicly=True,
                         user=treasurer)
    pledge = pledge_create(donor=posco, amount=4_000_000_000, pledged_on=date(2023, 3, 6),
                           expected_on=date(2023, 3, 31), conditions="for judgment payments", user=treasurer)
    assert pledged_not_received() == 4_000_000_000
    donations_import(data=_rows(("2023-03-15", "P1", 3_000_000_000)), user=treasurer)
    assert Donation.objects.get(bank_reference="P1").pledge_id == pledge.pk
    assert pledge_outstanding(pledge=pledge) == 1_000_000_000
    assert pledged_not_received(as_of=date(2023, 3, 10)) == 4_000_000_000
    assert pledged_not_received(as_of=date(2023, 3, 1)) == 0
    assert fund_position().pledged_not_received == 1_000_000_000
    pledge_withdraw(pledge=pledge, withdrawn_on=date(2023, 6, 30), user=treasurer)
    assert pledged_not_received() == 0
    assert pledged_not_received(as_of=date(2023, 6, 1)) == 1_000_000_000


@pytest.mark.django_db(transaction=True)
def test_donations_and_receipts_are_append_only(treasurer):
    chart.chart_ensure()
    donations_import(data=_rows(("2023-03-15", "R1", 10)), user=treasurer)
    receipts_issue(issued_on=date(2024, 1, 5), user=treasurer)
    for table in ("donations_donation", "donations_donationreceipt"):
        for sql in (f"UPDATE {table} SET amount_won = 1", f"DELETE FROM {table}"):
            with pytest.raises(DatabaseError, match="append-only"):
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute(sql)
    assert DonationReceipt.objects.get().number == "2023-000001"
    assert Donation.objects.get().amount_won == 10
