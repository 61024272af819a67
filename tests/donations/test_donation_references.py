"""The references of a donation received, checked once per statement by database triggers
(baesang.donations.dbrules) instead of per-row foreign keys: a donation naming a missing donor,
pledge, ledger transfer or user is refused, and a donor, pledge or user a donation names cannot
be deleted behind the application's back."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction
from factories import staff_user

from baesang.core import roles
from baesang.core.db import purge_permitted
from baesang.donations.models import Donation, Donor
from baesang.donations.services import donation_record, donor_create, pledge_create
from baesang.ledger import accounts as chart
from baesang.ledger.services import TransferSpec, transfers_create

D = date(2023, 3, 15)
COLUMNS = ("donor_id", "pledge_id", "value_date", "bank_reference", "currency", "original_amount", "rate",
           "amount_won", "restricted", "transfer_id", "created_at", "created_by_id")


def _raw(sql: str, params: list) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def _insert(values: dict) -> None:
    _raw(f"INSERT INTO donations_donation ({', '.join(COLUMNS)}) VALUES ({', '.join(['%s'] * len(COLUMNS))})",
         [values[c] for c in COLUMNS])


@pytest.fixture
def booked(treasurer):
    """A donation applied to a pledge, and a transfer no donation names yet."""
    chart.chart_ensure()
    donor = donor_create(name="Friends of Justice", kind="association", country="KR", user=treasurer)
    pledge = pledge_create(donor=donor, amount=10_000_000, pledged_on=D, restricted=True, user=treasurer)
    donation = donation_record(donor=donor, value_date=D, bank_reference="BANK-1", amount=1_000_000,
                               restricted=True, user=treasurer)
    transfers_create(specs=[TransferSpec(id="free-transfer", debit=chart.BANK, credit=chart.DONATIONS_RESTRICTED,
                                         amount=1, value_date=D)], user=treasurer)
    assert donation.pledge_id == pledge.pk
    return {"donor_id": donor.pk, "pledge_id": pledge.pk, "value_date": D, "bank_reference": "BANK-2",
            "currency": "KRW", "original_amount": 1, "rate": 1, "amount_won": 1, "restricted": True,
            "transfer_id": "free-transfer", "created_at": donation.created_at, "created_by_id": treasurer.pk}


@pytest.mark.django_db
@pytest.mark.parametrize("column, missing", [("donor_id", 987_654_321), ("pledge_id", 987_654_321),
                                             ("transfer_id", "donation:no-such-transfer"),
                                             ("created_by_id", 987_654_321)])
def test_a_donation_naming_a_missing_row_is_refused(booked, column, missing):
    with pytest.raises(IntegrityError, match="names a row that does not exist"):
        _insert({**booked, column: missing})
    assert not Donation.objects.filter(bank_reference="BANK-2").exists()
    _insert(booked)  # the same row naming existing rows goes in
    assert Donation.objects.get(bank_reference="BANK-2").transfer_id == "free-transfer"


@pytest.mark.django_db
def test_the_references_of_a_donation_never_change(booked):
    other = donor_create(name="Another donor", kind="individual", country="KR",
                         user=staff_user("other", roles.FINANCE_OFFICER)).pk
    with pytest.raises(IntegrityError):
        _raw("UPDATE donations_donation SET donor_id = %s WHERE bank_reference = 'BANK-1'", [other])
    assert Donation.objects.get(bank_reference="BANK-1").donor_id == booked["donor_id"]


@pytest.mark.django_db
@pytest.mark.parametrize("table, column", [("donations_donor", "donor_id"), ("donations_pledge", "pledge_id"),
                                           ("auth_user", "created_by_id")])
def test_a_row_a_donation_names_is_not_deleted(booked, table, column):
    # A user only this donation names (no transfer, no audit row): the donation's rule refuses it.
    clerk = staff_user("clerk", roles.FINANCE_OFFICER)
    _insert({**booked, "created_by_id": clerk.pk})
    parent = clerk.pk if table == "auth_user" else booked[column]
    with pytest.raises(IntegrityError, match="referenced by a donation"):
        _raw(f"DELETE FROM {table} WHERE id = %s", [parent])
    with pytest.raises(IntegrityError, match="referenced by a donation"):
        _raw(f"UPDATE {table} SET id = %s WHERE id = %s", [987_654_321, parent])


@pytest.mark.django_db(transaction=True)
def test_a_purge_permit_lets_the_flush_through(booked):
    with pytest.raises(IntegrityError):
        _raw("DELETE FROM donations_donor", [])
    with purge_permitted(), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM donations_donor")  # still named by its donation
        cursor.execute("DELETE FROM donations_donation")
        cursor.execute("DELETE FROM donations_pledge")  # a foreign key of its own, checked at the commit
    assert not Donor.objects.exists() and not Donation.objects.exists()
