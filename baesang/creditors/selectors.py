"""Reads of the creditors' portal."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Exists, OuterRef

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


def _judgments_before(as_of: date) -> dict[tuple[str, str], int]:
    """For the earliest-final order: per judgment with waiting claims (final date, case number),
    how many waiting claims come before its first in that order (the database's order of case
    numbers, as the waiting list's). One GROUP BY over the waiting claims per state version,
    kept in the figures cache (never stale)."""

    def count() -> dict:
        keys, before, total = [], [], 0
        for final_on, case_number, waiting in (
                _waiting_claims(as_of).values_list("judgment__final_on", "judgment__case_number")
                .annotate(n=Count("pk")).order_by("judgment__final_on", "judgment__case_number")):
            keys.append([final_on.isoformat(), case_number])
            before.append(total)
            total += waiting
        return {"keys": keys, "before": before}

    value = cached_figures("portal_judgments_before", as_of, count)
    return {(final_on, case_number): first
            for (final_on, case_number), first in zip(value["keys"], value["before"], strict=True)}


def waiting_places(*, claim_ids: set[int], as_of: date, policy: str | None = None) -> dict[int, tuple[int, int]]:
    """The place (rank, length) on the waiting list of each of ``claim_ids`` that waits: the
    order of :func:`baesang.cases.selectors.claims_waiting` (the configured policy), found from
    the holdings' states and the order keys alone, no amounts computed. Under the earliest-final
    policy (the default) a claim's rank is the waiting claims of the judgments before its own
    (:func:`_judgments_before`, counted once per state version) plus one COUNT within its
    judgment; under the oldest-living policy one COUNT of the waiting claims before its key in
    the waiting order (the keyset condition: a count that grows with the claim's rank). The
    length is one COUNT kept in the figures cache."""
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
    if policy == "earliest_final":
        # the judgments before the claim's from the kept counts; within its judgment one COUNT
        before = _judgments_before(as_of)
        for key in asked:
            first = before[(key["judgment__final_on"].isoformat(), key["judgment__case_number"])]
            ahead = waiting.filter(judgment__final_on=key["judgment__final_on"],
                                   judgment__case_number=key["judgment__case_number"]).filter(
                keyset_condition(("position", "pk"), [key["position"], key["pk"]], forward=False)).count()
            places[key["pk"]] = (first + ahead + 1, length)
        return places
    for key in asked:
        ahead = waiting.filter(keyset_condition(order, [key[column] for column in order], forward=False)).count()
        places[key["pk"]] = (ahead + 1, length)
    return places
