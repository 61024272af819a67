"""Reads of the ledger: balances as of a date, the trial balance and its JSON, statements, the fund
position, and a property test replaying random operations against a plain model of the books."""

from __future__ import annotations

import io
import json
from dataclasses import asdict
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from factories import staff_user
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from baesang.cases.models import FiguresCache
from baesang.cases.selectors import trial_balance_shared
from baesang.core import roles
from baesang.ledger import accounts as chart
from baesang.ledger.errors import LedgerError
from baesang.ledger.selectors import (
    account_balance,
    account_statement,
    fund_position,
    ledger_verify,
    trial_balance,
)
from baesang.ledger.services import TransferSpec, pending_post, pending_void, transfer_create, transfers_create

# Donations of the scheme (DOMAIN.md §1): POSCO 4 bn won on 2023-03-15 and 2 bn in September
# 2024; the Korea Employers Federation 0.1 bn (unrestricted here, to exercise both funds).
POSCO_2023, POSCO_2024, KEF = 4_000_000_000, 2_000_000_000, 100_000_000
# Nippon Steel plaintiffs: 100,000,000 won principal each (DOMAIN.md §4).
NSC_PRINCIPAL = 100_000_000


def spec(id_, debit, credit, amount, when, *, pending=False):
    return TransferSpec(id=id_, debit=debit, credit=credit, amount=amount, value_date=when, pending=pending)


@pytest.fixture
def books(ledger, booker):
    payable = chart.payable_account("NSC-1").code
    indemnity = chart.indemnity_account("NSC", "Nippon Steel").code
    transfer_create(spec=spec("don-1", chart.BANK, chart.DONATIONS_RESTRICTED, POSCO_2023, date(2023, 3, 15)),
                    user=booker)
    transfer_create(spec=spec("don-2", chart.BANK, chart.DONATIONS_UNRESTRICTED, KEF, date(2023, 4, 1)), user=booker)
    transfers_create(specs=[  # a judgment payment and the indemnity claim it creates
        spec("acc-1", chart.JUDGMENT_PAYMENTS_EXPENSE, payable, NSC_PRINCIPAL, date(2023, 5, 1)),
        spec("ind-1", indemnity, chart.INDEMNITY_RESERVE, NSC_PRINCIPAL, date(2023, 5, 1)),
    ], user=booker)
    transfer_create(spec=spec("pay-1", payable, chart.BANK, NSC_PRINCIPAL, date(2023, 5, 2), pending=True),
                    user=booker)
    transfer_create(spec=spec("dep-1", chart.DEPOSITS_HELD, chart.BANK, 50_000_000, date(2023, 6, 1)), user=booker)
    pending_post(id="pay-1-post", pending_id="pay-1", value_date=date(2024, 1, 10), user=booker)
    transfer_create(spec=spec("don-3", chart.BANK, chart.DONATIONS_RESTRICTED, POSCO_2024, date(2024, 9, 1)),
                    user=booker)
    return {"payable": payable, "indemnity": indemnity}


def test_balances_as_of_a_date_count_by_value_date(books):
    end_2023 = account_balance(code=chart.BANK, as_of=date(2023, 12, 31))
    assert end_2023.balance == POSCO_2023 + KEF - 50_000_000
    assert end_2023.credits_pending == NSC_PRINCIPAL  # reserved on 2023-05-02, posted on 2024-01-10
    assert end_2023.available == POSCO_2023 + KEF - 50_000_000 - NSC_PRINCIPAL
    now = account_balance(code=chart.BANK)
    assert (now.balance, now.credits_pending) == (POSCO_2023 + KEF + POSCO_2024 - 50_000_000 - NSC_PRINCIPAL, 0)
    assert account_balance(code=chart.BANK, as_of=date(2030, 1, 1)) == now


def test_trial_balance_shape_and_totals(books):
    data = trial_balance(as_of=date(2023, 12, 31))
    assert set(data) >= {"accounts", "total_debits", "total_credits", "transfers"}
    assert data["total_debits"] == data["total_credits"]
    assert data["transfers"] == 5  # don-1, don-2, acc-1, ind-1, dep-1; pay-1 is pending then
    assert data["pending"] == {"accounts": [{"code": chart.BANK, "debits": 0, "credits": NSC_PRINCIPAL},
                                            {"code": books["payable"], "debits": NSC_PRINCIPAL, "credits": 0}],
                               "transfers": 1}
    row = next(a for a in data["accounts"] if a["code"] == chart.BANK)
    assert set(row) == {"code", "name", "type", "debits", "credits", "balance"}
    assert row["balance"] == POSCO_2023 + KEF - 50_000_000


def test_balance_command_json(books):
    out = io.StringIO()
    call_command("ledger", "balance", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["total_debits"] == data["total_credits"]
    assert data["transfers"] == 7
    assert isinstance(data["accounts"][0]["debits"], int)
    out = io.StringIO()
    call_command("ledger", "balance", "--as-of", "2023-04-30", stdout=out)
    assert "Trial balance as of 2023-04-30 (2 posted transfers)" in out.getvalue()


def test_statement_runs_the_balance(books):
    lines = account_statement(code=chart.BANK, date_from=date(2023, 4, 1), date_to=date(2024, 12, 31))
    assert [(x.kind, x.transfer_id) for x in lines] == [
        ("opening", ""), ("posted", "don-2"), ("posted", "dep-1"), ("post_pending", "pay-1-post"), ("posted", "don-3")]
    assert lines[0].balance == POSCO_2023
    assert [x.balance for x in lines[1:]] == [
        POSCO_2023 + KEF, POSCO_2023 + KEF - 50_000_000, POSCO_2023 + KEF - 50_000_000 - NSC_PRINCIPAL,
        POSCO_2023 + KEF + POSCO_2024 - 50_000_000 - NSC_PRINCIPAL]
    assert lines[2].counter_account == chart.DEPOSITS_HELD and lines[2].credit == 50_000_000
    out = io.StringIO()
    call_command("ledger", "statement", chart.BANK, "--from", "2023-04-01", "--json", stdout=out)
    assert [x["transfer_id"] for x in json.loads(out.getvalue())] == ["", "don-2", "dep-1", "pay-1-post", "don-3"]
    # written a line at a time, the text of the whole list as one JSON document
    whole = [{**asdict(x), "value_date": x.value_date.isoformat()} for x in lines]
    assert out.getvalue() == json.dumps(whole, ensure_ascii=False, indent=2) + "\n"


def test_fund_position_separates_funds_and_reservations(books):
    before = fund_position(as_of=date(2023, 12, 31))
    assert before.bank_balance == POSCO_2023 + KEF - 50_000_000
    assert (before.reserved, before.available) == (NSC_PRINCIPAL, before.bank_balance - NSC_PRINCIPAL)
    assert before.deposits_held == 50_000_000
    assert before.restricted == POSCO_2023 - NSC_PRINCIPAL
    assert before.unrestricted == KEF
    assert before.creditor_payables == NSC_PRINCIPAL
    assert before.indemnity_receivable == NSC_PRINCIPAL
    # restricted + unrestricted = bank + deposits held − payables (the indemnity pair nets out)
    assert before.restricted + before.unrestricted == before.bank_balance + before.deposits_held \
        - before.creditor_payables
    now = fund_position()
    assert (now.reserved, now.creditor_payables) == (0, 0)
    assert now.restricted == POSCO_2023 + POSCO_2024 - NSC_PRINCIPAL


def test_commands_report_errors_with_exit_status_2(books):
    with pytest.raises(CommandError) as caught:
        call_command("ledger", "statement", "9999", stdout=io.StringIO())
    assert caught.value.returncode == 2 and "9999" in str(caught.value)
    out = io.StringIO()
    call_command("ledger", "position", "--json", stdout=out)
    assert json.loads(out.getvalue())["restricted"] == POSCO_2023 + POSCO_2024 - NSC_PRINCIPAL
    out = io.StringIO()
    call_command("ledger", "verify", stdout=out)
    assert "ledger verified: 8 transfers" in out.getvalue()


_operation = st.one_of(
    st.tuples(st.just("donate"), st.integers(1, 10**9)),
    st.tuples(st.just("pay"), st.integers(1, 10**9)),
    st.tuples(st.just("reserve"), st.integers(1, 10**9)),
    st.tuples(st.just("post"), st.integers(0, 30), st.floats(0.01, 1.0)),
    st.tuples(st.just("void"), st.integers(0, 30)),
)


class LedgerPropertyTest(TestCase):
    """Whatever sequence of operations is tried, the ledger equals a plain model of it: a refused
    operation changes nothing, the bank never goes below zero, and verify holds. The finance
    officer who books them is created once for the class, outside the generated examples."""

    @classmethod
    def setUpTestData(cls):
        cls.booker = staff_user("booker", roles.FINANCE_OFFICER)

    @settings(max_examples=25, deadline=None)
    @given(st.lists(_operation, min_size=1, max_size=25))
    def test_random_operations_match_a_model(self, operations):
        booker = self.booker
        chart.chart_ensure()
        when = date(2024, 1, 1)
        bank_in = bank_out = reserved_total = 0
        open_pendings: list[tuple[str, int]] = []
        for n, operation in enumerate(operations):
            tid = f"op-{n}"
            try:
                if operation[0] == "donate":
                    transfer_create(spec=spec(tid, chart.BANK, chart.DONATIONS_RESTRICTED, operation[1], when),
                                    user=booker)
                    bank_in += operation[1]
                elif operation[0] in ("pay", "reserve"):
                    pending = operation[0] == "reserve"
                    allowed = bank_in - bank_out - reserved_total >= operation[1]
                    try:
                        transfer_create(spec=spec(tid, chart.JUDGMENT_PAYMENTS_EXPENSE, chart.BANK, operation[1], when,
                                                  pending=pending), user=booker)
                    except LedgerError:
                        assert not allowed
                        continue
                    assert allowed
                    if pending:
                        reserved_total += operation[1]
                        open_pendings.append((tid, operation[1]))
                    else:
                        bank_out += operation[1]
                elif open_pendings:
                    pending_id, amount = open_pendings.pop(operation[1] % len(open_pendings))
                    reserved_total -= amount
                    if operation[0] == "post":
                        part = max(1, int(amount * operation[2]))
                        pending_post(id=tid, pending_id=pending_id, amount=part, value_date=when, user=booker)
                        bank_out += part
                    else:
                        pending_void(id=tid, pending_id=pending_id, value_date=when, user=booker)
            finally:
                bank = account_balance(code=chart.BANK)
                assert (bank.debits, bank.credits, bank.credits_pending) == (bank_in, bank_out, reserved_total)
                assert bank.available >= 0
        books = trial_balance()
        assert books["total_debits"] == books["total_credits"]
        result = ledger_verify()
        assert result.ok, result.reason


def test_the_shared_trial_balance_is_read_until_a_transfer_moves_the_head(books, booker):
    """The staff page's trial balance is kept in the figures cache under the ledger's head: another
    process's entry is read as it is; a transfer (a new head) makes the next reader compute it."""
    for as_of in (None, date(2023, 12, 31)):
        assert trial_balance_shared(as_of=as_of) == trial_balance(as_of=as_of)
    entry = FiguresCache.objects.get(key__startswith="trial_balance:now:")
    entry.value = json.dumps({"as kept by": "another process"})
    entry.save()
    assert trial_balance_shared() == {"as kept by": "another process"}  # read, not computed again
    transfer_create(spec=spec("don-4", chart.BANK, chart.DONATIONS_UNRESTRICTED, 1_000, date(2024, 9, 2)), user=booker)
    fresh = trial_balance_shared()
    assert fresh == trial_balance() and fresh["transfers"] == trial_balance()["transfers"]
    assert FiguresCache.objects.filter(key__startswith="trial_balance:now:").count() == 1  # the old one dropped
