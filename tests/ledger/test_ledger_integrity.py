"""Database-enforced rules and tamper evidence: append-only transfers, `ledger verify`, concurrent writers.

These tests commit (``transaction=True``) because triggers and other connections see only
committed rows.
"""

from __future__ import annotations

import io
import random
import threading
import time
from datetime import date

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from baesang.core.db import make_append_only, purge_permitted
from baesang.ledger import accounts as chart
from baesang.ledger.chain import canonical_time, transfer_hash
from baesang.ledger.errors import LimitExceeded
from baesang.ledger.models import Account, LedgerHead, Transfer
from baesang.ledger.selectors import account_balance, ledger_verify
from baesang.ledger.services import TransferSpec, pending_post, pending_void, transfer_create, transfers_create

D = date(2023, 3, 15)
TABLE = "ledger_transfer"


def _books(booker) -> None:
    chart.chart_ensure()
    transfers_create(specs=[
        TransferSpec(id="t1", debit=chart.BANK, credit=chart.DONATIONS_RESTRICTED, amount=4_000_000_000, value_date=D),
        TransferSpec(id="t2", debit=chart.JUDGMENT_PAYMENTS_EXPENSE, credit=chart.BANK, amount=100_000_000,
                     value_date=D),
    ], user=booker)
    transfer_create(spec=TransferSpec(id="t3", debit=chart.JUDGMENT_PAYMENTS_EXPENSE, credit=chart.BANK,
                                      amount=80_000_000, value_date=D), user=booker)


class _Editor:
    """Just enough of a schema editor for baesang.core.db's trigger helpers."""

    def __init__(self, cursor):
        self.connection, self._cursor = connection, cursor

    def execute(self, sql, params=()):
        self._cursor.execute(sql, params or None)


def _behind_the_triggers(*statements: tuple[str, list]) -> None:
    """Run statements with the append-only triggers off, as an intruder with DBA rights would."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER USER")
        else:
            cursor.execute(f"DROP TRIGGER {TABLE}_no_update")
            cursor.execute(f"DROP TRIGGER {TABLE}_no_delete")
        for sql, params in statements:
            cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER USER")
        else:
            make_append_only(_Editor(cursor), TABLE)


def _verify_command() -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("ledger", "verify", stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


@pytest.mark.django_db(transaction=True)
def test_raw_update_and_delete_of_transfers_are_refused(booker):
    _books(booker)
    for sql in (f"UPDATE {TABLE} SET amount = 1 WHERE id = %s", f"DELETE FROM {TABLE} WHERE id = %s"):
        with pytest.raises(DatabaseError, match="append-only"):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, ["t2"])
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        Transfer.objects.filter(pk="t3").update(description="forged")
    assert Transfer.objects.get(pk="t2").amount == 100_000_000
    code, out, _ = _verify_command()
    assert code == 0 and "3 transfers" in out


@pytest.mark.django_db(transaction=True)
def test_transfers_name_existing_accounts_and_accounts_are_never_deleted(booker):
    _books(booker)
    bank = Account.objects.get(code=chart.BANK)
    row = Transfer.objects.values_list("seq", "prev_hash", "hash").get(pk="t3")
    insert = (f"INSERT INTO {TABLE} (id, seq, kind, debit_account_id, credit_account_id, amount, journal, value_date, "
              "description, created_at, prev_hash, hash) VALUES ('forged', %s, 'posted', %s, %s, 1, 'x', "
              "'2023-03-15', '', '2023-03-15 00:00:00+00', %s, %s)")
    with pytest.raises(DatabaseError, match="names an account that does not exist"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(insert, [row[0] + 1, bank.pk, 987654, row[2], "0" * 64])
    for sql in ("DELETE FROM ledger_account WHERE id = %s", "UPDATE ledger_account SET id = 987654 WHERE id = %s"):
        with pytest.raises(DatabaseError, match="never deleted"):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, [bank.pk])
    Account.objects.filter(pk=bank.pk).update(name="보통예금 (renamed)")  # other columns may change
    assert not Transfer.objects.filter(pk="forged").exists()


@pytest.mark.django_db(transaction=True)
def test_a_transfer_names_an_existing_user_and_pending_transfer(booker):
    """The user and the pending transfer of a transfer are checked once per statement
    (baesang.ledger.dbrules), not by per-row foreign keys: a missing one is refused, and a user a
    transfer names is not deleted."""
    _books(booker)
    bank, expense = (Account.objects.get(code=code).pk for code in (chart.BANK, chart.JUDGMENT_PAYMENTS_EXPENSE))
    seq, head = Transfer.objects.values_list("seq", "hash").get(pk="t3")
    insert = (f"INSERT INTO {TABLE} (id, seq, kind, debit_account_id, credit_account_id, amount, pending_id, journal, "
              "value_date, description, user_id, created_at, prev_hash, hash) VALUES (%s, %s, %s, %s, %s, 1, %s, "
              "'x', '2023-03-15', '', %s, '2023-03-15 00:00:00+00', %s, %s)")
    for transfer_id, kind, pending, user in (("forged-user", "posted", None, 987_654_321),
                                              ("forged-pending", "post_pending", "no-such-transfer", booker.pk)):
        with pytest.raises(DatabaseError, match="names a row that does not exist"):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(insert, [transfer_id, seq + 1, kind, expense, bank, pending, user, head, "0" * 64])
    # The same row naming an existing user goes in (the refusal above is the missing reference's).
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(insert, ["named-user", seq + 1, "posted", expense, bank, None, booker.pk, head, "0" * 64])
    with pytest.raises(DatabaseError, match="referenced by a ledger transfer"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM auth_user WHERE id = %s", [booker.pk])
    assert not Transfer.objects.filter(pk__startswith="forged").exists()


@pytest.mark.django_db(transaction=True)
def test_verify_names_the_edited_transfer(booker):
    _books(booker)
    _behind_the_triggers((f"UPDATE {TABLE} SET amount = amount - 1000000 WHERE id = %s", ["t2"]))
    result = ledger_verify()
    assert (result.ok, result.first_bad_transfer, result.seq) == (False, "t2", 2)
    assert "hash" in result.reason
    code, _, err = _verify_command()
    assert code == 1
    assert "LEDGER BROKEN at transfer t2 (seq 2)" in err


@pytest.mark.django_db(transaction=True)
def test_verify_catches_a_rewritten_chain_through_the_balances(booker):
    """An intruder edits an amount and recomputes every hash after it and the head: the chain
    holds, but the accounts' running totals no longer equal the sum of the transfers."""
    _books(booker)
    rows = list(Transfer.objects.order_by("seq").values_list(
        "seq", "id", "kind", "debit_account_id", "credit_account_id", "amount", "pending_id", "journal",
        "value_date", "description", "user_id", "created_at"))
    prev, updates = "0" * 64, []
    for seq, id_, kind, debit, credit, amount, pending, journal, when, text, user, created in rows:
        if id_ == "t3":
            amount = 1
        digest = transfer_hash(seq, id_, kind, debit, credit, amount, pending, journal, when.isoformat(), text,
                               user, canonical_time(created), prev)
        updates.append((f"UPDATE {TABLE} SET amount = %s, prev_hash = %s, hash = %s WHERE id = %s",
                        [amount, prev, digest, id_]))
        prev = digest
    _behind_the_triggers(*updates)
    LedgerHead.objects.filter(pk=1).update(hash=prev)
    result = ledger_verify()
    assert not result.ok
    assert result.account == chart.BANK and "differ from the sum of its transfers" in result.reason


@pytest.mark.django_db(transaction=True)
def test_verify_catches_removed_transfers_even_with_a_purge_permit(booker):
    _books(booker)
    with purge_permitted(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", ["t3"])
    result = ledger_verify()
    assert not result.ok and "head" in result.reason


@pytest.mark.django_db(transaction=True)
def test_verify_catches_a_gap_in_the_chain(booker):
    _books(booker)
    with purge_permitted(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", ["t2"])
    result = ledger_verify()
    assert (result.ok, result.first_bad_transfer) == (False, "t3")
    assert "sequence gap" in result.reason


@pytest.mark.django_db(transaction=True)
def test_verify_catches_edited_running_totals(booker):
    _books(booker)
    Account.objects.filter(code=chart.JUDGMENT_PAYMENTS_EXPENSE).update(debits_posted=1)
    result = ledger_verify()
    assert (result.ok, result.account) == (False, chart.JUDGMENT_PAYMENTS_EXPENSE)
    code, _, err = _verify_command()
    assert code == 1 and "account 5000" in err


@pytest.mark.postgres  # skipped on SQLite by requires_postgres of tests/conftest.py (see conftest.py here)
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_never_break_a_limit_nor_lose_a_transfer(booker):
    """8 threads, each with its own connection, pay out of, reserve on and pay into one bank
    account for a few seconds. The bank hovers near zero, so the limit is hit again and again."""
    chart.chart_ensure()
    transfer_create(spec=TransferSpec(id="seed", debit=chart.BANK, credit=chart.DONATIONS_UNRESTRICTED,
                                      amount=200_000, value_date=D), user=booker)
    end = time.monotonic() + 4
    results: list[dict] = []
    failures: list[BaseException] = []

    def worker(number: int) -> None:
        rng = random.Random(number)
        done = {"in": 0, "out": 0, "refused": 0, "count": 0}
        try:
            i = 0
            while time.monotonic() < end:
                i += 1
                tid = f"w{number}-{i}"
                amount = rng.randint(1_000, 60_000)
                roll = rng.random()
                try:
                    if roll < 0.3:
                        transfer_create(spec=TransferSpec(id=tid, debit=chart.BANK,
                                                          credit=chart.DONATIONS_UNRESTRICTED, amount=amount,
                                                          value_date=D), user=booker)
                        done["in"] += amount
                        done["count"] += 1
                    elif roll < 0.8:
                        transfer_create(spec=TransferSpec(id=tid, debit=chart.JUDGMENT_PAYMENTS_UNRESTRICTED_EXPENSE,
                                                          credit=chart.BANK, amount=amount, value_date=D),
                                        user=booker)
                        done["out"] += amount
                        done["count"] += 1
                    else:
                        transfer_create(spec=TransferSpec(id=tid, debit=chart.JUDGMENT_PAYMENTS_UNRESTRICTED_EXPENSE,
                                                          credit=chart.BANK, amount=amount, value_date=D,
                                                          pending=True), user=booker)
                        done["count"] += 1
                        if rng.random() < 0.5:
                            part = rng.randint(1, amount)
                            pending_post(id=f"{tid}-post", pending_id=tid, amount=part, value_date=D, user=booker)
                            done["out"] += part
                        else:
                            pending_void(id=f"{tid}-void", pending_id=tid, value_date=D, user=booker)
                        done["count"] += 1
                except LimitExceeded:
                    done["refused"] += 1
        except BaseException as exc:  # noqa: BLE001 - reported to the test thread
            failures.append(exc)
        finally:
            results.append(done)
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures, failures
    bank = account_balance(code=chart.BANK)
    paid_in = 200_000 + sum(r["in"] for r in results)
    paid_out = sum(r["out"] for r in results)
    assert (bank.debits, bank.credits, bank.credits_pending) == (paid_in, paid_out, 0)
    assert bank.balance >= 0
    assert Transfer.objects.count() == 1 + sum(r["count"] for r in results)
    assert sum(r["refused"] for r in results) > 0, "the limit was never reached: the test proved nothing"
    verified = ledger_verify()
    assert verified.ok, verified.reason
