"""Reads of the donations side: donations that stand (not reversed), what pledges still owe,
receipts of a year, pages of the donations and donors lists."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, QuerySet, Sum

from baesang.core.paging import PAGE_DEFAULT, KeysetPage, keyset_page
from baesang.donations.models import Donation, DonationReceipt, DonationReversal, Donor, Pledge, ReversalState
from baesang.ledger.selectors import FundPosition
from baesang.ledger.selectors import fund_position as ledger_fund_position


def donations_standing() -> QuerySet[Donation]:
    """The donations that stand: every donation received except those whose reversal was approved.
    Totals of money received (public figures, pledges, receipts) count only these."""
    return Donation.objects.exclude(reversals__state=ReversalState.APPROVED)


def pledge_outstanding(*, pledge: Pledge, as_of: date | None = None) -> int:
    """Pledged but not received: the pledge less the donations applied to it (never below zero)."""
    received = donations_standing().filter(pledge=pledge)
    if as_of is not None:
        received = received.filter(value_date__lte=as_of)
    return max(0, pledge.amount - (received.aggregate(s=Sum("amount_won"))["s"] or 0))


def pledged_not_received(*, as_of: date | None = None) -> int:
    """Sum over the pledges open on ``as_of`` (made, not withdrawn) of what they still owe."""
    pledges = Pledge.objects.all()
    donations = donations_standing().filter(pledge__isnull=False)
    if as_of is not None:
        pledges = pledges.filter(pledged_on__lte=as_of).filter(Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=as_of))
        donations = donations.filter(value_date__lte=as_of)
    else:
        pledges = pledges.filter(withdrawn_on__isnull=True)
    received = dict(donations.order_by().values_list("pledge").annotate(s=Sum("amount_won")))
    return sum(max(0, amount - received.get(pk, 0)) for pk, amount in pledges.values_list("pk", "amount"))


def receipts_of_year(*, year: int) -> list[DonationReceipt]:
    """The receipts of ``year`` in number order, cancelled ones included (``receipt.cancellation``)."""
    return list(DonationReceipt.objects.filter(year=year).select_related("donor", "donation", "cancellation")
                .order_by("serial"))


def fund_position(*, as_of: date | None = None) -> FundPosition:
    """The fund position of the ledger (:func:`baesang.ledger.selectors.fund_position`) with the
    donations pledged but not yet received."""
    return ledger_fund_position(as_of=as_of, pledged_not_received=pledged_not_received(as_of=as_of))


# ---------------------------------------------------------------- lists, search and export

#: The most donors a name or registration-number search returns.
DONOR_MATCHES = 20
_DIGITS = re.compile(r"[\s-]")


def _approved_reversal() -> Exists:
    return Exists(DonationReversal.objects.filter(donation=OuterRef("pk"), state=ReversalState.APPROVED))


def donations_list(*, donor_search: str = "", year: int | None = None) -> QuerySet[Donation]:
    """Donations received, newest first (value date, then record), with donor, receipt and whether
    reversed (``is_reversed``); ``donor_search`` keeps those whose donor's name contains it or whose
    registration number starts with its digits."""
    donations = (Donation.objects.select_related("donor", "receipt", "receipt__cancellation")
                 .annotate(is_reversed=_approved_reversal()).order_by("-value_date", "-pk"))
    if donor_search.strip():
        donations = donations.filter(donor__in=donors_search(text=donor_search, limit=None))
    if year is not None:
        donations = donations.filter(value_date__year=year)
    return donations


def donors_search(*, text: str, limit: int | None = DONOR_MATCHES) -> QuerySet[Donor]:
    """Donors whose name contains ``text`` or whose registration number starts with its digits
    (dashes and spaces ignored), by name."""
    text = text.strip()
    digits = _DIGITS.sub("", text)
    condition = Q(name__icontains=text)
    if digits.isdigit():
        condition |= Q(brn__startswith=digits)
    donors = Donor.objects.filter(condition).order_by("name", "pk")
    return donors[:limit] if limit is not None else donors


def donor_by_name_or_brn(*, text: str) -> list[Donor]:
    """The donors ``text`` names exactly: the one with that registration number, else those with
    that name (two or more when the name is shared across countries)."""
    text = text.strip()
    digits = _DIGITS.sub("", text)
    if len(digits) == 10 and digits.isdigit():
        return list(Donor.objects.filter(brn=digits))
    return list(Donor.objects.filter(name=text).order_by("country", "pk")[:DONOR_MATCHES])


def donors_page(*, cursor: str | None = None, before: str | None = None, limit: int = PAGE_DEFAULT,
                search: str = "") -> tuple[KeysetPage, int]:
    """One page of donors in the order registered (keyset on id, :mod:`baesang.core.paging`) and
    the count of all that match (one indexed count: donors are thousands, not millions)."""
    donors = donors_search(text=search, limit=None) if search.strip() else Donor.objects.all()
    page = keyset_page(donors, name="donors", order=("pk",), after=cursor, before=before, limit=limit)
    return page, donors.order_by().count()


def donations_page(*, cursor: str | None = None, before: str | None = None, limit: int = PAGE_DEFAULT,
                   year: int | None = None, donor: int | None = None, donor_search: str = "",
                   newest_first: bool = False) -> tuple[KeysetPage, int]:
    """One page of donations in the order recorded, or with ``newest_first`` by value date newest
    first (keyset, :mod:`baesang.core.paging`), and the count of all that match."""
    donations = donations_list(donor_search=donor_search, year=year)
    if donor is not None:
        donations = donations.filter(donor_id=donor)
    order = ("-value_date", "-pk") if newest_first else ("pk",)
    page = keyset_page(donations, name="donations", order=order, after=cursor, before=before, limit=limit)
    return page, donations.order_by().count()


def _reversals(state: str | None):
    reversals = DonationReversal.objects.select_related("donation", "proposed_by", "decided_by")
    return reversals.filter(state=state) if state else reversals


def reversals_list(*, state: str | None = None) -> list[DonationReversal]:
    return list(_reversals(state).order_by("-proposed_at", "-pk"))


def reversals_page(*, state: str | None = None, cursor: str | None = None, before: str | None = None,
                   limit: int = PAGE_DEFAULT) -> KeysetPage:
    """One page of :func:`reversals_list`, newest first (keyset)."""
    return keyset_page(_reversals(state), name=f"reversals:{state or ''}", order=("-proposed_at", "-pk"),
                       after=cursor, before=before, limit=limit)


@dataclass(frozen=True)
class DonationRow:
    """One donation as exported (a spreadsheet row)."""

    value_date: date
    donor: str
    country: str
    brn: str
    bank_reference: str
    currency: str
    original_amount: Decimal
    rate: Decimal
    amount_won: int
    restricted: bool
    receipt: str
    reversed: bool


def donations_for_export(*, donor_search: str = "", year: int | None = None) -> Iterator[DonationRow]:
    """The donations of :func:`donations_list`, read in chunks, as rows to export."""
    donations = donations_list(donor_search=donor_search, year=year)
    for donation in donations.iterator(chunk_size=2000):
        receipt = getattr(donation, "receipt", None)
        yield DonationRow(
            value_date=donation.value_date, donor=donation.donor.name, country=donation.donor.country,
            brn=donation.donor.brn, bank_reference=donation.bank_reference, currency=donation.currency,
            original_amount=donation.original_amount, rate=donation.rate, amount_won=donation.amount_won,
            restricted=donation.restricted, receipt=receipt.number if receipt else "", reversed=donation.is_reversed)
