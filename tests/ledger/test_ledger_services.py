"""The ledger's write rules: balanced transfers, idempotent ids, journals, two-phase transfers, limits."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from baesang.core.models import AuditEvent
from baesang.ledger import accounts as chart
from baesang.ledger import selectors, store
from baesang.ledger import services as ledger_services
from baesang.ledger.models import Account, Transfer
from baesang.ledger.selectors import account_balance, ledger_verify, trial_balance
from baesang.ledger.services import (
    AccountConflict,
    AccountExists,
    AccountNotFound,
    InvalidAccount,
    InvalidTransfer,
    LimitExceeded,
    PendingAlreadyResolved,
    PendingAmountExceeded,
    PendingNotFound,
    TransferIdConflict,
    TransferSpec,
    account_create,
    account_ensure,
    journal_stream_create,
    pending_post,
    pending_void,
    pendings_resolve,
    transfer_create,
    transfers_create,
)

POSCO_2023 = 4_000_000_000  # POSCO's donation of 2023-03-15 (DOMAIN.md §1), booked by the `funded` fixture
D0 = date(2023, 3, 15)
D1 = date(2023, 3, 16)


def pay(id_: str, amount: int, *, pending: bool = False, debit: str = chart.JUDGMENT_PAYMENTS_EXPENSE,
        credit: str = chart.BANK, journal: str = "") -> TransferSpec:
    return TransferSpec(id=id_, debit=debit, credit=credit, amount=amount, value_date=D1, pending=pending,
                        journal=journal)


def test_transfer_columns_follow_the_model_field_order():
    assert store.TRANSFER_COLUMNS == tuple(f.column for f in Transfer._meta.concrete_fields)


def test_a_transfer_moves_money_and_the_books_balance(funded, booker):
    transfer = transfer_create(spec=pay("pay-1", 100_000_000), user=booker)
    assert (transfer.seq, transfer.kind, transfer.amount, transfer.journal) == (2, "posted", 100_000_000, "pay-1")
    assert account_balance(code=chart.BANK).balance == POSCO_2023 - 100_000_000
    assert account_balance(code=chart.JUDGMENT_PAYMENTS_EXPENSE).balance == 100_000_000
    assert account_balance(code=chart.DONATIONS_RESTRICTED).balance == POSCO_2023
    books = trial_balance()
    assert books["total_debits"] == books["total_credits"] == POSCO_2023 + 100_000_000
    assert books["transfers"] == 2
    stored = Transfer.objects.get(pk="pay-1")
    assert (stored.hash, stored.prev_hash) == (transfer.hash, Transfer.objects.get(seq=1).hash)
    assert ledger_verify().ok


def test_retry_with_same_id_and_content_returns_the_first_transfer(funded, booker):
    first = transfer_create(spec=pay("pay-1", 5_000), user=booker)
    audits = AuditEvent.objects.count()
    again = transfer_create(spec=pay("pay-1", 5_000), user=booker)
    assert (again.pk, again.seq, again.hash) == (first.pk, first.seq, first.hash)
    assert Transfer.objects.count() == 2
    assert AuditEvent.objects.count() == audits
    assert account_balance(code=chart.BANK).credits == 5_000


def test_retry_is_answered_even_when_the_limit_would_now_refuse_it(funded, booker):
    transfer_create(spec=pay("pay-all", POSCO_2023), user=booker)
    assert transfer_create(spec=pay("pay-all", POSCO_2023), user=booker).seq == 2


@pytest.mark.parametrize("change", [
    {"amount": 5_001}, {"debit": chart.JUDGMENT_PAYMENTS_UNRESTRICTED_EXPENSE}, {"value_date": date(2023, 3, 17)},
    {"description": "other"}, {"pending": True},
])
def test_same_id_with_other_content_is_refused(funded, booker, change):
    transfer_create(spec=pay("pay-1", 5_000), user=booker)
    fields = {"id": "pay-1", "debit": chart.JUDGMENT_PAYMENTS_EXPENSE, "credit": chart.BANK, "amount": 5_000,
              "value_date": D1, **change}
    with pytest.raises(TransferIdConflict, match="pay-1 was used before"):
        transfer_create(spec=TransferSpec(**fields), user=booker)
    assert Transfer.objects.count() == 2


def test_a_journal_is_all_or_nothing(funded, booker):
    specs = [pay("j-1", 1_000, journal="batch-7"), pay("j-2", POSCO_2023, journal="batch-7")]
    with pytest.raises(LimitExceeded):
        transfers_create(specs=specs, user=booker)
    assert not Transfer.objects.filter(journal="batch-7").exists()
    assert account_balance(code=chart.BANK).balance == POSCO_2023
    created = transfers_create(specs=[pay("j-1", 1_000, journal="batch-7"), pay("j-2", 2_000, journal="batch-7")],
                               user=booker)
    assert [t.seq for t in created] == [2, 3]
    assert set(Transfer.objects.filter(journal="batch-7").values_list("pk", flat=True)) == {"j-1", "j-2"}


def test_a_journal_reusing_one_old_id_records_nothing(funded, booker):
    transfer_create(spec=pay("old", 1_000), user=booker)
    with pytest.raises(TransferIdConflict, match="old"):
        transfers_create(specs=[pay("new-1", 10), pay("old", 1_000), pay("new-2", 10)], user=booker)
    assert not Transfer.objects.filter(pk__in=["new-1", "new-2"]).exists()
    assert account_balance(code=chart.BANK).credits == 1_000
    assert ledger_verify().ok


def test_a_journal_retry_returns_the_same_transfers(funded, booker):
    specs = [pay(f"b-{i}", 100 + i, journal="batch-1") for i in range(50)]
    first = transfers_create(specs=specs, user=booker)
    again = transfers_create(specs=specs, user=booker)
    assert [t.seq for t in again] == [t.seq for t in first] == list(range(2, 52))
    assert Transfer.objects.count() == 51


@pytest.mark.parametrize("spec, field", [
    (pay("a", 0), "amount"),
    (pay("a", -5), "amount"),
    (TransferSpec(id="a", debit=chart.BANK, credit=chart.DONATIONS_RESTRICTED, amount=1.0, value_date=D1), "amount"),
    (TransferSpec(id="a", debit=chart.BANK, credit=chart.DONATIONS_RESTRICTED, amount=True, value_date=D1), "amount"),
    (pay("a", 10, debit=chart.BANK), "credit"),
    (pay("", 10), "id"),
    (pay(" a", 10), "id"),
    (TransferSpec(id="a", debit=chart.BANK, credit=chart.DONATIONS_RESTRICTED, amount=1,
                  value_date=datetime(2023, 3, 16, 9, 0)), "value_date"),
])
def test_invalid_transfers_are_refused(funded, booker, spec, field):
    with pytest.raises(InvalidTransfer) as caught:
        transfer_create(spec=spec, user=booker)
    assert caught.value.field == field
    assert Transfer.objects.count() == 1


def test_unknown_account_duplicate_ids_and_two_journals_are_refused(funded, booker):
    with pytest.raises(AccountNotFound, match="9999"):
        transfer_create(spec=pay("a", 10, debit="9999"), user=booker)
    with pytest.raises(InvalidTransfer, match="twice"):
        transfers_create(specs=[pay("a", 10), pay("a", 10)], user=booker)
    with pytest.raises(InvalidTransfer, match="one journal"):
        transfers_create(specs=[pay("a", 10, journal="x"), pay("b", 10, journal="y")], user=booker)
    assert Transfer.objects.count() == 1


def test_the_bank_never_goes_below_zero(funded, booker):
    with pytest.raises(LimitExceeded) as caught:
        transfer_create(spec=pay("too-much", POSCO_2023 + 1), user=booker)
    error = caught.value
    assert (error.account, error.limit) == (chart.BANK, "credits_must_not_exceed_debits")
    assert "account 1000" in error.message and "1 won over" in error.message
    assert account_balance(code=chart.BANK).balance == POSCO_2023
    transfer_create(spec=pay("exactly-all", POSCO_2023), user=booker)
    assert account_balance(code=chart.BANK).balance == 0


def test_a_creditor_payable_is_never_overpaid(funded, booker):
    payable = chart.payable_account("C-0001")
    assert payable.limit == "debits_must_not_exceed_credits"
    transfer_create(spec=pay("accrue", 100_000_000, debit=chart.JUDGMENT_PAYMENTS_EXPENSE, credit=payable.code),
                    user=booker)
    transfer_create(spec=pay("pay-part", 60_000_000, debit=payable.code, credit=chart.BANK), user=booker)
    with pytest.raises(LimitExceeded, match="2000-C-0001.*debits_must_not_exceed_credits"):
        transfer_create(spec=pay("overpay", 40_000_001, debit=payable.code, credit=chart.BANK), user=booker)
    transfer_create(spec=pay("pay-rest", 40_000_000, debit=payable.code, credit=chart.BANK), user=booker)
    assert account_balance(code=payable.code).balance == 0


def test_pending_reserves_then_posts_in_part_and_releases_the_rest(funded, booker):
    transfer_create(spec=pay("reserve", 1_000_000_000, pending=True), user=booker)
    bank = account_balance(code=chart.BANK)
    assert (bank.balance, bank.credits_pending, bank.available) == (POSCO_2023, 1_000_000_000, 3_000_000_000)
    with pytest.raises(LimitExceeded):  # the reservation counts against the limit
        transfer_create(spec=pay("other", 3_000_000_001), user=booker)
    post = pending_post(id="reserve-post", pending_id="reserve", amount=600_000_000, value_date=D1, user=booker)
    assert (post.kind, post.amount, post.pending_id) == ("post_pending", 600_000_000, "reserve")
    bank = account_balance(code=chart.BANK)
    assert (bank.balance, bank.credits_pending, bank.available) == (3_400_000_000, 0, 3_400_000_000)
    assert ledger_verify().ok


def test_the_trial_balance_counts_the_reservations_still_open(funded, booker):
    for name in ("open", "posted", "voided"):
        transfer_create(spec=pay(name, 1_000_000, pending=True), user=booker)
    assert trial_balance()["pending"]["transfers"] == 3
    pending_post(id="posted-post", pending_id="posted", amount=1_000_000, value_date=D1, user=booker)
    ledger_services.pending_void(id="voided-void", pending_id="voided", value_date=D1, user=booker)
    books = trial_balance()
    # the donation and the posting are posted; of the three reservations one is still open
    assert (books["transfers"], books["pending"]["transfers"]) == (2, 1)


def test_a_trial_balance_is_kept_until_a_transfer_is_added(funded, booker, monkeypatch):
    computed = []
    real = selectors._trial_balance
    monkeypatch.setattr(selectors, "_trial_balance", lambda as_of: computed.append(as_of) or real(as_of))
    first = trial_balance()
    assert trial_balance() == first and computed == [None]  # kept
    transfer_create(spec=pay("pay-kept", 1_000_000), user=booker)
    after = trial_balance()
    assert computed == [None, None] and after["transfers"] == first["transfers"] + 1
    assert after == real(None)


def test_a_pending_is_resolved_exactly_once(funded, booker):
    transfer_create(spec=pay("p", 1_000, pending=True), user=booker)
    with pytest.raises(PendingAmountExceeded):
        pending_post(id="p-post", pending_id="p", amount=1_001, user=booker)
    pending_post(id="p-post", pending_id="p", user=booker)
    assert pending_post(id="p-post", pending_id="p", user=booker).amount == 1_000  # a retry
    with pytest.raises(PendingAlreadyResolved, match="already resolved by transfer p-post"):
        pending_void(id="p-void", pending_id="p", user=booker)
    with pytest.raises(PendingAlreadyResolved):
        pending_post(id="p-post-2", pending_id="p", user=booker)
    with pytest.raises(PendingNotFound):
        pending_void(id="x-void", pending_id="nothing", user=booker)
    with pytest.raises(InvalidTransfer, match="not pending"):
        pending_void(id="x-void", pending_id="donation:posco-2023", user=booker)
    assert account_balance(code=chart.BANK).credits == 1_000
    assert ledger_verify().ok


def test_void_releases_the_whole_reservation(funded, booker):
    transfer_create(spec=pay("p", 250_000, pending=True), user=booker)
    void = pending_void(id="p-void", pending_id="p", value_date=D1, user=booker)
    assert (void.kind, void.amount) == ("void_pending", 250_000)
    bank = account_balance(code=chart.BANK)
    assert (bank.credits, bank.credits_pending, bank.available) == (0, 0, POSCO_2023)
    transfer_create(spec=pay("q", 1, pending=True), user=booker)
    with pytest.raises(InvalidTransfer, match="before the value date"):
        pending_post(id="q-post", pending_id="q", value_date=D0, user=booker)


def test_pendings_resolve_posts_and_voids_many_in_one_journal(funded, booker):
    transfers_create(specs=[pay(f"p{i}", 1_000 * (i + 1), pending=True, journal="batch") for i in range(6)],
                     user=booker)
    pendings_resolve(posts=[("p0-post", "p0"), ("p1-post", "p1", 500), ("p2-post", "p2")],
                     voids=[("p3-void", "p3"), ("p4-void", "p4")], value_date=D1, user=booker)
    bank = account_balance(code=chart.BANK)
    assert bank.credits == 1_000 + 500 + 3_000
    assert bank.credits_pending == 6_000  # p5 still reserved
    with pytest.raises(PendingAlreadyResolved):
        pendings_resolve(posts=[("p5-post", "p5"), ("p0-again", "p0")], voids=[], user=booker)
    assert not Transfer.objects.filter(pk="p5-post").exists()
    assert ledger_verify().ok


def test_accounts_are_unique_checked_and_ensured(ledger):
    with pytest.raises(AccountExists):
        account_create(code=chart.BANK, name="bank", type="asset", purpose="bank")
    with pytest.raises(InvalidAccount):
        account_create(code="x y", name="bad", type="asset", purpose="bank")
    with pytest.raises(InvalidAccount, match="type"):
        account_create(code="7000", name="bad", type="revenue", purpose="other")
    with pytest.raises(AccountConflict, match="limit"):
        account_ensure(code=chart.BANK, name="bank", type="asset", purpose="bank")
    again = account_ensure(code=chart.BANK, name="other name", type="asset", purpose="bank",
                           limit="credits_must_not_exceed_debits")
    assert again.pk == Account.objects.get(code=chart.BANK).pk


def test_indemnity_account_per_debtor(ledger):
    # Nippon Steel, debtor of the 2018-10-30 Supreme Court ruling (DOMAIN.md §1).
    account = chart.indemnity_account("NSC", "Nippon Steel")
    assert (account.code, account.debtor, account.type, account.purpose) == (
        "1200-NSC", "NSC", "asset", "indemnity_receivable")
    assert chart.indemnity_account("NSC", "Nippon Steel").pk == account.pk
    assert len(chart.chart_ensure()) == len(chart.CHART)


def _donations(count: int, *, bad: int | None = None):
    for i in range(1, count + 1):
        yield TransferSpec(id=f"stream-{i}", debit=chart.BANK, credit=chart.DONATIONS_UNRESTRICTED,
                           amount=0 if i == bad else 1_000 * i, value_date=date(2023, 3, 15), journal="stream")


def test_a_streamed_journal_is_written_chunk_by_chunk_and_verifies(ledger, booker, monkeypatch):
    """``journal_stream_create`` reads a chunk, then checks and hashes it piece by piece into one
    COPY per chunk: several chunks and pieces, one chain that verifies, all the transfers."""
    monkeypatch.setattr(ledger_services, "_STREAM_CHUNK", 7)
    monkeypatch.setattr(ledger_services, "_CHUNK", 3)
    told = []
    written = journal_stream_create(transfers=_donations(20), journal="stream",
                                    accounts=[chart.BANK, chart.DONATIONS_UNRESTRICTED], user=booker,
                                    progress=told.append)
    assert (written.transfers, written.amount, written.last_seq - written.first_seq) == (20, 210_000, 19)
    assert told == [7, 14, 20, 20]
    assert list(Transfer.objects.filter(journal="stream").order_by("seq").values_list("id", flat=True)) == [
        f"stream-{i}" for i in range(1, 21)]
    assert ledger_verify().ok


def test_a_bad_transfer_in_a_later_chunk_of_a_streamed_journal_writes_nothing(ledger, booker, monkeypatch):
    monkeypatch.setattr(ledger_services, "_STREAM_CHUNK", 7)
    monkeypatch.setattr(ledger_services, "_CHUNK", 3)
    with pytest.raises(InvalidTransfer, match="stream-16") as raised:
        journal_stream_create(transfers=_donations(20, bad=16), journal="stream",
                              accounts=[chart.BANK, chart.DONATIONS_UNRESTRICTED], user=booker)
    assert raised.value.row == 16
    assert not Transfer.objects.filter(journal="stream").exists()
    assert Account.objects.get(code=chart.BANK).debits_posted == 0 and ledger_verify().ok
