"""Fuzz test of the donations importer (issue 14 §5): a bank-statement CSV, valid, mutated or
arbitrary, is checked (``donations_check``) and imported (``donations_import``) or refused with a
DomainError (ValidationFailed listing the bad rows, InvalidDonation, …) — nothing else — and a
refused file changes nothing in the database: all rows or none. Seeds: the example bank statement
of docs/examples and rows like those of tests/donations."""

from __future__ import annotations

import pytest
from django.db import transaction
from factories import staff_user
from fuzz_support import EXAMPLES, FUZZ, mutated_bytes, mutated_text
from hypothesis import event, given
from hypothesis import strategies as st

from baesang.core import roles
from baesang.core.errors import DomainError, ValidationFailed
from baesang.core.models import AuditEvent
from baesang.donations.models import Donation, Donor, Pledge
from baesang.donations.services import donations_check, donations_import
from baesang.ledger.models import Transfer
from baesang.ledger.selectors import ledger_verify

HEADER = "date,donor,donor_country,donor_brn,amount,currency,rate,reference,restricted\n"
VALID = HEADER + (
    "2023-03-15,POSCO,KR,124-81-00998,4000000000,KRW,,BANK-2023-0001,yes\n"
    "2023-04-03,Korea Employers Federation,KR,220-81-62517,100000000,KRW,1,BANK-2023-0002,no\n"
    "2023-05-10,Friends of Justice,US,,250000.50,USD,1300.55,BANK-2023-0003,yes\n"
    "2023-05-11,\"Kansai supporters, Osaka\",JP,,1000,JPY,9.4567,BANK-2023-0004,no\n")
STATEMENT = (EXAMPLES / "bank-statement.csv").read_text(encoding="utf-8")
FILES = mutated_text(VALID, max_mutations=5) | mutated_text(STATEMENT, max_mutations=5)


def check(data) -> None:
    try:
        lines, errors = donations_check(data=data)
    except DomainError as exc:
        assert exc.code
        return
    assert all(isinstance(error, DomainError) for error in errors)
    assert all(isinstance(line.amount_won, int) and line.amount_won >= 0 for line in lines)


def test_the_seeds_are_valid():
    for text in (VALID, STATEMENT):
        lines, errors = donations_check(data=text)
        assert lines and not errors


@FUZZ
@given(text=FILES)
def test_a_mutated_statement_is_checked_without_surprises(text):
    check(text)


@FUZZ
@given(data=mutated_bytes(VALID.encode("utf-8")) | mutated_bytes(VALID.encode("cp949")) | st.binary(max_size=300))
def test_any_bytes_are_checked_without_surprises(data):
    check(data)


@FUZZ
@given(text=st.text(max_size=300))
def test_any_text_is_checked_without_surprises(text):
    check(text)


def test_a_line_the_csv_reader_cannot_read_refuses_the_file():
    with pytest.raises(ValidationFailed):
        donations_check(data=VALID + '2023-05-12,"' + "x" * 200_000 + '",KR,,1,KRW,,BANK-9,yes\n')


def snapshot():
    return (Donation.objects.count(), Donor.objects.count(), Pledge.objects.count(), Transfer.objects.count(),
            AuditEvent.objects.count())


@pytest.fixture
def finance(db):
    return staff_user("finance", roles.FINANCE_OFFICER)


@FUZZ
@given(text=FILES)
def test_a_file_is_imported_whole_or_refused_with_nothing_changed(finance, text):
    with transaction.atomic():  # each example starts from the same database
        before = snapshot()
        try:
            result = donations_import(data=text, user=finance)
        except DomainError as exc:
            event("refused")
            assert exc.code
            assert snapshot() == before, "a refused donations file changed the database"
        else:
            event("imported")
            assert Donation.objects.count() - before[0] == result.booked
        assert ledger_verify().ok
        transaction.set_rollback(True)


@pytest.mark.parametrize("field, row", [("donor", "2023-03-15,PO\x00SCO,KR,124-81-00998,1000,KRW,,BANK-N-1,yes\n"),
                                        ("reference", "2023-03-15,POSCO,KR,124-81-00998,1000,KRW,,BANK\x00-1,yes\n")])
def test_a_control_character_in_a_name_or_reference_is_refused_by_row_and_field(finance, field, row):
    """Found by the fuzzer on PostgreSQL: a NUL byte reached the import's COPY (PostgreSQL's text
    cannot hold it) as a database error instead of the row's refusal."""
    before = snapshot()
    with pytest.raises(ValidationFailed) as refused:
        donations_import(data=HEADER + row, user=finance)
    assert [(e.row, e.field) for e in refused.value.errors] == [(2, field)]
    assert "control character (U+0000)" in refused.value.errors[0].message
    assert snapshot() == before
