"""Signed checkpoints of the ledger and verification from them (`ledger checkpoint`, `ledger verify
--since-checkpoint`): incremental equals full, an edited checkpoint is refused, an edited transfer
after it is found, and verifying writes nothing.

These tests commit (``transaction=True``) where they edit rows behind the append-only triggers.
"""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from factories import staff_user

from baesang.core import roles
from baesang.core.db import make_append_only
from baesang.core.errors import PermissionDenied
from baesang.ledger import accounts as chart
from baesang.ledger.errors import LedgerNotVerified
from baesang.ledger.models import LedgerCheckpoint, Transfer
from baesang.ledger.selectors import ledger_verify
from baesang.ledger.services import (
    TransferSpec,
    ledger_checkpoint_create,
    pending_post,
    transfer_create,
    transfers_create,
)

D = date(2023, 3, 15)


class _Editor:
    def __init__(self, cursor):
        self.connection, self._cursor = connection, cursor

    def execute(self, sql, params=()):
        self._cursor.execute(sql, params or None)


def _behind_the_triggers(table: str, sql: str, params: list) -> None:
    """Edit an append-only table with its triggers off, as an intruder with DBA rights would."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        else:
            cursor.execute(f"DROP TRIGGER {table}_no_update")
            cursor.execute(f"DROP TRIGGER {table}_no_delete")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
        else:
            make_append_only(_Editor(cursor), table)


def _before(booker) -> None:
    """Donations, a posted payment and a pending reservation still open at the checkpoint."""
    chart.chart_ensure()
    transfers_create(specs=[
        TransferSpec(id="d1", debit=chart.BANK, credit=chart.DONATIONS_RESTRICTED, amount=4_000_000_000, value_date=D),
        TransferSpec(id="p1", debit=chart.JUDGMENT_PAYMENTS_EXPENSE, credit=chart.BANK, amount=100_000_000,
                     value_date=D),
    ], user=booker)
    transfer_create(spec=TransferSpec(id="r1", debit=chart.JUDGMENT_PAYMENTS_EXPENSE, credit=chart.BANK,
                                      amount=70_000_000, value_date=D, pending=True), user=booker)


def _after(booker) -> None:
    """The reservation made before the checkpoint is posted after it, and more is booked."""
    pending_post(id="r1-post", pending_id="r1", user=booker)
    transfer_create(spec=TransferSpec(id="p2", debit=chart.JUDGMENT_PAYMENTS_EXPENSE, credit=chart.BANK,
                                      amount=80_000_000, value_date=D), user=booker)


def _verify_command(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("ledger", "verify", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def finance(db):
    return staff_user("finance", roles.FINANCE_OFFICER)


@pytest.mark.django_db
def test_incremental_equals_full_on_a_consistent_ledger(booker, finance):
    _before(booker)
    checkpoint = ledger_checkpoint_create(actor=finance)
    assert (checkpoint.seq, checkpoint.verified_from, checkpoint.pending_ids) == (3, 0, ["r1"])
    _after(booker)
    full = ledger_verify()
    incremental = ledger_verify(since_checkpoint=True)
    assert full.ok and incremental.ok, (full.reason, incremental.reason)
    assert (incremental.transfers, incremental.head_hash) == (full.transfers, full.head_hash) == (5, full.head_hash)
    assert (full.checkpoint, full.replayed) == (None, 5)
    assert (incremental.checkpoint, incremental.replayed) == (3, 2)  # only r1-post and p2 replayed
    # A second checkpoint continues from the first and carries no open reservation.
    second = ledger_checkpoint_create(actor=finance)
    assert (second.seq, second.verified_from, second.pending_ids) == (5, 3, [])
    assert second.balances == ledger_checkpoint_create(actor=finance, full=True).balances
    code, out, _ = _verify_command("--since-checkpoint")
    assert code == 0 and "ledger verified: 5 transfers" in out and "0 transfers after it replayed" in out


@pytest.mark.django_db
def test_since_checkpoint_without_a_checkpoint_verifies_everything(booker):
    _before(booker)
    result = ledger_verify(since_checkpoint=True)
    assert result.ok and (result.checkpoint, result.replayed, result.transfers) == (None, 3, 3)


@pytest.mark.django_db
def test_verify_writes_nothing(booker, finance):
    _before(booker)
    ledger_checkpoint_create(actor=finance)
    _after(booker)
    for args in ((), ("--since-checkpoint",)):
        with CaptureQueriesContext(connection) as queries:
            code, out, err = _verify_command(*args)
        assert code == 0, err
        writes = [q["sql"] for q in queries.captured_queries
                  if q["sql"].lstrip().split(None, 1)[0].upper() in ("INSERT", "UPDATE", "DELETE", "CREATE", "ALTER")]
        assert writes == []
    assert LedgerCheckpoint.objects.count() == 1


@pytest.mark.django_db
def test_checkpoint_needs_its_permission(booker):
    _before(booker)
    with pytest.raises(PermissionDenied):
        ledger_checkpoint_create(actor=staff_user("auditor", roles.AUDITOR))
    assert not LedgerCheckpoint.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("column, value", [("balances", '{"1": [1, 0, 0, 0]}'), ("seq", 2),
                                           ("pending_ids", "[]")])
def test_an_edited_checkpoint_is_refused(booker, column, value):
    _before(booker)
    checkpoint = ledger_checkpoint_create(actor=staff_user("finance", roles.FINANCE_OFFICER))
    _after(booker)
    _behind_the_triggers("ledger_ledgercheckpoint", f"UPDATE ledger_ledgercheckpoint SET {column} = %s WHERE id = %s",
                         [value, checkpoint.pk])
    result = ledger_verify(since_checkpoint=True)
    assert not result.ok
    assert "signature does not match" in result.reason
    assert ledger_verify().ok  # the ledger itself is intact
    code, _, err = _verify_command("--since-checkpoint")
    assert code == 1 and "LEDGER BROKEN at checkpoint" in err
    # No new checkpoint continues from a forged one; a full verification may record one.
    with pytest.raises(LedgerNotVerified):
        ledger_checkpoint_create(actor=staff_user("finance2", roles.FINANCE_OFFICER))
    assert ledger_checkpoint_create(actor=staff_user("finance3", roles.FINANCE_OFFICER), full=True).seq == 5


@pytest.mark.django_db
def test_a_checkpoint_signed_with_another_key_is_refused(booker, finance, settings):
    _before(booker)
    ledger_checkpoint_create(actor=finance)
    settings.FIELD_KEY = "another-field-key-" + "x" * 40
    result = ledger_verify(since_checkpoint=True)
    assert not result.ok and "signed with another key" in result.reason


@pytest.mark.django_db
def test_a_forged_checkpoint_row_is_refused(booker, finance):
    """Inserting is allowed by the triggers; without the key the signature cannot be made."""
    _before(booker)
    genuine = ledger_checkpoint_create(actor=finance)
    LedgerCheckpoint.objects.create(
        seq=genuine.seq, hash=genuine.hash, balances={**genuine.balances, "1": [10**12, 0, 0, 0]},
        pending_ids=genuine.pending_ids, pendings_digest=genuine.pendings_digest, verified_from=0,
        key_id=genuine.key_id, signature="0" * 64, created_at=genuine.created_at)
    result = ledger_verify(since_checkpoint=True)
    assert not result.ok and "signature does not match" in result.reason


@pytest.mark.django_db(transaction=True)
def test_an_edited_transfer_after_the_checkpoint_is_found(booker):
    _before(booker)
    ledger_checkpoint_create(actor=staff_user("finance", roles.FINANCE_OFFICER))
    _after(booker)
    _behind_the_triggers("ledger_transfer", "UPDATE ledger_transfer SET amount = %s WHERE id = %s",
                         [1_000, "p2"])
    result = ledger_verify(since_checkpoint=True)
    assert not result.ok
    assert (result.first_bad_transfer, result.seq, result.replayed) == ("p2", 5, 1)
    assert "hash does not match" in result.reason


@pytest.mark.django_db(transaction=True)
def test_an_edited_transfer_at_the_checkpoint_or_an_open_reservation_is_found(booker):
    """What the checkpoint vouches for is re-read: the last transfer's hash and the open
    reservations' content (an edit before the checkpoint elsewhere needs a full verification)."""
    _before(booker)
    ledger_checkpoint_create(actor=staff_user("finance", roles.FINANCE_OFFICER))
    _after(booker)
    _behind_the_triggers("ledger_transfer", "UPDATE ledger_transfer SET amount = %s WHERE id = %s", [90_000_000, "r1"])
    result = ledger_verify(since_checkpoint=True)
    assert not result.ok and "open pending transfers it names were changed" in result.reason
    assert not ledger_verify().ok
    _behind_the_triggers("ledger_transfer", "UPDATE ledger_transfer SET amount = %s WHERE id = %s", [70_000_000, "r1"])
    assert ledger_verify(since_checkpoint=True).ok
    _behind_the_triggers("ledger_transfer", "UPDATE ledger_transfer SET hash = %s WHERE seq = %s", ["f" * 64, 3])
    result = ledger_verify(since_checkpoint=True)
    assert not result.ok and "no longer has the hash the checkpoint signed" in result.reason


@pytest.mark.django_db(transaction=True)
def test_no_checkpoint_of_a_broken_ledger(booker):
    _before(booker)
    _behind_the_triggers("ledger_transfer", "UPDATE ledger_transfer SET amount = %s WHERE id = %s", [1, "p1"])
    with pytest.raises(LedgerNotVerified, match="at transfer p1"):
        ledger_checkpoint_create(actor=staff_user("finance", roles.FINANCE_OFFICER))
    assert not LedgerCheckpoint.objects.exists()
    assert Transfer.objects.count() == 3
