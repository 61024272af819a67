"""Fuzz test of the bank result importer (issue 14 §5): ``bank_results_parse`` reads a bank's
answer or refuses the whole file with :class:`BankResultInvalid` (a DomainError) naming every bad
row; fed to ``batch_result_import`` for an exported batch, a file is imported whole or refused
with a DomainError and the database unchanged."""

from __future__ import annotations

from datetime import date

import pytest
from casework_support import World, accept_all, fund_donate, make_staff
from django.db import transaction
from fuzz_support import FUZZ, mutated_text
from hypothesis import event, given
from hypothesis import strategies as st

from baesang.cases import services
from baesang.cases.errors import BankResultInvalid
from baesang.cases.models import BatchLine, ClaimHolding, IndemnityClaim, PaymentBatch
from baesang.core.errors import DomainError
from baesang.ledger.models import Transfer
from baesang.ledger.selectors import ledger_verify

VALID = ("line,amount,status,bank_reference,reason\n"
         "1,300819672,paid,B-1,\n"
         "2,300819672,failed,,account closed\n"
         "3,1000,paid,B-3,\n")


def parse(text: str):
    try:
        results = services.bank_results_parse(text)
    except BankResultInvalid as exc:
        assert exc.code
        return None
    assert all(r.status in ("paid", "failed") and isinstance(r.amount, int) for r in results)
    return results


def test_the_seed_is_valid():
    assert [r.status for r in services.bank_results_parse(VALID)] == ["paid", "failed", "paid"]


@FUZZ
@given(text=mutated_text(VALID, max_mutations=6))
def test_a_mutated_bank_result_is_read_whole_or_refused(text):
    parse(text)


@FUZZ
@given(text=st.text(max_size=300))
def test_any_text_is_read_whole_or_refused(text):
    parse(text)


def snapshot():
    return (Transfer.objects.count(), IndemnityClaim.objects.count(),
            sorted(BatchLine.objects.values_list("pk", "state")),
            sorted(ClaimHolding.objects.values_list("pk", "state")),
            sorted(PaymentBatch.objects.values_list("pk", "state")))


@pytest.fixture
def exported(db, django_user_model, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    world = World(make_staff(django_user_model))
    fund_donate(2_000_000_000)
    for _ in range(3):
        accept_all(world, world.claim())
    batch = services.batch_prepare(payment_date=date(2023, 4, 10), preparer=world.staff.finance)
    services.batch_approve(batch=batch, approver=world.staff.approver)
    bank_file = services.batch_export(batch=batch, actor=world.staff.finance)
    lines = [row.split(",") for row in bank_file.content.splitlines()[1:]]
    valid = "line,amount,status,bank_reference,reason\n" + "".join(
        f"{cells[0]},{cells[-1]},paid,B-{cells[0]},\n" for cells in lines)
    return world, batch, valid


@FUZZ
@given(data=st.data())
def test_a_mutated_bank_result_of_a_batch_is_imported_whole_or_not_at_all(exported, data):
    world, batch, valid = exported
    text = data.draw(mutated_text(valid, max_mutations=3))
    with transaction.atomic():  # each example starts from the exported batch again
        results = parse(text)
        if results is not None:
            before = snapshot()
            try:
                services.batch_result_import(batch=batch, results=results, actor=world.staff.finance)
            except DomainError:
                event("refused by the batch")
                assert snapshot() == before, "a refused bank result changed the database"
            else:
                event("imported")
            assert ledger_verify().ok
        transaction.set_rollback(True)


def test_a_bank_result_with_old_mac_line_ends_is_read():
    # Found by the fuzz test: a lone carriage return ended in csv.Error (a 500 in the web and API).
    assert services.bank_results_parse(VALID.replace("\n", "\r")) == services.bank_results_parse(VALID)


def test_a_line_the_csv_reader_cannot_read_refuses_the_file():
    with pytest.raises(BankResultInvalid, match="not readable CSV"):
        services.bank_results_parse(VALID + '4,1,paid,"' + "x" * 200_000 + '",\n')
