"""The review queue of probable duplicate persons and its decisions (docs/identity.md,
"Review queue"): read the open pairs with the matcher's explanation, decide a pair (same
person → merge, different → remembered), reverse a merge (administrators).

Persons appear by number and Hangul name only; personal data stays on the masked person page."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Field as F
from ninja import Query, Router, Schema

from baesang.api.auth import allowed
from baesang.api.routers.common import Id, page_out, record_or_404
from baesang.api.schemas import PAGING, Page, PageQuery, responses
from baesang.cases.merging import duplicate_pair_decide, open_pairs, persons_merge_reverse
from baesang.core.paging import keyset_page
from baesang.judgments.duplicates import DuplicatePair, PersonMerge

router = Router(tags=["probable duplicate persons"])


class PairOut(Schema):
    id: int
    left: int = F(alias="left_id", description="person number (the lower)")
    right: int = F(alias="right_id", description="person number (the higher)")
    left_name: str = F(alias="left.name_hangul")
    right_name: str = F(alias="right.name_hangul")
    probability: float
    match_weight: float = F(description="log2 Bayes factor, the sum of the explanation's weights")
    explanation: dict = F(description="match weight of each field and the prior (bits); rrn_index: 'absent' or "
                          "'differs' (compared by blind index only)")
    state: Literal["open", "same", "different"]
    found_at: datetime
    decided_at: datetime | None = None
    reason: str = ""


class DecisionIn(Schema):
    decision: Literal["same", "different"]
    reason: str = F(..., min_length=1, max_length=1000)
    keep: Id | None = F(None, description="for 'same': the person that stays (default the lower number)")


class MergeOut(Schema):
    id: int
    kept: int = F(alias="kept_id")
    merged: int = F(alias="merged_id")
    pair: int | None = F(None, alias="pair_id")
    moved: dict = F(description="ids of the rows that moved, by kind")
    merged_at: datetime
    reversed_at: datetime | None = None


class ReverseIn(Schema):
    reason: str = F(..., min_length=1, max_length=1000)


@router.get("/duplicates", response=responses(Page[PairOut]), auth=allowed("view_duplicates"),
            summary="Probable duplicate persons awaiting a decision, most probable first",
            description=PAGING + " No `count`.")
def duplicates(request, query: Query[PageQuery]):
    page = keyset_page(open_pairs(), name="duplicates", order=("-probability", "pk"), after=query.cursor,
                       limit=query.limit)
    return page_out(request, page)


@router.get("/duplicates/{pair_id}", response=responses(PairOut), auth=allowed("view_duplicates"),
            summary="One pair with its explanation and decision")
def duplicate(request, pair_id: int):
    return record_or_404(DuplicatePair, pair_id, "pair")


@router.post("/duplicates/{pair_id}/decision", response=responses(PairOut), auth=allowed("decide_duplicates"),
             summary="Decide a pair: same person (merge) or different persons (never proposed again)")
def duplicate_decide(request, pair_id: int, payload: DecisionIn):
    pair = record_or_404(DuplicatePair, pair_id, "pair")
    decided = duplicate_pair_decide(actor=request.auth, pair=pair, decision=payload.decision, reason=payload.reason,
                                    keep=payload.keep)
    return DuplicatePair.objects.select_related("left", "right").get(pk=decided.pk)


@router.post("/merges/{merge_id}/reverse", response=responses(MergeOut), auth=allowed("reverse_person_merge"),
             summary="Reverse a merge of two persons: the rows that moved go back")
def merge_reverse(request, merge_id: int, payload: ReverseIn):
    merge = record_or_404(PersonMerge, merge_id, "merge")
    return persons_merge_reverse(actor=request.auth, merge=merge, reason=payload.reason)
