"""Reads of the donations side: donations that stand (not reversed), what pledges still owe,
receipts of a year, pages of the donations and donors lists."""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet, Sum

from baesang.donations.models import Donation, DonationReceipt, Pledge, ReversalState
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
    return list(DonationReceipt.objects.filter(year=year).select_related("donor", "donation").order_by("serial"))


def fund_position(*, as_of: date | None = None) -> FundPosition:
    """The fund position of the ledger (:func:`baesang.ledger.selectors.fund_position`) with the
    donations pledged but not yet received."""
    return ledger_fund_position(as_of=as_of, pledged_not_received=pledged_not_received(as_of=as_of))
