"""Reads of the creditors' portal."""

from __future__ import annotations

from datetime import date

from django.db.models import Exists, OuterRef

from baesang.cases.models import ClaimHolding
from baesang.cases.selectors import (
    WAITING_STATES,
    cached_figures,
    waiting_keyset_order,
    waiting_order_annotate,
    waiting_policy,
)
from baesang.core.paging import keyset_condition
from baesang.judgments.models import Claim, ClaimSegment


def _waiting_claims(as_of: date):
    """The claims that wait on ``as_of`` as the portal counts them: a judgment final by then, interest
    started by then, and a current holder not yet settled (offered, accepted or still to be offered)."""
    return Claim.objects.filter(
        Exists(ClaimHolding.objects.filter(claim=OuterRef("pk"), superseded_at__isnull=True,
                                           state__in=WAITING_STATES)),
        Exists(ClaimSegment.objects.filter(claim=OuterRef("pk"), start__lte=as_of)),
        judgment__final_on__lte=as_of).order_by()


def waiting_length(*, as_of: date) -> int:
    """How many claims wait on ``as_of`` (:func:`waiting_places`' length): one COUNT, kept in the
    figures cache for the state version it was counted at (never stale)."""
    return cached_figures("portal_waiting_length", as_of,
                          lambda: {"claims": _waiting_claims(as_of).count()})["claims"]


def waiting_places(*, claim_ids: set[int], as_of: date, policy: str | None = None) -> dict[int, tuple[int, int]]:
    """The place (rank, length) on the waiting list of each of ``claim_ids`` that waits: the
    order of :func:`baesang.cases.selectors.claims_waiting` (the configured policy), found from
    the holdings' states and the order keys alone, no amounts computed. A claim's rank is one
    COUNT of the waiting claims before its key in the waiting order (the keyset condition, which
    the waiting order's index answers: migration judgments 0009), the length one COUNT kept in
    the figures cache — a creditor's page costs a few queries however long the list is."""
    if not claim_ids:
        return {}
    policy = policy or waiting_policy()
    order = waiting_keyset_order(policy)
    waiting = waiting_order_annotate(_waiting_claims(as_of), policy)
    asked = list(waiting.filter(pk__in=sorted(claim_ids)).values(*order))
    if not asked:
        return {}
    length = waiting_length(as_of=as_of)
    places = {}
    for key in asked:
        ahead = waiting.filter(keyset_condition(order, [key[column] for column in order], forward=False)).count()
        places[key["pk"]] = (ahead + 1, length)
    return places
