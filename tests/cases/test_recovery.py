"""Crashes and races: a failure between approval and the bank's answer followed by a re-run
pays each holder exactly once; two approvers at once — one wins (PostgreSQL row locks)."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from casework_support import World, accept_all, fund_donate, make_staff
from django.db import connection
from test_payment_batch import results_for

from baesang.cases import bookings, services
from baesang.cases.errors import IllegalTransition
from baesang.cases.models import BatchLine, ClaimHolding, IndemnityClaim, PaymentBatch
from baesang.ledger import accounts
from baesang.ledger.models import Transfer
from baesang.ledger.selectors import account_balance, ledger_verify
from baesang.ledger.services import pendings_resolve, transfers_create

PAY_DATE = date(2023, 4, 10)


class Crash(RuntimeError):
    pass


def exported_batch(world, claims=3):
    fund_donate(2_000_000_000)
    for _ in range(claims):
        accept_all(world, world.claim())
    batch = services.batch_prepare(payment_date=PAY_DATE, preparer=world.staff.finance)
    services.batch_approve(batch=batch, approver=world.staff.approver)
    return batch, services.batch_export(batch=batch, actor=world.staff.finance)


def assert_paid_exactly_once(batch):
    lines = list(BatchLine.objects.filter(batch=batch))
    assert {line.state for line in lines} == {BatchLine.PAID}
    posted = Transfer.objects.filter(kind="post_pending", pending_id__in=[
        bookings.line_transfer_id(line.pk, "reserve") for line in lines])
    assert posted.count() == len(lines)
    assert IndemnityClaim.objects.filter(line__in=lines).count() == len(lines)
    indemnity = account_balance(code=f"{accounts.INDEMNITY_RECEIVABLE_PREFIX}NSC").balance
    assert indemnity == sum(line.amount for line in lines)
    assert account_balance(code=accounts.JUDGMENT_PAYMENTS_EXPENSE).balance == sum(line.amount for line in lines)
    assert account_balance(code=accounts.BANK).balance == 2_000_000_000 - sum(line.amount for line in lines)
    assert ClaimHolding.objects.filter(state=ClaimHolding.PAID).count() == len(lines)
    assert ledger_verify().ok


@pytest.mark.django_db(transaction=True)
def test_a_crash_during_the_bank_result_import_rolls_back_and_the_rerun_pays_once(world, monkeypatch):
    batch, bank_file = exported_batch(world)
    original = services._bulk_insert

    def crash_on_indemnity(model, fields, rows):
        if model is IndemnityClaim:
            raise Crash("power failure after the ledger posted")
        return original(model, fields, rows)

    monkeypatch.setattr(services, "_bulk_insert", crash_on_indemnity)
    with pytest.raises(Crash):
        services.batch_result_import(batch=batch, results=results_for(bank_file.content), actor=world.staff.finance)
    # Nothing of the failed run is left: no posting, the lines still at the bank.
    assert not Transfer.objects.filter(kind="post_pending").exists()
    assert set(BatchLine.objects.filter(batch=batch).values_list("state", flat=True)) == {BatchLine.OPEN}
    monkeypatch.setattr(services, "_bulk_insert", original)
    services.batch_result_import(batch=batch, results=results_for(bank_file.content), actor=world.staff.finance)
    assert_paid_exactly_once(batch)
    # A third run (an operator retrying) changes nothing.
    summary = services.batch_result_import(batch=batch, results=results_for(bank_file.content),
                                           actor=world.staff.finance)
    assert (summary.paid, summary.unchanged) == (0, 3)
    assert_paid_exactly_once(batch)


@pytest.mark.django_db(transaction=True)
def test_a_rerun_after_the_ledger_committed_but_the_batch_did_not_books_nothing_twice(world):
    batch, bank_file = exported_batch(world)
    # As if a previous run had committed its ledger journal and died before recording the lines
    # (e.g. a ledger on another connection): the same deterministic ids are already in the ledger.
    ids = list(BatchLine.objects.filter(batch=batch).values_list("pk", flat=True))
    pendings_resolve(posts=[(bookings.line_transfer_id(i, "post"), bookings.line_transfer_id(i, "reserve"))
                            for i in ids], voids=[], value_date=PAY_DATE, user=world.staff.finance)
    # ... and its indemnity journal (the id derives from the batch, the debtor and the lines).
    lines = [services.LineAtBank(*row) for row in BatchLine.objects.filter(batch=batch).values_list(
        "pk", "state", "amount", "claim_id", "holding_id", "claim__judgment__debtor_id")]
    specs, _ = services.indemnity_bookings(batch, lines, PAY_DATE, world.staff.finance)
    transfers_create(specs=specs, user=world.staff.finance)
    services.batch_result_import(batch=batch, results=results_for(bank_file.content), actor=world.staff.finance)
    assert_paid_exactly_once(batch)


@pytest.mark.django_db(transaction=True)
def test_a_crash_between_approval_and_export_leaves_the_reservation_for_the_rerun(world, monkeypatch):
    fund_donate(2_000_000_000)
    accept_all(world, world.claim())
    batch = services.batch_prepare(payment_date=PAY_DATE, preparer=world.staff.finance)
    services.batch_approve(batch=batch, approver=world.staff.approver)
    monkeypatch.setattr(services, "_bank_file_write",
                        lambda batch, out, progress: (_ for _ in ()).throw(Crash("disk full")))
    with pytest.raises(Crash):
        services.batch_export(batch=batch, actor=world.staff.finance)
    batch.refresh_from_db()
    assert batch.state == PaymentBatch.APPROVED
    monkeypatch.undo()
    with pytest.raises(IllegalTransition):
        services.batch_approve(batch=batch, approver=world.staff.approver2)  # approving again reserves nothing
    assert Transfer.objects.filter(kind="pending").count() == 1
    bank_file = services.batch_export(batch=batch, actor=world.staff.finance)
    services.batch_result_import(batch=batch, results=results_for(bank_file.content), actor=world.staff.finance)
    assert_paid_exactly_once(batch)


@pytest.mark.postgres  # skipped on SQLite by requires_postgres (tests/conftest.py), see conftest.py here
@pytest.mark.django_db(transaction=True)
def test_two_approvers_approving_the_same_batch_at_once_one_wins(django_user_model):
    staff = make_staff(django_user_model)
    world = World(staff)
    fund_donate(2_000_000_000)
    for _ in range(5):
        accept_all(world, world.claim())
    batch = services.batch_prepare(payment_date=PAY_DATE, preparer=staff.finance)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def approve(user):
        try:
            barrier.wait(timeout=10)
            services.batch_approve(batch=PaymentBatch.objects.get(pk=batch.pk), approver=user)
            outcomes.append("approved")
        except IllegalTransition:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(user,)) for user in (staff.approver, staff.approver2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["approved", "refused"]
    assert Transfer.objects.filter(kind="pending").count() == 5
    assert set(BatchLine.objects.filter(batch=batch).values_list("state", flat=True)) == {BatchLine.OPEN}
    assert PaymentBatch.objects.get(pk=batch.pk).state == PaymentBatch.APPROVED
    assert ledger_verify().ok
