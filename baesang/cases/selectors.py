"""Reads of the case work: what is owed and to whom, the waiting list, the fund report,
claim details with their calculation sheet, payment batches, limitation (docs/workflow.md).

- *Point in time*: every read for a date gives what the foundation would have reported that
  day, from the dates on which events took effect (a judgment's final date, a holding's
  ``valid_from``, offer and answer dates, payment value dates, deposit decisions), never the
  times rows were written (:func:`holdings_on`). Claims of judgments not final by the date are
  left out of the lists and reports (a judgment binds once final).
- *Outstanding* on a date: the parts (apportioned to the won among all holders valid then) of
  the holders not settled by that date — settled means paid by a batch line whose bank answer
  came by then, or a court deposit standing accepted then (the interest engine's
  :meth:`Deposit.state_on`; interest stopped from the filing day, the amount fixed at filing,
  Arts. 487-489). Refusers stay owed: their part is outstanding but they are not waiting.
- *Waiting*: holders with no answer yet, offered, or accepted and not yet paid — the
  creditors the fund has not reached. Per waiting claim: the amount due and the interest
  accruing per day (the cost of one more day of waiting: share × principal × rate /
  365 or 366, from the interest engine).
- Waiting order (policy, ``BAESANG_WAITING_POLICY``): ``earliest_final`` (default: earliest
  final judgment first, then case number and plaintiff number) or ``oldest_living`` (living
  victims by birth date, oldest first; then the others by earliest final judgment).
- Money figures of the fund report come from the ledger (so they reconcile with it; reserved
  on a date: ``baesang.ledger.selectors``); claim counts are by the claims' states on the date.
- Limitation: ten years from final for a judgment claim (Civil Code Art. 165(1)), from the
  payment for an indemnity claim (Art. 162(1)), moved by the interruptions recorded
  (Arts. 168-178), computed by :mod:`baesang.calc.limitation`.
"""

from __future__ import annotations

import hashlib
import heapq
import json
import os
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from fractions import Fraction
from itertools import islice
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Case, Count, DateField, F, IntegerField, Q, Sum, Value, When
from django.utils import timezone

from baesang.calc.interest import BASIS_LABELS, AmountDue, Deposit, JudgmentOrder, Payment, Segment, round_won
from baesang.calc.limitation import INDEMNITY as INDEMNITY_CLAIM
from baesang.calc.limitation import JUDGMENT as JUDGMENT_CLAIM
from baesang.calc.limitation import Limitation, explain_limitation
from baesang.calc.limitation import LimitationEvent as LimitationEngineEvent
from baesang.cases.holdings import accounts_changed_recently, claim_state_of, holder_parts
from baesang.cases.models import (
    BatchLine,
    ClaimHolding,
    CourtDeposit,
    FiguresCache,
    IndemnityClaim,
    LimitationEvent,
    Offer,
    PaymentBatch,
)
from baesang.core.models import AuditEvent
from baesang.core.paging import PAGE_DEFAULT, KeysetPage, keyset_condition, keyset_page
from baesang.donations.selectors import fund_position
from baesang.judgments.models import Claim, ClaimSegment, Person
from baesang.judgments.orders import (
    OrderMemo,
    claim_amount_due,
    claim_basis,
    rounding_policy,
)
from baesang.judgments.setwise import ids_in
from baesang.ledger import accounts
from baesang.ledger.errors import AccountNotFound
from baesang.ledger.models import LedgerHead
from baesang.ledger.selectors import account_balance, trial_balance, trial_balance_version

POLICIES = ("earliest_final", "oldest_living")
WAITING_STATES = (ClaimHolding.PENDING, ClaimHolding.OFFERED, ClaimHolding.ACCEPTED)
CHUNK = 5000


class UnknownPolicy(ValueError):
    pass


@dataclass
class HolderFigure:
    holding_id: int
    person_id: int
    name: str
    share: Fraction
    state: str
    principal: int = 0
    interest: int = 0
    settled: bool = False

    @property
    def amount(self) -> int:
        return self.principal + self.interest


@dataclass
class ClaimFigure:
    """A claim's figures on a date: the claim's total due and each current holder's part."""

    claim: Claim
    as_of: date
    total_due: int
    interest_due: int
    per_day: Fraction
    holders: list[HolderFigure] = field(default_factory=list)

    @property
    def outstanding(self) -> int:
        return sum(h.amount for h in self.holders if not h.settled)

    @property
    def waiting(self) -> int:
        return sum(h.amount for h in self.holders if not h.settled and h.state in WAITING_STATES)

    @property
    def waiting_share(self) -> Fraction:
        return sum((h.share for h in self.holders if not h.settled and h.state in WAITING_STATES), Fraction(0))

    @property
    def waiting_per_day(self) -> Fraction:
        return self.per_day * self.waiting_share


@dataclass(frozen=True)
class HoldingOnDate:
    """A holding as it stood on a date: valid then (``valid_from`` on or before it and not yet
    replaced by a holder change valid on or before it), with its state on that date derived from
    the dated events (offers and answers, payment value dates, deposit filings and decisions)."""

    holding_id: int
    claim_id: int
    person_id: int
    name: str
    share: Fraction
    state: str
    basis: str
    settled_how: str | None = None
    settled_on: date | None = None
    settled_principal: int = 0
    settled_interest: int = 0


def court_deposit_event(deposit: CourtDeposit, as_of: date) -> Deposit:
    """A stored court deposit as an event of the interest engine (Arts. 487-489), as it was
    known on ``as_of``: its filing day, the amount computed at filing (never moved by a later
    decision) and its outcome with the date of the decision. A deposit returned to the
    foundation (회수) is withdrawn: deemed never made (Art. 489(1)); refused and objection
    dismissed are refused (불수리)."""
    return _deposit_known(deposit.filed_on, deposit.amount, deposit.state, deposit.decided_on, deposit.accepted_on,
                          deposit.pk, as_of)


def _deposit_known(filed_on: date, amount: int, state: str, decided_on: date | None, accepted_on: date | None,
                   pk: int, as_of: date) -> Deposit:
    """The deposit as known on ``as_of``: a decision dated later was not known then (a deposit
    returned later stood accepted from its acceptance until its return)."""
    if state == CourtDeposit.RETURNED and decided_on is not None and decided_on > as_of:
        state, decided_on = CourtDeposit.ACCEPTED, accepted_on
    if decided_on is not None and decided_on > as_of:
        state, decided_on = CourtDeposit.FILED, None
    return _deposit_event(filed_on, amount, state, decided_on, pk)


def _deposit_event(filed_on: date, amount: int, state: str, decided_on: date | None, pk: int) -> Deposit:
    if state == CourtDeposit.ACCEPTED:
        outcome = "accepted"
    elif state in (CourtDeposit.REFUSED, CourtDeposit.OBJECTION_FILED, CourtDeposit.OBJECTION_DISMISSED):
        outcome = "refused"
    elif state == CourtDeposit.RETURNED:
        outcome = "withdrawn"
    else:
        outcome = "pending"
    return Deposit(filed_on=filed_on, amount=amount, outcome=outcome, decided_on=decided_on,
                   reference=f"court deposit {pk}")


def _offer_state_on(offers: list[tuple], as_of: date) -> str | None:
    """The holding's state on ``as_of`` from its offers (offered_on, state, answered_on,
    revoked_on), the latest offer made on or before that day deciding; None without one."""
    state = None
    for offered_on, offer_state, answered_on, revoked_on in offers:
        if offered_on > as_of:
            break
        answered = answered_on is not None and answered_on <= as_of
        if not answered:
            state = ClaimHolding.OFFERED
        elif offer_state == Offer.ACCEPTED:
            revoked = revoked_on is not None and revoked_on <= as_of
            state = ClaimHolding.PENDING if revoked else ClaimHolding.ACCEPTED
        elif offer_state == Offer.REFUSED:
            state = ClaimHolding.REFUSED
        elif offer_state == Offer.WITHDRAWN:
            state = ClaimHolding.REFUSED if state == ClaimHolding.REFUSED else ClaimHolding.PENDING
    return state


def holdings_on(claim_ids: list[int], as_of: date) -> dict[int, list[HoldingOnDate]]:
    """Per claim, the holdings valid on ``as_of`` with their state on that day (point in time:
    effect dates as the rows record them, never the time rows were written — see
    docs/workflow.md "Point in time").

    - valid: ``valid_from`` on or before ``as_of``, and not replaced by a holder change whose
      ``valid_from`` is on or before ``as_of``;
    - paid: a paid payment line with a value date (``resolved_on``) on or before ``as_of``;
    - deposited: a court deposit standing accepted on ``as_of`` (the engine's
      :meth:`Deposit.state_on`: accepted from its decision, withdrawn from its return);
    - otherwise the latest offer made by then: offered until answered, accepted (pending again
      from a revocation of the consent), refused; a filed deposit leaves the holder refused;
    - no offer by then: pending; a holding never offered keeps its recorded state (a state
      recorded without its dated event, e.g. imported; paid and deposited aside).
    """
    result: dict[int, list[HoldingOnDate]] = defaultdict(list)
    rows = []
    for start in range(0, len(claim_ids), CHUNK):
        chunk = claim_ids[start:start + CHUNK]
        for row in ClaimHolding.objects.filter(claim_id__in=chunk, valid_from__lte=as_of).values_list(
                "pk", "claim_id", "holder_id", "holder__name_hangul", "share_numerator", "share_denominator",
                "state", "superseded_by__valid_from", "change__basis").order_by("pk"):
            if row[7] is None or row[7] > as_of:
                rows.append(row)
    ids = [row[0] for row in rows]
    paid: dict[int, tuple] = {}
    deposits: dict[int, list[Deposit]] = defaultdict(list)
    deposit_rows: dict[int, list[tuple]] = defaultdict(list)
    offers: dict[int, list[tuple]] = defaultdict(list)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        for holding_id, resolved_on, principal, interest in BatchLine.objects.filter(
                holding_id__in=chunk, state=BatchLine.PAID, resolved_on__lte=as_of).values_list(
                "holding_id", "resolved_on", "principal_part", "interest_part").order_by("resolved_on", "pk"):
            paid.setdefault(holding_id, (resolved_on, principal, interest))
        for pk, holding_id, filed_on, amount, principal, interest, state, decided_on, accepted_on in \
                CourtDeposit.objects.filter(holding_id__in=chunk, filed_on__lte=as_of).values_list(
                    "pk", "holding_id", "filed_on", "amount", "principal_part", "interest_part", "state",
                    "decided_on", "accepted_on").order_by("filed_on", "pk"):
            event = _deposit_known(filed_on, amount, state, decided_on, accepted_on, pk, as_of)
            deposits[holding_id].append(event)
            deposit_rows[holding_id].append((event, principal, interest))
        for holding_id, offered_on, state, answered_on, revoked_at in Offer.objects.filter(
                holding_id__in=chunk).values_list(
                "holding_id", "offered_on", "state", "answered_on", "consent__revoked_at").order_by(
                "offered_on", "pk"):
            revoked_on = timezone.localdate(revoked_at) if revoked_at is not None else None
            offers[holding_id].append((offered_on, state, answered_on, revoked_on))
    for pk, claim_id, person_id, name, num, den, stored, _replaced, basis in rows:
        figure = HoldingOnDate(holding_id=pk, claim_id=claim_id, person_id=person_id, name=name,
                               share=Fraction(num, den), state=stored, basis=basis)
        if pk in paid:
            resolved_on, principal, interest = paid[pk]
            result[claim_id].append(replace(figure, state=ClaimHolding.PAID, settled_how=ClaimHolding.PAID,
                                            settled_on=resolved_on, settled_principal=principal,
                                            settled_interest=interest))
            continue
        standing = [(event, principal, interest) for event, principal, interest in deposit_rows.get(pk, ())
                    if event.state_on(as_of) == "accepted"]
        if standing:
            event, principal, interest = standing[-1]
            result[claim_id].append(replace(figure, state=ClaimHolding.DEPOSITED,
                                            settled_how=ClaimHolding.DEPOSITED, settled_on=event.filed_on,
                                            settled_principal=principal, settled_interest=interest))
            continue
        state = _offer_state_on(offers.get(pk, []), as_of)
        latest_offer = max((o[0] for o in offers.get(pk, []) if o[0] <= as_of), default=None)
        if any(latest_offer is None or d.filed_on >= latest_offer for d in deposits.get(pk, [])):
            # a deposit filed after the last offer: the holder refused (a new offer after a
            # refused or returned deposit decides again)
            state = ClaimHolding.REFUSED
        elif state is None and pk in offers:  # offered only after as_of
            state = ClaimHolding.PENDING
        if state is None:
            state = stored
            if stored == ClaimHolding.PAID:
                state = ClaimHolding.ACCEPTED
            elif stored == ClaimHolding.DEPOSITED:
                state = ClaimHolding.REFUSED
        result[claim_id].append(replace(figure, state=state))
    return result


def holding_events(holding_ids: list[int], as_of: date) -> dict[int, tuple[list[Payment], list[Deposit]]]:
    """Per holding, its payments and court deposits as events of the interest engine, as known
    on ``as_of``: a paid line whose bank answer (``resolved_on``) came by then, valued at its
    batch's payment date (the amount was computed to that day); every deposit filed by then,
    with the amount computed at filing and its outcome (:func:`court_deposit_event`)."""
    events: dict[int, tuple[list[Payment], list[Deposit]]] = defaultdict(lambda: ([], []))
    if not holding_ids:
        return events
    # The ids as one array parameter (judgments.setwise.ids_in): one query each, planned once.
    for pk, holding_id, payment_date, amount in BatchLine.objects.filter(
            ids_in("holding_id", holding_ids), state=BatchLine.PAID, resolved_on__lte=as_of).values_list(
            "pk", "holding_id", "batch__payment_date", "amount").order_by("batch__payment_date", "pk"):
        events[holding_id][0].append(Payment(on=payment_date, amount=amount, reference=f"payment line {pk}"))
    for pk, holding_id, filed_on, amount, state, decided_on, accepted_on in CourtDeposit.objects.filter(
            ids_in("holding_id", holding_ids), filed_on__lte=as_of).values_list(
            "pk", "holding_id", "filed_on", "amount", "state", "decided_on", "accepted_on").order_by(
            "filed_on", "pk"):
        events[holding_id][1].append(_deposit_known(filed_on, amount, state, decided_on, accepted_on, pk, as_of))
    return events


def _claims_final_by(query, as_of: date):
    """Claims of judgments final on or before ``as_of``: before that day the foundation had no
    claim to report (a judgment binds once final, Civil Procedure Act Art. 498)."""
    return query.filter(judgment__final_on__lte=as_of)


def claim_figures(*, claims: Iterable[Claim] | None = None, as_of: date, final_only: bool = True,
                  memo: OrderMemo | None = None) -> list[ClaimFigure]:
    """Figures of many claims on ``as_of`` as they stood that day, a few queries in all (claims
    before their interest starts on ``as_of`` are left out, and with ``final_only`` claims of
    judgments not final by then).

    Holders and their states are those of :func:`holdings_on`. A settled holder (paid, or a
    court deposit standing accepted) shows what was paid or deposited — the deposit's amount
    computed at its filing, which a later decision does not move (Art. 487; the deposit stops
    interest from its filing day); the others their part of the claim's amount due that day,
    apportioned among all holders valid then. ``memo`` (of ``as_of``) carries the engine's results
    from one call to the next (a walk a chunk at a time)."""
    query = Claim.objects.select_related("judgment", "victim").order_by("pk")
    if claims is not None:
        query = query.filter(pk__in=[c.pk for c in claims])
    if final_only:
        query = _claims_final_by(query, as_of)
    rows = {c.pk: c for c in query}
    figures = []
    for claim_id, due, per_day, holders in _claim_amounts(list(rows), as_of, memo or OrderMemo(as_of)):
        figures.append(ClaimFigure(claim=rows[claim_id], as_of=as_of, total_due=due.total, interest_due=due.interest,
                                   per_day=per_day, holders=holders))
    return figures


def _claim_amounts(ids: list[int], as_of: date, memo: OrderMemo, holdings_read: dict | None = None
                   ) -> Iterator[tuple[int, AmountDue, Fraction, list[HolderFigure]]]:
    """Per claim of ``ids`` (in that order) whose interest has started by ``as_of``: its amount
    due and interest per day (the engine once per distinct order, ``memo``; a claim's figure
    counts no payment or deposit — a settled holder shows what was settled), and its holders'
    figures (:func:`claim_figures`). Plain values, a few queries per :data:`CHUNK` claims."""
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        orders = {pk: (principal, method) for pk, principal, method in
                  Claim.objects.filter(ids_in("pk", chunk)).order_by().values_list("pk", "principal", "method")}
        segments: dict[int, list[Segment]] = defaultdict(list)
        for claim_id, seg_start, seg_end, rate in ClaimSegment.objects.filter(ids_in("claim_id", chunk)).order_by(
                "claim_id", "position").values_list("claim_id", "start", "end", "rate"):
            segments[claim_id].append(Segment(seg_start, seg_end, rate))
        holdings = holdings_on(chunk, as_of) if holdings_read is None else holdings_read
        for claim_id in chunk:
            own = segments.get(claim_id)
            if not own or own[0].start > as_of or claim_id not in orders:
                continue
            principal, method = orders[claim_id]
            order = JudgmentOrder(principal=int(principal), segments=tuple(own))
            due = memo.amount_due(order, method=method, sheet=False)
            shares = {h.holding_id: h.share for h in holdings[claim_id]}
            parts = holder_parts(due, shares) if shares else {}
            holders = []
            for holding in holdings[claim_id]:
                settled = holding.settled_how is not None
                holders.append(HolderFigure(
                    holding_id=holding.holding_id, person_id=holding.person_id, name=holding.name,
                    share=holding.share, state=holding.state, settled=settled,
                    principal=holding.settled_principal if settled else parts[holding.holding_id].principal,
                    interest=holding.settled_interest if settled else parts[holding.holding_id].interest))
            yield claim_id, due, memo.interest_per_day(order), holders


#: Claims read at a time by :func:`claims_summary` (ids from a server-side cursor).
SUMMARY_CHUNK = 5_000


@dataclass(frozen=True)
class ClaimsSummary:
    """The totals over every claim on a date: claims by state (as :func:`claims_by_state`), and
    the waiting list's count, amount due and interest per day (as :func:`claims_waiting`)."""

    as_of: date
    by_state: dict[str, int]
    waiting_claims: int
    waiting_due: int
    waiting_per_day: Fraction


def _final_claim_ids(as_of: date, chunk: int) -> Iterator[list[int]]:
    """The ids of the claims of judgments final by ``as_of``, ``chunk`` at a time, in id order
    (a server-side cursor on PostgreSQL: memory flat)."""
    keys = _claims_final_by(Claim.objects.order_by("pk"), as_of).values_list("pk", flat=True).iterator(
        chunk_size=chunk)
    while ids := list(islice(keys, chunk)):
        yield ids


def claims_summary(*, as_of: date, chunk: int = SUMMARY_CHUNK, watch: LimitationWatch | None = None
                   ) -> ClaimsSummary:
    """The totals of the dashboard, the fund report and the waiting list in one pass over the
    claims of judgments final by ``as_of``, ``chunk`` at a time (memory flat), the interest
    engine once per distinct judgment order (:class:`baesang.judgments.orders.OrderMemo`).
    With ``watch``, the same pass gathers the claims nearing their limitation (the dashboard's
    panel) — no second pass over the claims for it."""
    counts = {state: 0 for state, _ in Claim.STATE_CHOICES}
    memo = OrderMemo(as_of)
    waiting = due_total = 0
    per_day = Fraction(0)
    chunk = min(chunk, CHUNK)  # one chunk of _claim_amounts per chunk read
    for ids in _final_claim_ids(as_of, chunk):
        holdings = holdings_on(ids, as_of)
        for claim_id in ids:
            counts[claim_state_of(h.state for h in holdings.get(claim_id, ()))] += 1
        near = watch.near(ids) if watch is not None else {}
        for claim_id, _due, claim_per_day, holders in _claim_amounts(ids, as_of, memo, holdings):
            if claim_id in near:
                watch.see(claim_id, near[claim_id], holders)
            share = sum((h.share for h in holders if not h.settled and h.state in WAITING_STATES), Fraction(0))
            if share > 0:
                waiting += 1
                due_total += sum(h.amount for h in holders if not h.settled and h.state in WAITING_STATES)
                per_day += claim_per_day * share
    return ClaimsSummary(as_of=as_of, by_state=counts, waiting_claims=waiting, waiting_due=due_total,
                         waiting_per_day=per_day)


def _share_text(share: Fraction) -> str:
    return f"{share.numerator}/{share.denominator}"


# --------------------------------------------------------------------------- waiting list


@dataclass(frozen=True)
class WaitingClaim:
    rank: int
    claim_id: int
    case_number: str
    position: int
    victim_name: str
    victim_living: bool
    victim_birth_date: date | None
    final_on: date
    state: str
    amount_due: int
    interest_per_day: Fraction

    def as_json(self, rounding: str) -> dict:
        return {"rank": self.rank, "claim": self.claim_id, "case_number": self.case_number,
                "position": self.position, "victim_name": self.victim_name, "victim_living": self.victim_living,
                "final_on": self.final_on.isoformat(), "state": self.state, "amount_due": self.amount_due,
                "interest_per_day": round_won(self.interest_per_day, rounding),
                "interest_per_day_exact": _share_text(self.interest_per_day)}


@dataclass(frozen=True)
class WaitingList:
    as_of: date
    policy: str
    claims: list[WaitingClaim]
    total_due: int
    interest_per_day: Fraction

    def as_json(self) -> dict:
        rounding = rounding_policy()
        return {"as_of": self.as_of.isoformat(), "policy": self.policy, "total_due": self.total_due,
                "interest_per_day": round_won(self.interest_per_day, rounding),
                "interest_per_day_exact": _share_text(self.interest_per_day),
                "claims": [c.as_json(rounding) for c in self.claims]}


def _order_key(policy: str):
    def earliest_final(figure: ClaimFigure):
        claim = figure.claim
        return (claim.judgment.final_on, claim.judgment.case_number, claim.position)

    if policy == "earliest_final":
        return earliest_final

    def oldest_living(figure: ClaimFigure):
        victim = figure.claim.victim
        living = victim.death_date is None
        return (0 if living else 1, (victim.birth_date or date.max) if living else date.max,
                *earliest_final(figure))

    return oldest_living


def waiting_policy() -> str:
    """The configured waiting-list policy (``BAESANG_WAITING_POLICY``, default earliest_final)."""

    return getattr(settings, "BAESANG_WAITING_POLICY", "") or "earliest_final"


def waiting_order_by(policy: str) -> list:
    """The policy's order as ``order_by`` arguments for a queryset of claims (the same order as
    :func:`claims_waiting`), so a batch limited to N claims takes the first N waiting."""

    earliest_final = ["judgment__final_on", "judgment__case_number", "position"]
    if policy == "earliest_final":
        return earliest_final
    if policy != "oldest_living":
        raise UnknownPolicy(f"waiting-list policy {policy!r} is not one of {', '.join(POLICIES)}")
    living_first = Case(When(victim__death_date__isnull=True, then=Value(0)), default=Value(1),
                        output_field=IntegerField())
    living_birth = Case(When(victim__death_date__isnull=True, then=F("victim__birth_date")), default=None)
    return [living_first.asc(), living_birth.asc(nulls_last=True), *earliest_final]


def claims_waiting(*, as_of: date, policy: str | None = None) -> WaitingList:
    """The claims whose holders the fund has not yet reached, in the policy's order (default:
    the configured one), with per claim the amount due to the waiting holders and the
    interest accruing per day."""
    policy = policy or waiting_policy()
    if policy not in POLICIES:
        raise UnknownPolicy(f"waiting-list policy {policy!r} is not one of {', '.join(POLICIES)}")
    figures = [f for f in claim_figures(as_of=as_of) if f.waiting_share > 0]
    figures.sort(key=_order_key(policy))
    rows = [_waiting_claim(figure, rank=rank) for rank, figure in enumerate(figures, 1)]
    return WaitingList(as_of=as_of, policy=policy, claims=rows, total_due=sum(r.amount_due for r in rows),
                       interest_per_day=sum((r.interest_per_day for r in rows), Fraction(0)))


#: Claims read and computed at a time by :func:`claims_waiting_iter`.
WAITING_CHUNK = 2_000


def claims_waiting_iter(*, as_of: date, policy: str | None = None, chunk: int = WAITING_CHUNK
                        ) -> Iterator[WaitingClaim]:
    """The rows of :func:`claims_waiting` — same claims, order, ranks and figures — read by
    keyset on the waiting order (:func:`waiting_keyset_order`, no OFFSET) ``chunk`` claims at a
    time, their figures computed a chunk at a time with one :class:`OrderMemo` for the walk:
    memory stays flat whatever the length of the list (the exports, ``claims waiting``)."""
    rank = 0
    for figures in _waiting_chunks(as_of, policy, chunk):
        for figure in figures:
            rank += 1
            yield _waiting_claim(figure, rank=rank)


def waiting_orders_iter(*, as_of: date, policy: str | None = None, chunk: int = WAITING_CHUNK
                        ) -> Iterator[tuple[int, JudgmentOrder, str, Fraction]]:
    """Per claim of the waiting list, in its order (the walk of :func:`claims_waiting_iter`):
    its id, its judgment order, its method and the share of it still waiting — what the
    forecast takes. Equal orders are given as one object (claims of one judgment mostly share
    theirs), so a list of them holds each distinct order once."""
    interned: dict[JudgmentOrder, JudgmentOrder] = {}
    for figures in _waiting_chunks(as_of, policy, chunk):
        segments: dict[int, list[Segment]] = defaultdict(list)
        for claim_id, start, end, rate in ClaimSegment.objects.filter(
                ids_in("claim_id", [figure.claim.pk for figure in figures])).order_by(
                "claim_id", "position").values_list("claim_id", "start", "end", "rate"):
            segments[claim_id].append(Segment(start, end, rate))
        for figure in figures:
            claim = figure.claim
            order = JudgmentOrder(principal=int(claim.principal), segments=tuple(segments[claim.pk]))
            yield claim.pk, interned.setdefault(order, order), claim.method, figure.waiting_share


def _waiting_chunks(as_of: date, policy: str | None, chunk: int) -> Iterator[list[ClaimFigure]]:
    """The figures of the waiting list's claims in its order, a list per ``chunk`` claims read."""
    policy = policy or waiting_policy()
    if policy not in POLICIES:
        raise UnknownPolicy(f"waiting-list policy {policy!r} is not one of {', '.join(POLICIES)}")
    order = waiting_keyset_order(policy)
    query = _waiting_candidates(policy, as_of).order_by(*order)
    memo = OrderMemo(as_of)
    key: list | None = None
    while True:
        keys = list((query.filter(keyset_condition(order, key)) if key is not None else query).values_list(
            *order)[:chunk])
        if not keys:
            return
        ids = [row[-1] for row in keys]  # the order ends with the claim's id
        figures = {f.claim.pk: f for f in claim_figures(claims=[Claim(pk=pk) for pk in ids], as_of=as_of, memo=memo)}
        yield [figures[pk] for pk in ids if pk in figures and figures[pk].waiting_share > 0]
        if len(keys) < chunk:
            return
        key = list(keys[-1])


def waiting_keyset_order(policy: str) -> tuple[str, ...]:
    """The waiting order as keyset columns (names of :func:`_waiting_candidates`' annotations):
    the policy's order with the claim's id last, so that it is unique."""
    earliest_final = ("judgment__final_on", "judgment__case_number", "position", "pk")
    if policy == "earliest_final":
        return earliest_final
    return ("waiting_dead", "waiting_birth", *earliest_final)


def waiting_order_annotate(query, policy: str):
    """``query`` (claims) with the annotations :func:`waiting_keyset_order` names for ``policy``
    (oldest_living: ``waiting_dead`` 0 for a living victim, else 1; ``waiting_birth`` a living
    victim's birth date, else the last day — never NULL, as a keyset needs)."""
    if policy != "oldest_living":
        return query
    return query.annotate(
        waiting_dead=Case(When(victim__death_date__isnull=True, then=Value(0)), default=Value(1),
                          output_field=IntegerField()),
        waiting_birth=Case(When(victim__death_date__isnull=True, victim__birth_date__isnull=False,
                                then=F("victim__birth_date")), default=Value(date.max), output_field=DateField()))


def _waiting_candidates(policy: str, as_of: date):
    return waiting_order_annotate(
        _could_wait(_claims_final_by(Claim.objects.select_related("judgment", "victim"), as_of), as_of), policy)


def waiting_page(*, as_of: date, policy: str | None = None, cursor: str | None = None, before: str | None = None,
                 limit: int = PAGE_DEFAULT) -> KeysetPage:
    """One page of the waiting list (:func:`claims_waiting`, same order and rows, ranks from the
    walk) read by keyset: the figures are computed for the page's claims only, so page 10,000
    costs what page 1 costs (default policy; its order is indexed, migration
    judgments 0009). The list's totals are not on a page: they need every claim
    (:func:`claims_waiting`, the export, ``report fund``)."""
    policy = policy or waiting_policy()
    if policy not in POLICIES:
        raise UnknownPolicy(f"waiting-list policy {policy!r} is not one of {', '.join(POLICIES)}")

    def keep(claims: list[Claim]) -> list[tuple[Claim, WaitingClaim]]:
        return [(claim, _waiting_claim(figure, rank=0)) for claim, figure in _figures_in_order(claims, as_of)
                if figure.waiting_share > 0]

    page = keyset_page(_waiting_candidates(policy, as_of), name=f"waiting:{policy}:{as_of.isoformat()}",
                       order=waiting_keyset_order(policy), after=cursor, before=before, limit=limit, keep=keep)
    ranked = [replace(row, rank=page.first_position + i) for i, row in enumerate(page.items)]
    return replace(page, items=ranked)


#: Pages of the waiting list each process keeps, per state version (below).
WAITING_PAGES_KEPT = 64
_waiting_pages: dict[tuple, KeysetPage] = {}
_waiting_pages_lock = threading.Lock()


def waiting_page_kept(*, as_of: date, policy: str | None = None, cursor: str | None = None,
                      before: str | None = None, limit: int = PAGE_DEFAULT) -> KeysetPage:
    """:func:`waiting_page`, kept for the state version it was read at (:func:`_figures_version`,
    as the figures cache is) — in the figures cache for every process, and in each process's
    memory: every staff member opening page 1 of the waiting list between two changes is served
    the page computed for the first, and any change of the case work, the ledger or the claims
    (a new version) makes the next reader compute it again — never a stale page. At most
    :data:`WAITING_PAGES_KEPT` pages in a process's memory, the oldest dropped; the cache's
    pages of earlier versions are removed when a page of a new one is stored.
    On PostgreSQL only (its ids are never handed out twice, so a version names one state; SQLite
    reuses the ids of rolled-back rows) and only when no other transaction was writing as the
    version was read (``settled``)."""
    policy = policy or waiting_policy()
    if connection.vendor != "postgresql":
        return waiting_page(as_of=as_of, policy=policy, cursor=cursor, before=before, limit=limit)
    version, settled = _figures_version()
    key = (connection.settings_dict["NAME"], version, as_of, policy, rounding_policy(), cursor, before, limit)
    with _waiting_pages_lock:
        page = _waiting_pages.get(key)
    if page is not None:
        return page
    # another process may have computed it: the figures cache holds it for every process
    shared_key = _waiting_page_shared_key(version, as_of, policy, cursor, before, limit)
    found = FiguresCache.objects.filter(key=shared_key).values_list("value", flat=True).first()
    if found is not None:
        page = _waiting_page_from_json(json.loads(found))
    else:
        page = waiting_page(as_of=as_of, policy=policy, cursor=cursor, before=before, limit=limit)
        if settled:
            _shared_store(shared_key, _waiting_page_json(page), stale=FiguresCache.objects.filter(
                key__startswith=WAITING_PAGE_PREFIX).exclude(key__startswith=f"{WAITING_PAGE_PREFIX}{version}:"))
    if settled:
        with _waiting_pages_lock:
            _waiting_pages[key] = page
            while len(_waiting_pages) > WAITING_PAGES_KEPT:
                del _waiting_pages[next(iter(_waiting_pages))]
    return page


#: The figures cache's entries of waiting pages: ``waiting_page:<version>:<hash of the page asked>``.
WAITING_PAGE_PREFIX = "waiting_page:"


def _waiting_page_shared_key(version: str, as_of: date, policy: str, cursor: str | None, before: str | None,
                             limit: int) -> str:
    asked = json.dumps([as_of.isoformat(), policy, rounding_policy(), cursor, before, limit, FIGURES_FORMAT])
    return f"{WAITING_PAGE_PREFIX}{version}:{hashlib.sha256(asked.encode()).hexdigest()[:40]}"


def _json_date(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _waiting_page_json(page: KeysetPage) -> dict:
    """A page of the waiting list as JSON, exactly (dates as ISO text, the interest per day as a
    fraction's text); its keys as the cursors write them (dates as ISO text)."""
    plain = [[value.isoformat() if isinstance(value, date) else value for value in key] if key is not None else None
             for key in (page.next_key, page.previous_key)]
    return {"items": [[r.rank, r.claim_id, r.case_number, r.position, r.victim_name, r.victim_living,
                       _json_date(r.victim_birth_date), r.final_on.isoformat(), r.state, r.amount_due,
                       str(r.interest_per_day)] for r in page.items],
            "name": page.name, "order": list(page.order), "next_key": plain[0], "previous_key": plain[1],
            "first_position": page.first_position, "limit": page.limit, "forward": page.forward}


def _waiting_page_from_json(data: dict) -> KeysetPage:
    items = [WaitingClaim(rank=rank, claim_id=claim_id, case_number=case_number, position=position,
                          victim_name=victim_name, victim_living=living,
                          victim_birth_date=date.fromisoformat(birth) if birth else None,
                          final_on=date.fromisoformat(final_on), state=state, amount_due=amount_due,
                          interest_per_day=Fraction(per_day))
             for rank, claim_id, case_number, position, victim_name, living, birth, final_on, state, amount_due, per_day
             in data["items"]]
    return KeysetPage(items=items, name=data["name"], order=tuple(data["order"]), next_key=data["next_key"],
                      previous_key=data["previous_key"], first_position=data["first_position"], limit=data["limit"],
                      forward=data["forward"])


def _waiting_claim(figure: ClaimFigure, *, rank: int) -> WaitingClaim:
    claim = figure.claim
    return WaitingClaim(
        rank=rank, claim_id=claim.pk, case_number=claim.judgment.case_number, position=claim.position,
        victim_name=claim.victim.name_hangul, victim_living=claim.victim.death_date is None,
        victim_birth_date=claim.victim.birth_date, final_on=claim.judgment.final_on,
        state=claim_state_of(h.state for h in figure.holders),
        amount_due=figure.waiting, interest_per_day=figure.waiting_per_day)


# --------------------------------------------------------------------------- claims


def claims_by_state(*, as_of: date | None = None) -> dict[str, int]:
    """How many claims are in each state: the recorded states, or with ``as_of`` the states on
    that day (claims of judgments final by then, their holders' states from :func:`holdings_on`)."""
    counts = {state: 0 for state, _ in Claim.STATE_CHOICES}
    if as_of is None:
        for state, count in Claim.objects.order_by().values_list("state").annotate(n=Count("pk")):
            counts[state] += count
        return counts
    ids = list(_claims_final_by(Claim.objects.order_by("pk"), as_of).values_list("pk", flat=True))
    holdings = holdings_on(ids, as_of)
    for claim_id in ids:
        counts[claim_state_of(h.state for h in holdings.get(claim_id, ()))] += 1
    return counts


def _claim_rows(figures: list[ClaimFigure], *, as_of: date, state: str | None,
                limitation_within_days: int | None) -> list[tuple[Claim, dict]]:
    limitations = claims_limitation(claim_ids=[f.claim.pk for f in figures], as_of=as_of)
    result = []
    for figure in figures:
        claim = figure.claim
        state_on = claim_state_of(h.state for h in figure.holders)
        if state and state_on != state:
            continue
        limitation = limitations[claim.pk]
        if limitation_within_days is not None and (
                limitation["days_left"] is None or limitation["days_left"] > limitation_within_days):
            continue
        result.append((claim, {
            "id": claim.pk, "case_number": claim.judgment.case_number, "victim_name": claim.victim.name_hangul,
            "state": state_on, "amount_due": figure.outstanding,
            "holders": [{"name": h.name, "share": _share_text(h.share)} for h in figure.holders],
            "limitation": limitation}))
    return result


def claims_list(*, as_of: date, state: str | None = None, limitation_within_days: int | None = None) -> list[dict]:
    """Claims of judgments final by ``as_of`` with their state on that day, what is still owed
    on them then, their holders then, and their limitation (:func:`claims_limitation`);
    ``state`` keeps the claims in that state on ``as_of``; ``limitation_within_days`` those whose
    last day falls within that many days of ``as_of`` (or has passed)."""
    return list(claims_list_iter(as_of=as_of, state=state, limitation_within_days=limitation_within_days))


#: Claims computed at a time by :func:`claims_list_iter`.
LIST_CHUNK = 2_000


def claims_list_iter(*, as_of: date, state: str | None = None, limitation_within_days: int | None = None,
                     chunk: int = LIST_CHUNK) -> Iterator[dict]:
    """The rows of :func:`claims_list`, in its order (case number, then claim), computed
    ``chunk`` claims at a time: memory stays flat whatever the number of claims."""
    ordered = _claims_final_by(Claim.objects.order_by("judgment__case_number", "pk"), as_of)
    keys = ordered.values_list("pk", flat=True).iterator(chunk_size=chunk)  # a server-side cursor on PostgreSQL
    while ids := list(islice(keys, chunk)):
        figures = {f.claim.pk: f for f in claim_figures(claims=[Claim(pk=pk) for pk in ids], as_of=as_of)}
        limitations = claims_limitation(claim_ids=list(figures), as_of=as_of)
        for pk in ids:
            figure = figures.get(pk)
            if figure is None:
                continue
            row = _claims_list_row(figure, limitations[pk], state, limitation_within_days)
            if row is not None:
                yield row


def _claims_list_row(figure: ClaimFigure, limitation: dict, state: str | None,
                     limitation_within_days: int | None) -> dict | None:
    claim = figure.claim
    state_on = claim_state_of(h.state for h in figure.holders)
    if state and state_on != state:
        return None
    if limitation_within_days is not None and (
            limitation["days_left"] is None or limitation["days_left"] > limitation_within_days):
        return None
    return {"id": claim.pk, "case_number": claim.judgment.case_number, "victim_name": claim.victim.name_hangul,
            "state": state_on, "amount_due": figure.outstanding,
            "holders": [{"name": h.name, "share": _share_text(h.share)} for h in figure.holders],
            "limitation": limitation}


#: The order of the claims list: by case number, then plaintiff number (indexed: the judgment's
#: unique case number, the claim's unique (judgment, position)).
CLAIMS_ORDER = ("judgment__case_number", "position", "pk")


def _figures_in_order(claims: list[Claim], as_of: date) -> list[tuple[Claim, ClaimFigure]]:
    """Each claim read (with its keyset annotations) and its figure, in the order read."""
    by_id = {f.claim.pk: f for f in claim_figures(claims=claims, as_of=as_of)}
    return [(c, by_id[c.pk]) for c in claims if c.pk in by_id]


def _could_wait(query, as_of: date):
    """Claims not paid in full — for a day not before today only: a claim paid by now may have
    been waiting on an earlier day."""
    return query.exclude(state=Claim.PAID) if as_of >= timezone.localdate() else query


def claims_page(*, as_of: date, state: str | None = None, cursor: str | None = None, before: str | None = None,
                limit: int = PAGE_DEFAULT) -> KeysetPage:
    """One page of :func:`claims_list` (rows as there) by case number and plaintiff number, keyset
    (:mod:`baesang.core.paging`): the figures are computed for the claims of the page only.
    With ``state`` and ``as_of`` today or later the recorded state narrows the claims read."""
    query = _claims_final_by(Claim.objects.select_related("judgment", "victim"), as_of)
    if state and as_of >= timezone.localdate():
        query = query.filter(state=state)

    def keep(claims: list[Claim]) -> list[tuple[Claim, dict]]:
        pairs = _figures_in_order(claims, as_of)
        read = {claim.pk: claim for claim, _figure in pairs}
        rows = _claim_rows([figure for _claim, figure in pairs], as_of=as_of, state=state, limitation_within_days=None)
        return [(read[claim.pk], row) for claim, row in rows]

    return keyset_page(query, name=f"claims:{as_of.isoformat()}:{state or ''}", order=CLAIMS_ORDER, after=cursor,
                       before=before, limit=limit, keep=keep)


def claim_detail(*, claim_id: int, as_of: date) -> dict:
    """Everything about one claim: the judgment, the order, the calculation sheet on
    ``as_of``, the holders now and before, offers, consents, deposits, payments, indemnity."""
    claim = Claim.objects.select_related("judgment__court", "judgment__debtor", "victim", "plaintiff").get(pk=claim_id)
    holdings = holdings_on([claim.pk], as_of).get(claim.pk, [])
    basis = claim_basis(holdings)
    payments: list[Payment] = []
    deposits: list[Deposit] = []
    if len(holdings) == 1 and holdings[0].share == 1:
        # The whole claim held by one creditor: their payments and deposits are the claim's
        # events (Art. 479 for a part payment; a deposit standing accepted stops interest from
        # its filing day, a refused or withdrawn one does not, Arts. 487-489). Shares of several
        # holders are divisible claims (Art. 408): each holder's payment settles their part.
        payments, deposits = holding_events([holdings[0].holding_id], as_of)[holdings[0].holding_id]
    due = claim_amount_due(claim, as_of, payments=payments, deposits=deposits, basis=basis)
    figures = claim_figures(claims=[claim], as_of=as_of, final_only=False)
    figure = figures[0] if figures else ClaimFigure(claim=claim, as_of=as_of, total_due=due.total,
                                                    interest_due=due.interest, per_day=Fraction(0))
    limitation = claims_limitation(claim_ids=[claim.pk], as_of=as_of, explain=True)[claim.pk]
    holders_changed = sorted({h.valid_from for h in ClaimHolding.objects.filter(claim=claim).exclude(
        change__basis="plaintiff").only("valid_from") if h.valid_from <= as_of})
    history = []
    for holding in ClaimHolding.objects.filter(claim=claim).select_related("holder", "change").order_by("pk"):
        history.append({
            "holding": holding.pk, "holder": holding.holder.name_hangul, "holder_id": holding.holder_id,
            "share": _share_text(holding.share), "state": holding.state, "basis": holding.change.basis,
            "valid_from": holding.valid_from.isoformat(),
            "superseded_at": holding.superseded_at.isoformat() if holding.superseded_at else None,
            "family_sha256": holding.change.family_sha256 or None})
    offers = [{"offer": o.pk, "holding": o.holding_id, "offered_on": o.offered_on.isoformat(), "state": o.state,
               "amount_quoted": o.amount_quoted, "answered_on": o.answered_on.isoformat() if o.answered_on else None,
               "consent": getattr(getattr(o, "consent", None), "pk", None)}
              for o in Offer.objects.filter(holding__claim=claim).select_related("consent").order_by("pk")]
    deposits = [{"deposit": d.pk, "holding": d.holding_id, "court": d.court.name, "filed_on": d.filed_on.isoformat(),
                 "amount": d.amount, "state": d.state, "decided_on": d.decided_on.isoformat() if d.decided_on else None}
                for d in CourtDeposit.objects.filter(holding__claim=claim).select_related("court").order_by("pk")]
    payments = [{"line": line.pk, "batch": line.batch_id, "holding": line.holding_id, "holder": line.holder.name_hangul,
                 "amount": line.amount, "principal": line.principal_part, "interest": line.interest_part,
                 "state": line.state, "payment_date": line.batch.payment_date.isoformat(),
                 "resolved_on": line.resolved_on.isoformat() if line.resolved_on else None}
                for line in BatchLine.objects.filter(claim=claim).select_related("holder", "batch").order_by("pk")]
    indemnity = [{"indemnity": i.pk, "amount": i.amount, "arose_on": i.arose_on.isoformat(),
                  "limitation_on": i.limitation_on.isoformat(), "state": i.state}
                 for i in IndemnityClaim.objects.filter(claim=claim).order_by("pk")]
    return {
        "id": claim.pk, "case_number": claim.judgment.case_number, "position": claim.position,
        "court": claim.judgment.court.name, "debtor": claim.judgment.debtor.name,
        "final_on": claim.judgment.final_on.isoformat(), "victim_name": claim.victim.name_hangul,
        "victim_living": claim.victim.death_date is None,
        "state": claim_state_of(h.state for h in holdings) if claim.judgment.final_on <= as_of else claim.state,
        "principal": claim.principal,
        "segments": [{"start": s.start.isoformat(), "end": s.end.isoformat() if s.end else None,
                      "rate": format(s.rate.normalize(), "f")} for s in claim.segments.order_by("position")],
        "as_of": as_of.isoformat(), "calculation": due.as_json(), "basis": basis,
        "basis_label": BASIS_LABELS[basis], "holders_changed_on": [d.isoformat() for d in holders_changed],
        "limitation": limitation, "indemnity_limitations": indemnity_limitations(as_of=as_of, claim_id=claim.pk),
        "outstanding": figure.outstanding,
        "interest_per_day": _share_text(figure.per_day),
        "holders": [{"holding": h.holding_id, "name": h.name, "share": _share_text(h.share), "state": h.state,
                     "principal": h.principal, "interest": h.interest, "amount": h.amount, "settled": h.settled}
                    for h in figure.holders],
        "history": history, "offers": offers, "deposits": deposits, "payments": payments, "indemnity": indemnity,
    }


# --------------------------------------------------------------------------- fund report


def _ledger_balance(code: str, as_of: date | None) -> int:

    try:
        return account_balance(code=code, as_of=as_of).balance
    except AccountNotFound:
        return 0


def fund_report(*, as_of: date, cached: bool = True, stale_ok: bool = False,
                summary: ClaimsSummary | None = None) -> dict:
    """The fund report of ``baesang report fund``: money from the ledger, owed from the claims.

    Keys: donations_received, paid, deposits_held, balance, reserved, available,
    owed_waiting, interest_per_day (whole won, by the rounding policy), claims (counts by
    state, and ``waiting``: claims on the waiting list). ``cached``: read from and kept in the
    figures cache (:func:`cached_figures`: never older than the last write that could change it;
    with ``stale_ok``, an earlier entry marked ``stale_since`` while it is computed again).
    ``summary``: the claims' totals when computed already (:func:`figures_refresh`).
    """
    if cached:
        return cached_figures("fund", as_of, lambda: fund_report(as_of=as_of, cached=False), stale_ok=stale_ok)
    position = fund_position(as_of=as_of)
    donations = _ledger_balance(accounts.DONATIONS_RESTRICTED, as_of) + _ledger_balance(
        accounts.DONATIONS_UNRESTRICTED, as_of)
    paid = _ledger_balance(accounts.JUDGMENT_PAYMENTS_EXPENSE, as_of) + _ledger_balance(
        accounts.JUDGMENT_PAYMENTS_UNRESTRICTED_EXPENSE, as_of)
    summary = summary or claims_summary(as_of=as_of)
    counts = dict(summary.by_state)
    counts["waiting"] = summary.waiting_claims
    counts["total"] = sum(v for k, v in counts.items() if k != "waiting")
    return {
        "as_of": as_of.isoformat(),
        "donations_received": donations,
        "paid": paid,
        "deposits_held": position.deposits_held,
        "balance": position.bank_balance,
        "reserved": position.reserved,
        "available": position.available,
        "owed_waiting": summary.waiting_due,
        "interest_per_day": round_won(summary.waiting_per_day, rounding_policy()),
        "claims": counts,
    }


def waiting_totals(*, as_of: date, cached: bool = True, stale_ok: bool = False,
                   summary: ClaimsSummary | None = None) -> dict:
    """The waiting list's totals on ``as_of`` (those of :func:`claims_waiting`, without its
    rows): ``claims``, ``total_due``, ``interest_per_day`` (whole won) and its exact fraction;
    from the figures cache unless ``cached`` is false."""
    if cached:
        return cached_figures("waiting", as_of, lambda: waiting_totals(as_of=as_of, cached=False),
                              stale_ok=stale_ok)
    summary = summary or claims_summary(as_of=as_of)
    return {"as_of": as_of.isoformat(), "claims": summary.waiting_claims, "total_due": summary.waiting_due,
            "interest_per_day": round_won(summary.waiting_per_day, rounding_policy()),
            "interest_per_day_exact": _share_text(summary.waiting_per_day)}


def waiting_first(*, as_of: date, count: int = 5, cached: bool = True, stale_ok: bool = False) -> list[dict]:
    """The first ``count`` claims of the waiting list on ``as_of`` (the dashboard's panel):
    claim_id, case_number, position, victim_name, amount_due; from the figures cache unless
    ``cached`` is false."""
    if not cached:
        return _waiting_first(as_of, count)["rows"]
    return cached_figures(f"waiting_first{count}", as_of, lambda: _waiting_first(as_of, count),
                          stale_ok=stale_ok)["rows"]


def _waiting_first(as_of: date, count: int) -> dict:
    return {"rows": [{"claim_id": row.claim_id, "case_number": row.case_number, "position": row.position,
                      "victim_name": row.victim_name, "amount_due": row.amount_due}
                     for row in waiting_page(as_of=as_of, limit=count).items]}


# --------------------------------------------------------------------------- figures cache
#
# Totals over every claim are kept in a table (cases.FiguresCache, shared by every application
# server) under a key naming the figures, the date, the settings they depend on and the state
# version. The version moves with every write that can change them: every write of the case
# work goes through a service that records an audit row in the same transaction, the ledger's
# head moves with every transfer, and the largest claim and holding ids move with rows added
# by anything (a bulk load too). An entry is read only for the exact version it was computed
# at, so it is never stale: the first reader after a write computes again (or
# ``baesang report refresh`` does it ahead).
#
# Ids are handed out before commit, so a transaction holding a smaller audit id could commit
# after a larger one: on PostgreSQL the version is read in one statement with the snapshot,
# and an entry is stored only if no other transaction of this database was writing then
# (otherwise the figures are computed and returned, not kept). SQLite has one writer at a time.


#: Audit actions that change no figure: staff sign-ins, second factors and API tokens, sign-ins
#: and accounts of the creditors' portal, reads and proofs recorded for accountability. They do not move the
#: state version, so someone signing in does not send every staff screen to count 1.7 million
#: claims again. Any other action moves it (a new action changes figures until it is listed here).
FIGURES_NEUTRAL_ACTIONS = (
    "auth.login", "auth.logout", "auth.login_failed", "auth.second_factor_enrol", "auth.second_factor_reset",
    "portal.sign_in", "portal.invite", "portal.invitation_use", "portal.passkey_add", "portal.passkey_remove",
    "portal.revoke", "ledger.verify", "ledger.checkpoint", "statement.issue", "pii_access_log.export",
    "api_token.create", "api_token.revoke",
)


def _figures_version() -> tuple[str, bool]:
    """The state version and whether figures computed now may be kept under it: the last audit
    row of an action that may change figures, the last claim and holding, the ledger head."""
    neutral = ", ".join(f"'{action}'" for action in FIGURES_NEUTRAL_ACTIONS)
    maxima = ", ".join([f"(SELECT max(id) FROM {AuditEvent._meta.db_table} WHERE action NOT IN ({neutral}))",
                        *(f"(SELECT max(id) FROM {table})" for table in (Claim._meta.db_table,
                                                                        ClaimHolding._meta.db_table))])
    head = f"(SELECT seq FROM {LedgerHead._meta.db_table} WHERE id = 1)"
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute(f"SELECT {maxima}, {head}")
            return ":".join(str(v or 0) for v in cursor.fetchone()), True
        # Transactions of other databases of the cluster do not matter; one that cannot be placed
        # (it ended meanwhile) counts as ours. Read in the same statement as the maxima (an xid8 of
        # the snapshot compared by its low 32 bits with the backends' xids).
        cursor.execute(f"SELECT {maxima}, {head}, ARRAY(SELECT (x::text::numeric % 4294967296)::bigint::text "
                       f"FROM pg_snapshot_xip(pg_current_snapshot()) x "
                       f"EXCEPT SELECT backend_xid::text FROM pg_stat_activity WHERE backend_xid IS NOT NULL "
                       f"AND datname IS DISTINCT FROM current_database())")
        *values, writing = cursor.fetchone()
        settled = not writing
    return ":".join(str(v or 0) for v in values), settled


#: The form of the cached figures: raised when what a cached function returns changes shape, so
#: that entries kept by an earlier release are not read.
FIGURES_FORMAT = 2


def _figures_key(name: str, as_of: date, version: str) -> str:
    return f"{name}:{as_of.isoformat()}:{rounding_policy()}:{waiting_policy()}:f{FIGURES_FORMAT}:{version}"


def figures_key(name: str, as_of: date) -> tuple[str, bool]:
    """The cache key of figures ``name`` on ``as_of`` now, and whether it may be stored."""
    version, settled = _figures_version()
    return _figures_key(name, as_of, version), settled


def _figures_store(name: str, as_of: date, key: str, value: dict, settled: bool) -> None:
    if settled:
        _shared_store(key, value, stale=FiguresCache.objects.filter(
            key__startswith=f"{name}:{as_of.isoformat()}:").exclude(key=key))


def trial_balance_shared(*, as_of: date | None = None) -> dict:
    """:func:`baesang.ledger.selectors.trial_balance`, kept in the figures cache (shared by every
    application server and process) under the ledger's head and last account
    (:func:`~baesang.ledger.selectors.trial_balance_version`): its counts read every transfer
    (half a second at 579,000, seconds at ten million), which each process paid for its first
    page and again after every transfer. The first reader after a transfer computes it; the
    others read it. Kept only when the ledger did not move while it was computed."""
    version = trial_balance_version()
    prefix = f"trial_balance:{as_of.isoformat() if as_of else 'now'}:f1:"
    key = prefix + version
    found = FiguresCache.objects.filter(key=key).values_list("value", flat=True).first()
    if found is not None:
        return json.loads(found)
    value = trial_balance(as_of=as_of)
    if trial_balance_version() == version:
        _shared_store(key, value, stale=FiguresCache.objects.filter(key__startswith=prefix).exclude(key=key))
    return value


def _shared_store(key: str, value: dict, *, stale) -> None:
    """Keep ``value`` under ``key`` in the figures cache and drop the ``stale`` entries. Several
    processes computing the same entry at once (the first readers after a change) each try to
    store it: the one that comes second finds it there and leaves it (the same value)."""
    try:
        with transaction.atomic():
            stale.delete()
            FiguresCache.objects.update_or_create(key=key, defaults={"value": json.dumps(value)})
    except IntegrityError:
        pass  # stored meanwhile by another process


def cached_figures(name: str, as_of: date, compute, *, stale_ok: bool = False) -> dict:
    """Figures ``name`` on ``as_of`` from the cache when computed at the current state version,
    else ``compute()``d (a JSON-able dict) and kept for the next reader.

    ``stale_ok`` (the staff screens, on PostgreSQL): when the current version has no entry but
    an earlier one of the same figures does (same date, or any earlier date when ``as_of`` is
    today), that one is returned at once with ``stale_since`` (when it was computed) and the
    figures are computed again behind the page (:func:`figures_refresh_behind`), so that a write
    never makes a screen wait for a pass over every claim. Without an earlier entry the figures
    are computed here, as without ``stale_ok``."""
    key, settled = figures_key(name, as_of)
    found = FiguresCache.objects.filter(key=key).values_list("value", flat=True).first()
    if found is not None:
        return json.loads(found)
    if stale_ok and _behind_enabled():
        earlier = _figures_earlier(name, as_of)
        if earlier is not None:
            value, computed_at = earlier
            figures_refresh_behind(as_of=as_of)
            return {**json.loads(value), "stale_since": computed_at.isoformat()}
    value = compute()
    _figures_store(name, as_of, key, value, settled)
    return value


#: How near a limitation date must be for the dashboard to show the claim (two years).
LIMITATION_WATCH_DAYS = 730
#: How many of them the panel names (nearest first).
LIMITATION_WATCH_SHOWN = 8


def limitation_watch(*, as_of: date, cached: bool = True, stale_ok: bool = False,
                     watch: LimitationWatch | None = None) -> dict:
    """The dashboard's limitation panel: claims still owed whose limitation (Art. 165(1)) ends
    within :data:`LIMITATION_WATCH_DAYS` of ``as_of`` (or has passed), and the foundation's
    indemnity claims (Art. 162(1)) doing the same: their counts and the nearest
    :data:`LIMITATION_WATCH_SHOWN` of each; from the figures cache unless ``cached`` is false.
    ``watch``: the claims gathered already by a pass of :func:`claims_summary`."""
    if cached:
        return cached_figures("limitation", as_of, lambda: limitation_watch(as_of=as_of, cached=False),
                              stale_ok=stale_ok)
    # the indemnity claims near their limitation: counted per (debtor, day arisen); the first few
    # of them, in the list's order (day arisen, id), read as rows
    near = [(debtor_id, arose_on, n) for debtor_id, _code, arose_on, n, _amount, limitation
            in _indemnity_groups(as_of)
            if limitation["days_left"] is not None and limitation["days_left"] <= LIMITATION_WATCH_DAYS]
    indemnity_count = sum(n for *_, n in near)
    indemnity: list[dict] = []
    if near:
        # the first rows are in the groups up to the day of the first few groups (another debtor's
        # group of that same day may hold smaller ids)
        last_day = near[:LIMITATION_WATCH_SHOWN][-1][1]
        first = [(debtor_id, arose_on) for debtor_id, arose_on, _n in near if arose_on <= last_day]
        pairs = Q(pk__in=[])
        for debtor_id, arose_on in first:
            pairs |= Q(debtor_id=debtor_id, arose_on=arose_on)
        indemnity = _indemnity_rows(_open_indemnities(as_of).filter(pairs),
                                    _IndemnityLimitations(as_of, {debtor_id for debtor_id, _ in first}),
                                    limit=LIMITATION_WATCH_SHOWN)
    if watch is None:
        watch = LimitationWatch(as_of, LIMITATION_WATCH_DAYS, keep=LIMITATION_WATCH_SHOWN)
        _limitation_pass(watch)
    # the panel shows the counts and the nearest few: only those are kept
    return {"claims_count": watch.count, "claims": watch.rows(),
            "indemnity_count": indemnity_count, "indemnity": indemnity,
            "within_days": LIMITATION_WATCH_DAYS}


def _figures_earlier(name: str, as_of: date) -> tuple[str, Any] | None:
    """The latest kept entry of figures ``name`` under the current settings, at another version:
    of ``as_of``, or of any earlier day when ``as_of`` is today (the figures of yesterday until
    today's are ready). (value, computed_at) or None."""
    settings_part = f":{rounding_policy()}:{waiting_policy()}:f{FIGURES_FORMAT}:"
    entries = FiguresCache.objects.filter(key__startswith=f"{name}:", key__contains=settings_part)
    if as_of != timezone.localdate():
        entries = entries.filter(key__startswith=f"{name}:{as_of.isoformat()}:")
    return entries.order_by("-computed_at").values_list("value", "computed_at").first()


#: One figures refresh behind the pages at a time: in this process (a thread per date) and
#: across application servers (a PostgreSQL advisory lock of this number).
FIGURES_REFRESH_LOCK = 0x62616573  # "baes"
_behind_guard = threading.Lock()
_behind: dict[str, threading.Thread] = {}


def figures_refresh_behind(*, as_of: date) -> threading.Thread | None:
    """Start :func:`figures_refresh` of ``as_of`` in a thread of this process, unless one is
    running here already; across processes the advisory lock lets one of them compute and the
    others return at once. The thread (to wait for it in tests), or None if one was running."""
    return _behind_start(f"refresh:{as_of.isoformat()}", lambda: figures_refresh(as_of=as_of))


def _behind_start(name: str, work) -> threading.Thread | None:
    with _behind_guard:
        running = _behind.get(name)
        if running is not None and running.is_alive():
            return None
        thread = threading.Thread(target=_locked, args=(work,), daemon=True, name=f"figures {name}")
        _behind[name] = thread
        thread.start()
        return thread


#: The niceness of a thread computing figures behind the pages (Linux: per thread), so that the
#: requests of the same machine go first.
BEHIND_NICENESS = 10


def _locked(work) -> None:
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), BEHIND_NICENESS)
    except (AttributeError, OSError):  # not Linux, or not allowed: the thread runs as it is
        pass
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [FIGURES_REFRESH_LOCK])
            if not cursor.fetchone()[0]:
                return
            try:
                work()
            finally:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [FIGURES_REFRESH_LOCK])
    finally:
        connection.close()  # the thread's own connection


#: How many of the public chart's past points already kept are computed again a day, the least
#: recently computed first (each is a pass over every claim: some 13 minutes of one core at 1.7
#: million claims). With the chart's 39 past points a point is at most ten days old.
WAITING_POINTS_A_DAY = 4


def waiting_points(*, days: list[date], today: date) -> tuple[dict[date, tuple[int, int]], bool]:
    """The waiting list's (claims, total due) on each of ``days`` (the public chart's past month
    ends: a pass over every claim each), kept one row per day in the figures table. A point never
    computed is computed; of those kept, :data:`WAITING_POINTS_A_DAY` a day are computed again,
    the least recently computed first — a stated staleness: what changes today in a past month
    shows within ``ceil(len(days) / WAITING_POINTS_A_DAY)`` days (ten for the chart's 39 points).
    On PostgreSQL the points due are computed behind the page (one application server at a time,
    each point kept as soon as it is done), and meanwhile the points kept are given (a point never
    computed is missing: a gap in the chart); otherwise they are computed at once. (points,
    whether no point is due)."""
    settings_part = f":{rounding_policy()}:{waiting_policy()}:f{FIGURES_FORMAT}"
    keys = {day: f"waiting_point:{day.isoformat()}{settings_part}" for day in days}
    found = {key: (value, computed_at) for key, value, computed_at in
             FiguresCache.objects.filter(key__in=list(keys.values())).values_list("key", "value", "computed_at")}
    points: dict[date, tuple[int, int]] = {}
    never, aged = [], []
    for day, key in keys.items():
        if key not in found:
            never.append(day)
            continue
        value, computed_at = found[key]
        points[day] = tuple(json.loads(value))
        if timezone.localdate(computed_at) < today:
            aged.append((computed_at, day))
    done_today = len(keys) - len(never) - len(aged)
    missing = never + [day for _, day in sorted(aged)[:max(0, WAITING_POINTS_A_DAY - done_today)]]

    def compute() -> None:
        for day in missing:
            totals = waiting_totals(as_of=day, cached=False)
            points[day] = (totals["claims"], totals["total_due"])
            FiguresCache.objects.update_or_create(key=keys[day], defaults={"value": json.dumps(points[day])})

    if missing and _behind_enabled():
        _behind_start(f"waiting_points:{today.isoformat()}", compute)
        return dict(points), False
    compute()
    return points, True


def _behind_enabled() -> bool:
    return connection.vendor == "postgresql" and settings.BAESANG_FIGURES_BEHIND


def figures_refresh(*, as_of: date) -> list[str]:
    """Compute and keep the cached figures of ``as_of`` (``baesang report refresh``); the
    names refreshed."""
    version, settled = _figures_version()  # read before anything is computed
    # one pass over the claims for the fund report, the waiting totals and the limitation panel
    watch = LimitationWatch(as_of, LIMITATION_WATCH_DAYS, keep=LIMITATION_WATCH_SHOWN)
    summary = claims_summary(as_of=as_of, watch=watch)
    values = {"fund": fund_report(as_of=as_of, cached=False, summary=summary),
              "waiting": waiting_totals(as_of=as_of, cached=False, summary=summary),
              "waiting_first5": _waiting_first(as_of, 5),
              "limitation": limitation_watch(as_of=as_of, cached=False, watch=watch)}
    for name, value in values.items():
        _figures_store(name, as_of, _figures_key(name, as_of, version), value, settled)
    return list(values)


def paid_total(*, as_of: date | None = None) -> int:
    """What the payment lines say was paid (to reconcile with the ledger's judgment payments)."""
    query = BatchLine.objects.filter(state=BatchLine.PAID)
    if as_of is not None:
        query = query.filter(resolved_on__lte=as_of)
    return sum(query.values_list("amount", flat=True))


# --------------------------------------------------------------------------- batches


def _batch_row(b: PaymentBatch) -> dict:
    return {"id": b.pk, "payment_date": b.payment_date.isoformat(), "state": b.state, "lines": b.line_count,
            "total": b.total_amount, "prepared_by": b.prepared_by.get_username(),
            "approved_by": b.approved_by.get_username() if b.approved_by else None}


def batches_list(*, state: str | None = None) -> list[dict]:
    query = PaymentBatch.objects.select_related("prepared_by", "approved_by").order_by("-pk")
    if state:
        query = query.filter(state=state)
    return [_batch_row(b) for b in query]


def batches_page(*, state: str | None = None, cursor: str | None = None, before: str | None = None,
                 limit: int = PAGE_DEFAULT) -> KeysetPage:
    """One page of :func:`batches_list`, newest first (keyset on id)."""
    query = PaymentBatch.objects.select_related("prepared_by", "approved_by")
    if state:
        query = query.filter(state=state)
    page = keyset_page(query, name=f"batches:{state or ''}", order=("-pk",), after=cursor, before=before, limit=limit)
    return replace(page, items=[_batch_row(b) for b in page.items])


def batch_detail(*, batch_id: int) -> dict:
    batch = PaymentBatch.objects.select_related("prepared_by", "approved_by").get(pk=batch_id)
    states: dict[str, dict[str, int]] = {}
    for state, amount in BatchLine.objects.filter(batch=batch).values_list("state", "amount"):
        entry = states.setdefault(state, {"lines": 0, "amount": 0})
        entry["lines"] += 1
        entry["amount"] += amount
    return {"id": batch.pk, "payment_date": batch.payment_date.isoformat(), "state": batch.state,
            "lines": batch.line_count, "total": batch.total_amount, "rounding": batch.rounding,
            "prepared_by": batch.prepared_by.get_username(),
            "approved_by": batch.approved_by.get_username() if batch.approved_by else None,
            "export_sha256": batch.export_sha256 or None, "by_state": states,
            "recent_account_changes": batch_recent_account_changes(batch=batch)}


def batch_recent_account_changes(*, batch: PaymentBatch) -> list[dict]:
    """Holders of the batch's open lines whose bank account was changed (an approved change)
    fewer than ``BAESANG_ACCOUNT_CHANGE_DAYS`` days before its payment date, or after it: the
    approver sees them flagged before reserving the money (a changed account is the classic
    route of payment fraud)."""
    holder_ids = set(BatchLine.objects.filter(batch=batch, state=BatchLine.OPEN).values_list("holder_id", flat=True))
    changed = accounts_changed_recently(holder_ids, batch.payment_date)
    names = dict(Person.objects.filter(pk__in=list(changed)).values_list("pk", "name_hangul"))
    return [{"holder": pk, "name": names.get(pk, ""), "changed_on": day.isoformat()}
            for pk, day in sorted(changed.items())]


def _deposits(state: str | None):
    query = CourtDeposit.objects.select_related("court", "holding__holder", "holding__claim__judgment")
    return query.filter(state=state) if state else query


def _deposit_row(d: CourtDeposit) -> dict:
    return {"id": d.pk, "claim": d.holding.claim_id, "case_number": d.holding.claim.judgment.case_number,
            "holder": d.holding.holder.name_hangul, "court": d.court.name, "filed_on": d.filed_on.isoformat(),
            "amount": d.amount, "state": d.state, "decided_on": d.decided_on.isoformat() if d.decided_on else None}


def deposits_list(*, state: str | None = None) -> list[dict]:
    return [_deposit_row(d) for d in _deposits(state).order_by("pk")]


def deposits_page(*, state: str | None = None, cursor: str | None = None, before: str | None = None,
                  limit: int = PAGE_DEFAULT) -> KeysetPage:
    """One page of :func:`deposits_list` (keyset on id)."""
    page = keyset_page(_deposits(state), name=f"deposits:{state or ''}", order=("pk",), after=cursor, before=before,
                       limit=limit)
    return replace(page, items=[_deposit_row(d) for d in page.items])


def deposits_totals(*, state: str | None = None) -> tuple[int, int]:
    """The amount of the deposits (in ``state``) and of those live, summed in the database."""
    deposits = _deposits(state).order_by()
    total = deposits.aggregate(s=Sum("amount"))["s"] or 0
    live = deposits.filter(state__in=CourtDeposit.LIVE).aggregate(s=Sum("amount"))["s"] or 0
    return total, live


def indemnity_totals(*, as_of: date | None = None) -> dict[str, dict[str, int]]:
    """Open indemnity claims per debtor: amount and the earliest limitation date, counting the
    interruptions recorded against that debtor (:func:`indemnity_limitations`)."""
    totals: dict[str, dict] = {}
    for _debtor_id, code, _arose_on, n, amount, limitation in _indemnity_groups(as_of or timezone.localdate()):
        limit = limitation["last_day"]
        entry = totals.setdefault(code, {"amount": 0, "claims": 0, "earliest_limitation": limit})
        entry["amount"] += amount
        entry["claims"] += n
        if limit is not None and (entry["earliest_limitation"] is None or limit < entry["earliest_limitation"]):
            entry["earliest_limitation"] = limit
    return totals


# --------------------------------------------------------------------------- limitation


def _engine_event(event: LimitationEvent) -> LimitationEngineEvent:
    return LimitationEngineEvent(kind=event.kind, on=event.on, ended_on=event.ended_on, failed=event.failed,
                                 note=event.note)


def _limitation_row(result: Limitation, as_of: date, events: int) -> dict:
    return {"start": result.start.isoformat(), "last_day": result.last_day.isoformat() if result.last_day else None,
            "expires_on": result.expires_on.isoformat() if result.expires_on else None,
            "running_from": result.running_from.isoformat() if result.running_from else None,
            "days_left": result.days_left(as_of), "events": events}


def claims_limitation(*, claim_ids: list[int], as_of: date, explain: bool = False) -> dict[int, dict]:
    """Per claim, the limitation of the creditor's judgment claim on ``as_of``: ten years from
    the judgment becoming final (Civil Code Art. 165(1); counted by Arts. 157, 160), moved by
    the interruptions recorded (:class:`LimitationEvent`, Arts. 168-178) that took effect on or
    before ``as_of``. ``days_left`` is 0 on the last day and negative after it, ``None`` while a
    suit is pending or a seizure in force. With ``explain`` each row carries the engine's steps
    (English and Korean, with the articles)."""
    finals: dict[int, date] = {}
    events: dict[int, list[LimitationEvent]] = defaultdict(list)
    for start in range(0, len(claim_ids), CHUNK):
        chunk = claim_ids[start:start + CHUNK]
        finals.update(Claim.objects.filter(ids_in("pk", chunk)).order_by().values_list("pk", "judgment__final_on"))
        for event in LimitationEvent.objects.filter(ids_in("claim_id", chunk), on__lte=as_of).order_by("on", "pk"):
            events[event.claim_id].append(event)
    return {claim_id: _claim_limitation(finals[claim_id], events[claim_id], as_of, explain) for claim_id in claim_ids}


def _claim_limitation(final_on: date, events: list[LimitationEvent], as_of: date, explain: bool = False) -> dict:
    """One judgment claim's limitation row on ``as_of`` (:func:`claims_limitation`)."""
    # an end after as_of was not known on as_of: the suit or seizure was still pending then
    engine_events = [_engine_event(e) if e.ended_on is None or e.ended_on <= as_of
                     else LimitationEngineEvent(kind=e.kind, on=e.on, note=e.note) for e in events]
    result = explain_limitation(final_on, engine_events, claim=JUDGMENT_CLAIM)
    row = _limitation_row(result, as_of, len(engine_events))
    if explain:
        row["steps"] = [step.as_json() for step in result.steps]
    return row


class LimitationWatch:
    """Gathers, during a pass over the claims a chunk at a time, the claims still owed whose
    limitation's last day is within ``within_days`` of ``as_of`` (or has passed): their count
    and the ``keep`` nearest (all of them if ``keep`` is None), nearest first.

    A claim without recorded events has the limitation of its judgment's final date alone, so
    the engine runs once per distinct final date; the few claims with events are computed each.
    Memory is flat in the number of claims when ``keep`` is given."""

    def __init__(self, as_of: date, within_days: int, *, keep: int | None) -> None:
        self.as_of, self.within_days, self.keep = as_of, within_days, keep
        self.count = 0
        self._by_final: dict[date, dict] = {}
        self._events: dict[int, list[LimitationEvent]] = defaultdict(list)
        for event in LimitationEvent.objects.filter(claim__isnull=False, on__lte=as_of).order_by("on", "pk"):
            self._events[event.claim_id].append(event)
        self._nearest: list[tuple[str, int, int, dict]] = []

    def near(self, ids: list[int]) -> dict[int, dict]:
        """The limitation rows of those of ``ids`` whose last day is within the window."""
        rows = {}
        for claim_id, final_on in Claim.objects.filter(ids_in("pk", ids)).order_by().values_list(
                "pk", "judgment__final_on"):
            if claim_id in self._events:
                row = _claim_limitation(final_on, self._events[claim_id], self.as_of)
            else:
                row = self._by_final.get(final_on)
                if row is None:
                    row = self._by_final[final_on] = _claim_limitation(final_on, [], self.as_of)
            if row["days_left"] is not None and row["days_left"] <= self.within_days:
                rows[claim_id] = row
        return rows

    def see(self, claim_id: int, row: dict, holders: list[HolderFigure]) -> None:
        """Count the claim if something is still owed on it (its holders' figures)."""
        outstanding = sum(h.amount for h in holders if not h.settled)
        if outstanding <= 0:
            return
        self.count += 1
        self._nearest.append((row["last_day"] or "", claim_id, outstanding, row))
        if self.keep is not None and len(self._nearest) > 2 * self.keep + 1:
            self._nearest = heapq.nsmallest(self.keep, self._nearest)

    def rows(self) -> list[dict]:
        """The claims kept, nearest first, with their case number and victim's name."""
        nearest = sorted(self._nearest)[:self.keep] if self.keep is not None else sorted(self._nearest)
        names = {}
        ids = [claim_id for _, claim_id, _, _ in nearest]
        for start in range(0, len(ids), CHUNK):
            names.update((pk, (case_number, victim)) for pk, case_number, victim in Claim.objects.filter(
                ids_in("pk", ids[start:start + CHUNK])).order_by().values_list(
                "pk", "judgment__case_number", "victim__name_hangul"))
        return [{"id": claim_id, "case_number": names[claim_id][0], "victim_name": names[claim_id][1],
                 "amount_due": outstanding, "limitation": dict(row)} for _, claim_id, outstanding, row in nearest]


def _limitation_pass(watch: LimitationWatch) -> None:
    """A pass over the claims final by the watch's date for it alone: the figures (holders and
    their parts) of the claims near their limitation only."""
    memo = OrderMemo(watch.as_of)
    for ids in _final_claim_ids(watch.as_of, CHUNK):
        near = watch.near(ids)
        for claim_id, _due, _per_day, holders in _claim_amounts(list(near), watch.as_of, memo):
            watch.see(claim_id, near[claim_id], holders)


class _IndemnityLimitations:
    """The limitation of indemnity claims on ``as_of``, computed once per (debtor, day it arose):
    it depends on nothing else (the debtor's interruptions on or after that day). A batch's
    indemnity claims against one debtor all arose on its payment date, so millions of claims need
    the engine a few thousand times."""

    def __init__(self, as_of: date, debtor_ids: Iterable[int]) -> None:
        self.as_of = as_of
        self.events: dict[int, list[LimitationEvent]] = defaultdict(list)
        for event in LimitationEvent.objects.filter(debtor_id__in=set(debtor_ids), on__lte=as_of).order_by("on", "pk"):
            self.events[event.debtor_id].append(event)
        self._rows: dict[tuple[int, date], dict] = {}

    def row(self, debtor_id: int, arose_on: date) -> dict:
        found = self._rows.get((debtor_id, arose_on))
        if found is None:
            as_of = self.as_of
            own = [_engine_event(e) if e.ended_on is None or e.ended_on <= as_of
                   else LimitationEngineEvent(kind=e.kind, on=e.on, note=e.note)
                   for e in self.events[debtor_id] if e.on >= arose_on]
            result = explain_limitation(arose_on, own, claim=INDEMNITY_CLAIM)
            found = self._rows[(debtor_id, arose_on)] = _limitation_row(result, as_of, len(own))
        return found


def _open_indemnities(as_of: date):
    return IndemnityClaim.objects.filter(state=IndemnityClaim.OPEN, arose_on__lte=as_of)


def _indemnity_groups(as_of: date) -> list[tuple[int, str, date, int, int, dict]]:
    """The open indemnity claims on ``as_of`` grouped by debtor and the day they arose, in the
    order of the days: (debtor id, debtor code, arose on, claims, amount, limitation row). One
    GROUP BY, the engine once per group — never a row per claim in memory."""
    groups = list(_open_indemnities(as_of).order_by().values_list("debtor_id", "debtor__code", "arose_on")
                  .annotate(n=Count("pk"), amount=Sum("amount")).order_by("arose_on", "debtor_id"))
    limitations = _IndemnityLimitations(as_of, {g[0] for g in groups})
    return [(debtor_id, code, arose_on, n, amount, limitations.row(debtor_id, arose_on))
            for debtor_id, code, arose_on, n, amount in groups]


def _indemnity_rows(query, limitations: _IndemnityLimitations, *, limit: int | None = None) -> list[dict]:
    rows = query.order_by("arose_on", "pk").values_list("pk", "claim_id", "debtor_id", "debtor__code", "amount",
                                                        "arose_on")
    if limit is not None:
        rows = rows[:limit]
    return [{"indemnity": pk, "claim": claim_id, "debtor": code, "amount": amount, "arose_on": arose_on.isoformat(),
             "limitation": limitations.row(debtor_id, arose_on)}
            for pk, claim_id, debtor_id, code, amount, arose_on in rows]


def indemnity_limitations(*, as_of: date, debtor_code: str | None = None, claim_id: int | None = None) -> list[dict]:
    """The foundation's open indemnity claims (구상권) with their limitation on ``as_of``: ten
    years from the payment or the accepted deposit (Arts. 162(1), 166(1)), moved by the
    interruptions recorded against the debtor on or after the day the claim arose and on or
    before ``as_of`` (Arts. 168-178). A row per claim: for one claim or one debtor; the
    dashboard and the totals use :func:`_indemnity_groups`."""
    query = _open_indemnities(as_of)
    if debtor_code:
        query = query.filter(debtor__code=debtor_code)
    if claim_id is not None:
        query = query.filter(claim_id=claim_id)
    debtor_ids = set(query.order_by().values_list("debtor_id", flat=True).distinct())
    return _indemnity_rows(query, _IndemnityLimitations(as_of, debtor_ids))


def claims_nearing_limitation(*, as_of: date, within_days: int = 730) -> list[dict]:
    """Claims still owed something on ``as_of`` whose limitation's last day falls within
    ``within_days`` (default two years) or has passed — the dashboard's panel, nearest first."""
    watch = LimitationWatch(as_of, within_days, keep=None)
    _limitation_pass(watch)
    return watch.rows()


__all__ = ["POLICIES", "ClaimFigure", "LimitationWatch", "UnknownPolicy", "WaitingList", "batch_detail", "batches_list",
           "cached_figures", "claim_detail", "claim_figures", "claims_summary", "figures_refresh",
           "limitation_watch", "waiting_first",
           "waiting_totals", "claims_by_state", "claims_list", "claims_waiting", "deposits_list",
           "claims_limitation", "claims_nearing_limitation", "fund_report", "holdings_on", "indemnity_limitations",
           "indemnity_totals", "paid_total", "waiting_order_by", "waiting_policy", "claims_page", "waiting_page",
           "waiting_page_kept", "waiting_keyset_order", "waiting_order_annotate", "claims_waiting_iter",
           "waiting_orders_iter", "CLAIMS_ORDER"]


def person_claims(*, person: Person) -> list[dict]:
    """The claims a person is the victim of, or holds (now or before) a share of."""
    rows = []
    for holding in ClaimHolding.objects.filter(holder=person).select_related("claim__judgment").order_by("pk"):
        rows.append({"claim": holding.claim_id, "case_number": holding.claim.judgment.case_number,
                     "role": "holder", "share": f"{holding.share_numerator}/{holding.share_denominator}",
                     "state": holding.state, "current": holding.superseded_at is None})
    for claim in Claim.objects.filter(victim=person).select_related("judgment"):
        rows.append({"claim": claim.pk, "case_number": claim.judgment.case_number, "role": "victim",
                     "share": None, "state": claim.state, "current": True})
    return rows


def claim_current_holdings(*, claim: Claim) -> list[ClaimHolding]:
    return list(ClaimHolding.objects.filter(claim=claim, superseded_at__isnull=True).select_related("holder")
                .order_by("pk"))
