"""Writes of the donations side: donors, pledges, donations received, donation receipts.

- A donation received is booked once: Dr bank (1000) / Cr restricted (4000) or unrestricted
  (4100) donations income, in won, as one ledger transfer whose id is derived from the bank
  reference (``donation:<reference>``). The bank reference is the idempotency key: importing
  the same statement again posts nothing twice; the same reference with other content is an
  error.
- An import is all-or-nothing: every row is checked first and all bad rows are reported
  (row, field, rule); the donations of one file are booked in one ledger journal.
- A donation is applied to the donor's oldest open pledge with the same restriction.
- Donation receipts (기부금 영수증) take the next number of the donation year's series under a
  lock on that year's counter; a failure rolls the counter back with the receipt, so the
  series has no gaps and a number is never given twice.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from baesang.core.errors import DomainError, InputError, ValidationFailed
from baesang.core.permissions import Actor, permission_require
from baesang.core.services import audit_record
from baesang.donations import rules
from baesang.donations.importer import DonationLine, bad_row, donations_check, summary
from baesang.donations.models import Donation, DonationReceipt, Donor, DonorKind, Pledge, ReceiptCounter
from baesang.ledger import accounts as chart
from baesang.ledger.services import TransferSpec, transfers_create


class DonationsError(DomainError):
    code = "donations_error"


class DonorExists(DonationsError):
    code = "donor_exists"


class InvalidDonation(DonationsError, InputError):
    code = "invalid_donation"


class ReceiptError(DonationsError):
    code = "receipt_error"


@dataclass(frozen=True)
class ImportResult:
    booked: int
    already_imported: int
    total_won: int
    journal: str


def transfer_id_for(reference: str) -> str:
    """The ledger transfer id of the donation with this bank reference (the idempotency key)."""
    return f"donation:{reference}"


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


def donations_import(*, data: bytes | str, user: Actor | None = None, source: str = "the file") -> ImportResult:
    """Import a bank-statement CSV: all rows or none; rows imported before are skipped."""
    permission_require(user, "record_donation")
    lines, errors = donations_check(data=data, source=source)
    return _book(lines, user=user, source=source, errors=errors)


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
    line = DonationLine(row=1, value_date=value_date, donor=donor.name, country=donor.country, brn=donor.brn,
                        kind=donor.kind, public=donor.may_be_named_publicly, currency=currency, amount=original,
                        rate=exchange, amount_won=won, reference=reference, restricted=restricted)
    _book([line], user=user, source=f"donation {reference}")
    return Donation.objects.get(bank_reference=reference)


def _same(line: DonationLine, donation: Donation) -> bool:
    donor = donation.donor
    donor_key = ("brn", donor.brn) if donor.brn else ("name", donor.name, donor.country)
    return (donation.value_date, donation.currency, donation.original_amount, donation.rate, donation.restricted,
            donor_key) == (line.value_date, line.currency, line.amount, line.rate, line.restricted, line.donor_key)


def _book(lines: Sequence[DonationLine], *, user, source: str, errors: Sequence | None = None) -> ImportResult:
    """Book the valid lines, after checking their bank references against earlier imports; any error
    (``errors`` from parsing, or a reference reused with other content) rejects everything."""
    errors = list(errors or [])
    with transaction.atomic():
        chart.chart_ensure(user=user)
        existing = {d.bank_reference: d for d in
                    Donation.objects.select_related("donor").filter(bank_reference__in=[x.reference for x in lines])}
        new_lines = []
        for line in lines:
            donation = existing.get(line.reference)
            if donation is None:
                new_lines.append(line)
            elif not _same(line, donation):
                errors.append(bad_row(line.row, "reference", f"bank reference {line.reference!r} was imported before "
                                                             f"with other content (donation {donation.pk}); a bank "
                                                             f"reference is never reused"))
        if errors:
            errors.sort(key=lambda e: e.row or 0)
            raise ValidationFailed(errors, summary=summary(errors, source))
        if not new_lines:
            return ImportResult(booked=0, already_imported=len(lines), total_won=0, journal="")

        donors = _donors_for(new_lines, user=user)
        pledges = _open_pledges([d.pk for d in donors.values()])
        digest = hashlib.sha256("\n".join(sorted(x.reference for x in new_lines)).encode()).hexdigest()
        journal = f"donations:{digest[:32]}"
        transfers = transfers_create(specs=[
            TransferSpec(
                id=transfer_id_for(x.reference), debit=chart.BANK,
                credit=chart.DONATIONS_RESTRICTED if x.restricted else chart.DONATIONS_UNRESTRICTED,
                amount=x.amount_won, value_date=x.value_date, description=f"donation {x.reference}", journal=journal,
            ) for x in new_lines
        ], user=user)
        created_by = _user(user)
        donations = []
        for line, transfer in zip(new_lines, transfers, strict=True):
            donor = donors[line.donor_key]
            donations.append(Donation(
                donor=donor, pledge=_apply_to_pledge(pledges[donor.pk], line), value_date=line.value_date,
                bank_reference=line.reference, currency=line.currency, original_amount=line.amount, rate=line.rate,
                amount_won=line.amount_won, restricted=line.restricted, transfer_id=transfer.pk, created_by=created_by,
            ))
        Donation.objects.bulk_create(donations, batch_size=2000)
        total = sum(x.amount_won for x in new_lines)
        audit_record(actor=user, action="donations.import", entity_type="donations.import",
                     entity_id=journal[:80], new={"source": source, "booked": len(new_lines),
                                                  "already_imported": len(lines) - len(new_lines),
                                                  "total_won": total, "journal": journal})
    return ImportResult(booked=len(new_lines), already_imported=len(lines) - len(new_lines), total_won=total,
                        journal=journal)


def _donors_for(lines: Sequence[DonationLine], *, user) -> dict[tuple, Donor]:
    """The donor of each line, found by registration number (else name and country) or created."""
    brns = {x.brn for x in lines if x.brn}
    names = {x.donor for x in lines if not x.brn}
    found: dict[tuple, Donor] = {}
    for donor in Donor.objects.filter(brn__in=brns):
        found[("brn", donor.brn)] = donor
    for donor in Donor.objects.filter(brn="", name__in=names):
        found[("name", donor.name, donor.country)] = donor
    for line in lines:
        if line.donor_key not in found:
            found[line.donor_key] = donor_create(name=line.donor, kind=line.kind, country=line.country,
                                                 brn=line.brn, may_be_named_publicly=line.public, user=user)
    return found


class _OpenPledge:
    __slots__ = ("pledge", "outstanding")

    def __init__(self, pledge: Pledge, outstanding: int) -> None:
        self.pledge, self.outstanding = pledge, outstanding


def _open_pledges(donor_ids: list[int]) -> dict[int, list[_OpenPledge]]:
    result: dict[int, list[_OpenPledge]] = defaultdict(list)
    pledges = Pledge.objects.select_for_update().filter(donor_id__in=donor_ids, withdrawn_on__isnull=True)
    received = dict(Donation.objects.filter(pledge__in=pledges).values_list("pledge").annotate(s=Sum("amount_won")))
    for pledge in pledges.order_by("pledged_on", "id"):
        outstanding = pledge.amount - received.get(pledge.pk, 0)
        if outstanding > 0:
            result[pledge.donor_id].append(_OpenPledge(pledge, outstanding))
    return result


def _apply_to_pledge(open_pledges: list[_OpenPledge], line: DonationLine) -> Pledge | None:
    for item in open_pledges:
        if item.outstanding > 0 and item.pledge.restricted == line.restricted \
                and item.pledge.pledged_on <= line.value_date:
            item.outstanding -= line.amount_won
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


def receipts_issue(*, year: int | None = None, donations: Sequence[Donation] | None = None,
                   issued_on: date | None = None, user: Actor | None = None) -> list[DonationReceipt]:
    """Issue receipts for the donations of ``year`` (or the given ones) that have none; numbers follow
    the order of value date, then record."""
    permission_require(user, "record_donation")
    issued_on = issued_on or timezone.localdate()
    with transaction.atomic():
        pending = Donation.objects.filter(receipt__isnull=True).select_related("donor")
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
        DonationReceipt.objects.bulk_create(receipts, batch_size=2000)
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
