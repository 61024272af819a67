"""Writes of the donations side: donors, pledges, donations received, donation receipts.

- A donation received is booked once: Dr bank (1000) / Cr restricted (4000) or unrestricted
  (4100) donations income, in won, as one ledger transfer whose id is derived from the bank
  reference (``donation:<reference>``). The bank reference is the idempotency key: importing
  the same statement again posts nothing twice; the same reference with other content is an
  error.
- An import is all-or-nothing: every row is checked first and all bad rows are reported
  (row, field, rule); the donations of one file are booked in one ledger journal.
- A donation is applied to the donor's oldest open pledge with the same restriction.
- A donation recorded by mistake is reversed, never edited: a finance officer proposes the
  reversal with a reason (:func:`donation_reversal_propose`), an approver who did not propose
  it approves it (:func:`donation_reversal_approve`; four eyes, also a database CHECK), which
  books Dr donations income / Cr bank under the id ``donation-reversal:<reference>`` (a retry
  books nothing twice) and cancels the donation's receipt: the receipt keeps its number and is
  marked cancelled with the reason. The corrected donation is recorded afterwards under a new
  bank reference and its receipt takes the next number of the gap-free series.
- Event dates are never in the future: a donation's value date or a pledge's date after the
  foundation's today (``timezone.localdate()``) is refused, naming the field (and the row).
- Donation receipts (기부금 영수증) take the next number of the donation year's series under a
  lock on that year's counter; a failure rolls the counter back with the receipt, so the
  series has no gaps and a number is never given twice.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import astuple, dataclass
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from baesang.core.errors import DomainError, InputError, PermissionDenied, ValidationFailed
from baesang.core.permissions import Actor, permission_require
from baesang.core.progress import progress_none
from baesang.core.services import audit_record, channel_current
from baesang.donations import rules, staging
from baesang.donations.importer import (  # noqa: F401 - donations_check is imported from here
    DonationLine,
    Progress,
    bad_row,
    donation_rows,
    donations_check,
    summary,
)
from baesang.donations.models import (
    Donation,
    DonationReceipt,
    DonationReversal,
    Donor,
    DonorKind,
    Pledge,
    ReceiptCancellation,
    ReceiptCounter,
    ReversalState,
)
from baesang.donations.selectors import donations_standing
from baesang.ledger import accounts as chart
from baesang.ledger.services import TransferSpec, journal_stream_create, transfers_create


class DonationsError(DomainError):
    code = "donations_error"


class DonorExists(DonationsError):
    code = "donor_exists"


class InvalidDonation(DonationsError, InputError):
    code = "invalid_donation"


class ReceiptError(DonationsError):
    code = "receipt_error"


class FutureDate(InvalidDonation):
    """A donation's value date or a pledge's date after the foundation's today."""

    code = "future_date"


class DonationReversed(DonationsError):
    code = "donation_reversed"


class ReversalError(DonationsError):
    code = "reversal_error"


class ReversalExists(ReversalError):
    code = "reversal_exists"


class ReversalNotProposed(ReversalError):
    code = "reversal_not_proposed"


class ReversalReasonRequired(ReversalError, InputError):
    code = "reversal_reason_required"


class ReversalFourEyes(ReversalError, PermissionDenied):
    code = "reversal_four_eyes"


#: The longest reason or note of a reversal.
MAX_REASON = 2000


@dataclass(frozen=True)
class ImportResult:
    booked: int
    already_imported: int
    total_won: int
    journal: str


def transfer_id_for(reference: str) -> str:
    """The ledger transfer id of the donation with this bank reference (the idempotency key)."""
    return f"donation:{reference}"


def reversal_transfer_id_for(reference: str) -> str:
    """The ledger transfer id reversing the donation with this bank reference (at most one ever)."""
    return f"donation-reversal:{reference}"


def _not_future(value: date, field: str, what: str) -> None:
    today = timezone.localdate()
    try:
        rules.not_after_today(value, today)
    except rules.RuleBroken as exc:
        raise FutureDate(f"{what}, {field}: {exc}", field=field,
                         params={"field": field, "today": today.isoformat()}) from exc


# ---------------------------------------------------------------- donors and pledges


def donor_create(*, name: str, kind: str, country: str, brn: str = "", may_be_named_publicly: bool = False,
                 user: Actor | None = None) -> Donor:
    permission_require(user, "record_donation")
    try:
        name = rules.clean_text(name, limit=200)
        country = rules.clean_country(country)
        brn = rules.clean_brn(brn)
    except rules.RuleBroken as exc:
        raise InvalidDonation(f"donor: {exc}") from exc
    if kind not in DonorKind.values:
        raise InvalidDonation(f"donor {name}: kind {kind!r} is not one of {', '.join(DonorKind.values)}",
                              field="kind")
    with transaction.atomic():
        clash = Donor.objects.filter(brn=brn) if brn else Donor.objects.filter(brn="", name=name, country=country)
        if clash.exists():
            raise DonorExists(f"donor {name} ({country} {brn or 'no registration number'}) exists already")
        donor = Donor.objects.create(name=name, kind=kind, country=country, brn=brn,
                                     may_be_named_publicly=may_be_named_publicly)
        audit_record(actor=user, action="donations.donor_create", entity=donor,
                     new={"kind": kind, "country": country, "brn": brn, "public": may_be_named_publicly})
    return donor


def pledge_create(*, donor: Donor, amount: int, pledged_on: date, expected_on: date | None = None,
                  conditions: str = "", restricted: bool = True, user: Actor | None = None) -> Pledge:
    permission_require(user, "record_donation")
    if type(amount) is not int or amount <= 0:
        raise InvalidDonation(f"pledge of {donor}: amount {amount!r} must be whole won > 0", field="amount")
    _not_future(pledged_on, "pledged_on", f"pledge of {donor}")
    if expected_on is not None and expected_on < pledged_on:
        raise InvalidDonation(f"pledge of {donor}: expected {expected_on} before it was pledged on {pledged_on}",
                              field="expected_on")
    with transaction.atomic():
        pledge = Pledge.objects.create(donor=donor, amount=amount, pledged_on=pledged_on, expected_on=expected_on,
                                       conditions=conditions, restricted=restricted, created_by=_user(user))
        audit_record(actor=user, action="donations.pledge_create", entity=pledge,
                     new={"donor": donor.pk, "amount": amount, "pledged_on": pledged_on, "restricted": restricted})
    return pledge


def pledge_withdraw(*, pledge: Pledge, withdrawn_on: date, user: Actor | None = None) -> Pledge:
    """The donor withdrew the rest of a pledge; what was received stays received."""
    permission_require(user, "record_donation")
    with transaction.atomic():
        pledge = Pledge.objects.select_for_update().get(pk=pledge.pk)
        if pledge.withdrawn_on is not None:
            raise InvalidDonation(f"pledge {pledge.pk} was withdrawn on {pledge.withdrawn_on} already")
        if withdrawn_on < pledge.pledged_on:
            raise InvalidDonation(f"pledge {pledge.pk}: withdrawn on {withdrawn_on}, before it was made",
                                  field="withdrawn_on")
        pledge.withdrawn_on = withdrawn_on
        pledge.save(update_fields=["withdrawn_on"])
        audit_record(actor=user, action="donations.pledge_withdraw", entity=pledge,
                     old={"withdrawn_on": None}, new={"withdrawn_on": withdrawn_on})
    return pledge


def _user(user):
    return user if getattr(user, "pk", None) else None


# ---------------------------------------------------------------- donations received


def donations_import(*, data: bytes | str, user: Actor | None = None, source: str = "the file",
                     progress: Progress | None = None) -> ImportResult:
    """Import a bank-statement CSV: all rows or none; rows imported before are skipped.
    ``progress(stage, done, total)`` is told how far it has come: ``check`` (rows read),
    ``donors``, ``ledger`` and ``donations`` (rows booked).

    The rows are checked as they are read and the valid ones go straight into a temporary
    table (:mod:`baesang.donations.staging`), so memory does not grow with the file; donors
    are matched and created, and donations inserted, set-wise; the ledger journal is written
    by :func:`baesang.ledger.services.journal_stream_create`, a chunk at a time. Everything
    happens in one transaction: an error anywhere changes nothing."""
    permission_require(user, "record_donation")
    errors: list[DomainError] = []
    with transaction.atomic():
        staging.create()
        with staging.writer() as write:
            for values in donation_rows(data=data, source=source, progress=progress, errors=errors,
                                        duplicates=False):
                write(values)
        result = _book_staged(user=user, source=source, errors=errors, progress=progress)
        staging.drop()
    return result


def donation_record(
    *, donor: Donor, value_date: date, bank_reference: str, amount: Decimal | int, restricted: bool,
    currency: str = rules.WON, rate: Decimal | None = None, user: Actor | None = None,
) -> Donation:
    """Record one donation received (the same rules and booking as a one-row import)."""
    permission_require(user, "record_donation")
    try:
        currency = rules.clean_currency(currency)
        original = rules.clean_amount(str(amount), currency)
        exchange = rules.clean_rate("" if rate is None else str(rate), currency)
        won = rules.amount_in_won(original, exchange)
        reference = rules.clean_text(bank_reference, limit=100)
    except rules.RuleBroken as exc:
        raise InvalidDonation(f"donation {bank_reference}: {exc}") from exc
    _not_future(value_date, "value_date", f"donation {reference}")
    reversed_before = DonationReversal.objects.filter(donation__bank_reference=reference,
                                                      state=ReversalState.APPROVED).first()
    if reversed_before is not None:
        raise DonationReversed(f"bank reference {reference} belongs to a donation reversed on "
                               f"{reversed_before.reversed_on}; record the corrected donation under a new bank "
                               f"reference (e.g. {reference}-1)", field="bank_reference")
    line = DonationLine(row=1, value_date=value_date, donor=donor.name, country=donor.country, brn=donor.brn,
                        kind=donor.kind, public=donor.may_be_named_publicly, currency=currency, amount=original,
                        rate=exchange, amount_won=won, reference=reference, restricted=restricted)
    _book([line], user=user, source=f"donation {reference}")
    return Donation.objects.get(bank_reference=reference)


def _same(line: tuple, donation: Donation) -> bool:
    """Whether a row booked before (``staging.booked_before``) has the content of ``donation``."""
    _row, _reference, value_date, currency, amount, rate, restricted, brn, name, country = line
    donor = donation.donor
    donor_key = ("brn", donor.brn) if donor.brn else ("name", donor.name, donor.country)
    line_key = ("brn", brn) if brn else ("name", name, country)
    return (donation.value_date, donation.currency, donation.original_amount, donation.rate, donation.restricted,
            donor_key) == (value_date, currency, amount, rate, restricted, line_key)


def _book(lines: Sequence[DonationLine], *, user, source: str) -> ImportResult:
    """Book the given lines as an import does (one donation recorded by hand is a one-row import)."""
    with transaction.atomic():
        staging.create()
        with staging.writer() as write:
            for line in lines:
                write(astuple(line))
        result = _book_staged(user=user, source=source, errors=[], progress=None)
        staging.drop()
    return result


def _book_staged(*, user, source: str, errors: list[DomainError], progress: Progress | None) -> ImportResult:
    """Book the rows of the staging table, after checking their bank references within the file and
    against earlier imports; any error (``errors`` from parsing, a reference used twice, or one reused
    with other content) rejects everything. Runs inside the import's transaction."""
    for row, reference, first in staging.repeated_references():
        errors.append(bad_row(row, "reference", f"bank reference {reference!r} is already used in row {first}"))
    already = 0
    for chunk in staging.booked_before():
        donations = {d.bank_reference: d for d in
                     Donation.objects.select_related("donor").filter(bank_reference__in=[r[1] for r in chunk])}
        for line in chunk:
            donation = donations[line[1]]
            already += 1
            if not _same(line, donation):
                errors.append(bad_row(line[0], "reference", f"bank reference {line[1]!r} was imported before "
                                                            f"with other content (donation {donation.pk}); a bank "
                                                            f"reference is never reused (a corrected donation takes "
                                                            f"a new reference)"))
    if errors:
        errors.sort(key=lambda e: e.row or 0)
        raise ValidationFailed(errors, summary=summary(errors, source))
    if already:
        staging.leave_out_booked()
    booked, total = staging.count()
    if not booked:
        return ImportResult(booked=0, already_imported=already, total_won=0, journal="")
    tell = progress or progress_none
    chart.chart_ensure(user=user)
    now = timezone.now()
    actor = _user(user)
    channel = channel_current()
    tell("donors", 0, booked)
    staging.donors_create(now=now, actor_id=actor.pk if actor else None,
                          actor_label=user.get_username() if actor else "system",
                          channel=channel.name if channel else "", credential=channel.credential if channel else "")
    tell("donors", booked, booked)
    _pledges_apply()
    journal = staging.journal_name()
    tell("ledger", 0, booked)
    accounts = {True: chart.DONATIONS_RESTRICTED, False: chart.DONATIONS_UNRESTRICTED}
    prefix = transfer_id_for("")
    journal_stream_create(
        transfers=(TransferSpec(id=prefix + reference, debit=chart.BANK, credit=accounts[bool(restricted)],
                                amount=won, value_date=value_date, description=f"donation {reference}",
                                journal=journal)
                   for _row, reference, value_date, won, restricted in staging.transfer_rows()),
        journal=journal, accounts=[chart.BANK, *accounts.values()], user=user,
        progress=lambda written: tell("ledger", written, booked))
    tell("donations", 0, booked)
    staging.donations_insert(transfer_prefix=prefix, now=now, created_by=actor.pk if actor else None)
    tell("donations", booked, booked)
    audit_record(actor=user, action="donations.import", entity_type="donations.import",
                 entity_id=journal[:80], new={"source": source, "booked": booked, "already_imported": already,
                                              "total_won": total, "journal": journal})
    return ImportResult(booked=booked, already_imported=already, total_won=total, journal=journal)


def _pledges_apply() -> None:
    """Apply each new donation to its donor's oldest open pledge with the same restriction
    (pledges are few: only the rows of donors with an open pledge are read)."""
    keys = {}
    for pledge_donor, brn, name, country in Pledge.objects.filter(withdrawn_on__isnull=True).values_list(
            "donor_id", "donor__brn", "donor__name", "donor__country").distinct():
        keys[("brn", brn) if brn else ("name", name, country)] = pledge_donor
    if not keys:
        return
    rows = staging.rows_of_donors(keys)
    if not rows:
        return
    pledges = _open_pledges(sorted({keys[("brn", r[1]) if r[1] else ("name", r[2], r[3])] for r in rows}))
    assigned = []
    for row, brn, name, country, value_date, won, restricted in rows:
        donor_id = keys[("brn", brn) if brn else ("name", name, country)]
        pledge = _apply_to_pledge(pledges[donor_id], value_date=value_date, amount_won=won, restricted=restricted)
        if pledge is not None:
            assigned.append((row, pledge.pk))
    staging.pledges_apply(assigned)


class _OpenPledge:
    __slots__ = ("pledge", "outstanding")

    def __init__(self, pledge: Pledge, outstanding: int) -> None:
        self.pledge, self.outstanding = pledge, outstanding


def _open_pledges(donor_ids: list[int]) -> dict[int, list[_OpenPledge]]:
    result: dict[int, list[_OpenPledge]] = defaultdict(list)
    pledges = Pledge.objects.select_for_update().filter(donor_id__in=donor_ids, withdrawn_on__isnull=True)
    received = dict(donations_standing().filter(pledge__in=pledges).order_by().values_list("pledge")
                    .annotate(s=Sum("amount_won")))
    for pledge in pledges.order_by("pledged_on", "id"):
        outstanding = pledge.amount - received.get(pledge.pk, 0)
        if outstanding > 0:
            result[pledge.donor_id].append(_OpenPledge(pledge, outstanding))
    return result


def _apply_to_pledge(open_pledges: list[_OpenPledge], *, value_date: date, amount_won: int,
                     restricted: bool) -> Pledge | None:
    for item in open_pledges:
        if item.outstanding > 0 and item.pledge.restricted == restricted and item.pledge.pledged_on <= value_date:
            item.outstanding -= amount_won
            return item.pledge
    return None


# ---------------------------------------------------------------- donation receipts (기부금 영수증)


def _receipt_numbers(year: int, count: int) -> list[int]:
    """Take ``count`` consecutive serials of ``year`` under a lock on its counter row."""
    ReceiptCounter.objects.bulk_create([ReceiptCounter(year=year, last=0)], ignore_conflicts=True)
    counter = ReceiptCounter.objects.select_for_update().get(year=year)
    first = counter.last + 1
    counter.last += count
    counter.save(update_fields=["last"])
    return list(range(first, first + count))


def receipt_number(year: int, serial: int) -> str:
    return f"{year:04d}-{serial:06d}"


def receipt_issue(*, donation: Donation, issued_on: date | None = None, user: Actor | None = None) -> DonationReceipt:
    """Issue the receipt of one donation (or return the one issued before)."""
    issued = receipts_issue(donations=[donation], issued_on=issued_on, user=user)
    return issued[0] if issued else DonationReceipt.objects.get(donation=donation)


#: Receipts written by one INSERT (and between two progress reports).
RECEIPTS_PER_INSERT = 2_000


def receipts_issue(*, year: int | None = None, donations: Sequence[Donation] | None = None,
                   issued_on: date | None = None, user: Actor | None = None,
                   progress: Progress = progress_none) -> list[DonationReceipt]:
    """Issue receipts for the donations of ``year`` (or the given ones) that have none; numbers follow
    the order of value date, then record. ``progress`` is told ("receipts", written, to write)."""
    permission_require(user, "record_donation")
    issued_on = issued_on or timezone.localdate()
    with transaction.atomic():
        pending = donations_standing().filter(receipt__isnull=True).select_related("donor")
        if donations is not None:
            pending = pending.filter(pk__in=[d.pk for d in donations])
        if year is not None:
            pending = pending.filter(value_date__year=year)
        pending = list(pending.select_for_update(of=("self",)).order_by("value_date", "id"))
        late = [d for d in pending if d.value_date > issued_on]
        if late:
            raise ReceiptError(f"donation {late[0].bank_reference} was received on {late[0].value_date}, after the "
                               f"issue date {issued_on}", field="issued_on")
        by_year: dict[int, list[Donation]] = defaultdict(list)
        for donation in pending:
            by_year[donation.value_date.year].append(donation)
        receipts = []
        issued_by = _user(user)
        for receipt_year in sorted(by_year):
            group = by_year[receipt_year]
            for donation, serial in zip(group, _receipt_numbers(receipt_year, len(group)), strict=True):
                receipts.append(DonationReceipt(
                    number=receipt_number(receipt_year, serial), year=receipt_year, serial=serial, donation=donation,
                    donor=donation.donor, amount_won=donation.amount_won, issued_on=issued_on, issued_by=issued_by,
                ))
        progress("receipts", 0, len(receipts))
        for start in range(0, len(receipts), RECEIPTS_PER_INSERT):
            DonationReceipt.objects.bulk_create(receipts[start:start + RECEIPTS_PER_INSERT])
            progress("receipts", min(start + RECEIPTS_PER_INSERT, len(receipts)), len(receipts))
        if receipts:
            audit_record(actor=user, action="donations.receipts_issue", entity_type="donations.receipt",
                         entity_id=f"{receipts[0].number}..{receipts[-1].number}",
                         new={"count": len(receipts), "first": receipts[0].number, "last": receipts[-1].number})
    return receipts


@transaction.atomic
def receipt_print_record(*, receipt: DonationReceipt, actor: Actor, sha256: str, lang: str) -> None:
    """Record that a donation receipt was printed (again): the audit row names the receipt
    number and the SHA-256 of the file given out."""
    permission_require(actor, "view_donations")
    audit_record(actor=actor, action="receipt.print", entity=receipt,
                 new={"number": receipt.number, "sha256": sha256, "lang": lang})


# ---------------------------------------------------------------- reversals (기부금 입금 취소)


def _reason(text: str, field: str) -> str:
    reason = (text or "").strip()
    if not reason:
        raise ReversalReasonRequired("a donation reversal needs a reason", field=field)
    if len(reason) > MAX_REASON:
        raise ReversalReasonRequired(f"the reason is longer than {MAX_REASON} characters", field=field)
    return reason


def donation_reversal_propose(*, donation: Donation, reason: str, actor: Actor) -> DonationReversal:
    """Propose reversing a donation recorded by mistake (a finance officer, with a reason); nothing is
    booked until an approver who did not propose it approves."""
    permission_require(actor, "propose_donation_reversal")
    reason = _reason(reason, "reason")
    try:
        with transaction.atomic():
            donation = Donation.objects.select_for_update().get(pk=donation.pk)
            open_or_done = DonationReversal.objects.filter(
                donation=donation, state__in=[ReversalState.PROPOSED, ReversalState.APPROVED]).first()
            if open_or_done is not None:
                raise ReversalExists(f"donation {donation.bank_reference} has a reversal {open_or_done.state} "
                                     f"already (reversal {open_or_done.pk})")
            reversal = DonationReversal.objects.create(donation=donation, reason=reason, proposed_by=actor)
            audit_record(actor=actor, action="donations.reversal_propose", entity=reversal,
                         new={"donation": donation.pk, "bank_reference": donation.bank_reference,
                              "amount_won": donation.amount_won, "reason": reason})
    except IntegrityError as exc:  # proposed concurrently by someone else
        raise ReversalExists(f"donation {donation.bank_reference} has a reversal proposed already") from exc
    return reversal


def _decidable(reversal: DonationReversal, approver: Actor) -> DonationReversal:
    reversal = DonationReversal.objects.select_for_update().select_related("donation").get(pk=reversal.pk)
    if reversal.state != ReversalState.PROPOSED:
        raise ReversalNotProposed(f"reversal {reversal.pk} of donation {reversal.donation.bank_reference} is "
                                  f"{reversal.state}, not proposed")
    if reversal.proposed_by_id == approver.pk:
        raise ReversalFourEyes(f"reversal {reversal.pk} was proposed by {approver.get_username()}, who cannot also "
                               f"decide it; another approver must (four eyes)")
    return reversal


def donation_reversal_approve(*, reversal: DonationReversal, approver: Actor,
                              reversed_on: date | None = None) -> DonationReversal:
    """Approve a proposed reversal (an approver who did not propose it): book the reversing ledger
    transfer ``donation-reversal:<reference>`` (Dr donations income / Cr bank, the donation's won
    amount, on ``reversed_on``, default today) and cancel the donation's receipt, which keeps its
    number. The bank account may not go negative: a reversal of money already paid out is refused."""
    permission_require(approver, "approve_donation_reversal")
    today = timezone.localdate()
    reversed_on = reversed_on or today
    with transaction.atomic():
        reversal = _decidable(reversal, approver)
        donation = Donation.objects.select_for_update().get(pk=reversal.donation_id)
        _not_future(reversed_on, "reversed_on", f"reversal of donation {donation.bank_reference}")
        if reversed_on < donation.value_date:
            raise InvalidDonation(f"reversal of donation {donation.bank_reference}: reversed on {reversed_on}, before "
                                  f"it was received on {donation.value_date}", field="reversed_on")
        transfer_id = reversal_transfer_id_for(donation.bank_reference)
        income = chart.DONATIONS_RESTRICTED if donation.restricted else chart.DONATIONS_UNRESTRICTED
        transfer = transfers_create(specs=[TransferSpec(
            id=transfer_id, debit=income, credit=chart.BANK, amount=donation.amount_won, value_date=reversed_on,
            description=f"donation reversal {donation.bank_reference}", journal=transfer_id,
        )], user=approver)[0]
        receipt = DonationReceipt.objects.filter(donation=donation).first()
        cancelled = None
        if receipt is not None:
            cancelled = ReceiptCancellation.objects.create(receipt=receipt, reversal=reversal, reason=reversal.reason,
                                                           cancelled_on=reversed_on, cancelled_by=approver)
        reversal.state = ReversalState.APPROVED
        reversal.decided_by = approver
        reversal.decided_at = timezone.now()
        reversal.reversed_on = reversed_on
        reversal.transfer = transfer
        reversal.save(update_fields=["state", "decided_by", "decided_at", "reversed_on", "transfer"])
        audit_record(actor=approver, action="donations.reversal_approve", entity=reversal,
                     old={"state": ReversalState.PROPOSED},
                     new={"state": ReversalState.APPROVED, "transfer": transfer.pk, "reversed_on": reversed_on,
                          "amount_won": donation.amount_won,
                          "receipt_cancelled": cancelled.receipt.number if cancelled else None})
    return reversal


def donation_reversal_reject(*, reversal: DonationReversal, approver: Actor, note: str) -> DonationReversal:
    """Reject a proposed reversal (an approver who did not propose it, with a note); nothing is booked
    and the donation stands. A new reversal may be proposed afterwards."""
    permission_require(approver, "approve_donation_reversal")
    note = _reason(note, "note")
    with transaction.atomic():
        reversal = _decidable(reversal, approver)
        reversal.state = ReversalState.REJECTED
        reversal.decided_by = approver
        reversal.decided_at = timezone.now()
        reversal.decision_note = note
        reversal.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
        audit_record(actor=approver, action="donations.reversal_reject", entity=reversal,
                     old={"state": ReversalState.PROPOSED}, new={"state": ReversalState.REJECTED, "note": note})
    return reversal
