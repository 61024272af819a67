"""Reads of the creditors' portal."""

from __future__ import annotations

from datetime import date

from baesang.cases.selectors import WAITING_STATES, waiting_order_by, waiting_policy
from baesang.judgments.models import Claim


def waiting_places(*, claim_ids: set[int], as_of: date, policy: str | None = None) -> dict[int, tuple[int, int]]:
    """The place (rank, length) on the waiting list of each of ``claim_ids`` that waits: the
    order of :func:`baesang.cases.selectors.claims_waiting` (the configured policy), found from
    the holdings' states and the order keys alone — one query of claim ids, no amounts computed,
    so a creditor's page does not compute every claim's interest."""
    if not claim_ids:
        return {}
    ordered = list(Claim.objects.filter(judgment__final_on__lte=as_of, segments__start__lte=as_of,
                                        holdings__superseded_at__isnull=True, holdings__state__in=WAITING_STATES)
                   .order_by(*waiting_order_by(policy or waiting_policy()), "pk").values_list("pk", flat=True)
                   .distinct())
    places = {pk: index for index, pk in enumerate(ordered, 1)}
    return {pk: (places[pk], len(ordered)) for pk in claim_ids if pk in places}
