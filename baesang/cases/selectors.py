"""Reads of the case work: what is owed and to whom, the waiting list, the fund report,
claim details with their calculation sheet, payment batches (docs/workflow.md).

- *Outstanding* on a date: the parts (apportioned to the won among all current holders) of
  the holders not settled by that date — settled means paid by a batch line with that
  value date or earlier, or deposited with a court whose acceptance is dated that day or
  earlier. Refusers stay owed: their part is outstanding but they are not waiting.
- *Waiting*: holders with no answer yet, offered, or accepted and not yet paid — the
  creditors the fund has not reached. Per waiting claim: the amount due and the interest
  accruing per day (the cost of one more day of waiting: share × principal × rate /
  365 or 366, from the interest engine).
- Waiting order (policy, ``BAESANG_WAITING_POLICY``): ``earliest_final`` (default: earliest
  final judgment first, then case number and plaintiff number) or ``oldest_living`` (living
  victims by birth date, oldest first; then the others by earliest final judgment).
- Money figures of the fund report come from the ledger (so they reconcile with it);
  claim counts are by the claims' current states.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

from django.conf import settings
from django.db.models import Case, F, IntegerField, Value, When

from baesang.calc.interest import round_won
from baesang.cases.holdings import holder_parts
from baesang.cases.models import BatchLine, ClaimHolding, CourtDeposit, IndemnityClaim, Offer, PaymentBatch
from baesang.donations.selectors import fund_position
from baesang.judgments.models import Claim, ClaimSegment, Person
from baesang.judgments.orders import claim_amount_due, claim_interest_per_day, rounding_policy
from baesang.ledger import accounts
from baesang.ledger.errors import AccountNotFound
from baesang.ledger.selectors import account_balance

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


def _settled_by(holding_ids: list[int], as_of: date) -> dict[int, str]:
    """Holdings settled on or before ``as_of``, and how (paid / deposited)."""
    settled: dict[int, str] = {}
    for start in range(0, len(holding_ids), CHUNK):
        chunk = holding_ids[start:start + CHUNK]
        for holding_id in BatchLine.objects.filter(holding_id__in=chunk, state=BatchLine.PAID,
                                                   resolved_on__lte=as_of).values_list("holding_id", flat=True):
            settled[holding_id] = ClaimHolding.PAID
        for holding_id in CourtDeposit.objects.filter(
                holding_id__in=chunk, state__in=(CourtDeposit.ACCEPTED,),
                decided_on__lte=as_of).values_list("holding_id", flat=True):
            settled[holding_id] = ClaimHolding.DEPOSITED
    return settled


def claim_figures(*, claims: Iterable[Claim] | None = None, as_of: date) -> list[ClaimFigure]:
    """Figures of many claims on ``as_of``, a few queries in all (claims before their interest
    starts on ``as_of`` are left out)."""
    query = Claim.objects.select_related("judgment", "victim").order_by("pk")
    if claims is not None:
        query = query.filter(pk__in=[c.pk for c in claims])
    rows = list(query)
    ids = [c.pk for c in rows]
    segments: dict[int, list] = defaultdict(list)
    holdings: dict[int, list] = defaultdict(list)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        for segment in ClaimSegment.objects.filter(claim_id__in=chunk).order_by("claim_id", "position"):
            segments[segment.claim_id].append(segment)
        for holding in ClaimHolding.objects.filter(claim_id__in=chunk, superseded_at__isnull=True).values_list(
                "pk", "claim_id", "holder_id", "holder__name_hangul", "share_numerator", "share_denominator",
                "state").order_by("pk"):
            holdings[holding[1]].append(holding)
    settled = _settled_by([h[0] for hs in holdings.values() for h in hs], as_of)
    figures = []
    for claim in rows:
        claim._prefetched_objects_cache = {"segments": segments[claim.pk]}
        if not segments[claim.pk] or segments[claim.pk][0].start > as_of:
            continue
        due = claim_amount_due(claim, as_of, sheet=False)
        figure = ClaimFigure(claim=claim, as_of=as_of, total_due=due.total, interest_due=due.interest,
                             per_day=claim_interest_per_day(claim, as_of))
        shares = {h[0]: Fraction(h[4], h[5]) for h in holdings[claim.pk]}
        parts = holder_parts(due, shares) if shares else {}
        for pk, _claim_id, person_id, name, num, den, state in holdings[claim.pk]:
            how = settled.get(pk)
            effective = state
            if state in (ClaimHolding.PAID, ClaimHolding.DEPOSITED) and how is None:
                # settled after as_of: on that day the holder had accepted (paid) or refused (deposited)
                effective = ClaimHolding.ACCEPTED if state == ClaimHolding.PAID else ClaimHolding.REFUSED
            figure.holders.append(HolderFigure(
                holding_id=pk, person_id=person_id, name=name, share=Fraction(num, den), state=effective,
                principal=parts[pk].principal, interest=parts[pk].interest, settled=how is not None))
        figures.append(figure)
    return figures


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
    rows = []
    for rank, figure in enumerate(figures, 1):
        claim = figure.claim
        rows.append(WaitingClaim(
            rank=rank, claim_id=claim.pk, case_number=claim.judgment.case_number, position=claim.position,
            victim_name=claim.victim.name_hangul, victim_living=claim.victim.death_date is None,
            victim_birth_date=claim.victim.birth_date, final_on=claim.judgment.final_on, state=claim.state,
            amount_due=figure.waiting, interest_per_day=figure.waiting_per_day))
    return WaitingList(as_of=as_of, policy=policy, claims=rows, total_due=sum(r.amount_due for r in rows),
                       interest_per_day=sum((r.interest_per_day for r in rows), Fraction(0)))


# --------------------------------------------------------------------------- claims


def claims_by_state() -> dict[str, int]:
    """How many claims are in each state (current states)."""
    counts = {state: 0 for state, _ in Claim.STATE_CHOICES}
    for state in Claim.objects.order_by().values_list("state", flat=True):
        counts[state] += 1
    return counts


def claims_list(*, as_of: date, state: str | None = None) -> list[dict]:
    """Claims with what is still owed on them on ``as_of`` and their current holders."""
    query = Claim.objects.all()
    if state:
        query = query.filter(state=state)
    result = []
    for figure in claim_figures(claims=list(query), as_of=as_of):
        claim = figure.claim
        result.append({
            "id": claim.pk, "case_number": claim.judgment.case_number, "victim_name": claim.victim.name_hangul,
            "state": claim.state, "amount_due": figure.outstanding,
            "holders": [{"name": h.name, "share": _share_text(h.share)} for h in figure.holders]})
    result.sort(key=lambda row: (row["case_number"], row["id"]))
    return result


def claim_detail(*, claim_id: int, as_of: date) -> dict:
    """Everything about one claim: the judgment, the order, the calculation sheet on
    ``as_of``, the holders now and before, offers, consents, deposits, payments, indemnity."""
    claim = Claim.objects.select_related("judgment__court", "judgment__debtor", "victim", "plaintiff").get(pk=claim_id)
    due = claim_amount_due(claim, as_of)
    figure = claim_figures(claims=[claim], as_of=as_of)[0]
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
        "victim_living": claim.victim.death_date is None, "state": claim.state, "principal": claim.principal,
        "segments": [{"start": s.start.isoformat(), "end": s.end.isoformat() if s.end else None,
                      "rate": format(s.rate.normalize(), "f")} for s in claim.segments.order_by("position")],
        "as_of": as_of.isoformat(), "calculation": due.as_json(), "outstanding": figure.outstanding,
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


def fund_report(*, as_of: date) -> dict:
    """The fund report of ``baesang report fund``: money from the ledger, owed from the claims.

    Keys: donations_received, paid, deposits_held, balance, reserved, available,
    owed_waiting, interest_per_day (whole won, by the rounding policy), claims (counts by
    state, and ``waiting``: claims on the waiting list).
    """

    position = fund_position(as_of=as_of)
    donations = _ledger_balance(accounts.DONATIONS_RESTRICTED, as_of) + _ledger_balance(
        accounts.DONATIONS_UNRESTRICTED, as_of)
    paid = _ledger_balance(accounts.JUDGMENT_PAYMENTS_EXPENSE, as_of) + _ledger_balance(
        accounts.JUDGMENT_PAYMENTS_UNRESTRICTED_EXPENSE, as_of)
    waiting = claims_waiting(as_of=as_of)
    counts = claims_by_state()
    counts["waiting"] = len(waiting.claims)
    counts["total"] = sum(v for k, v in counts.items() if k != "waiting")
    return {
        "as_of": as_of.isoformat(),
        "donations_received": donations,
        "paid": paid,
        "deposits_held": position.deposits_held,
        "balance": position.bank_balance,
        "reserved": position.reserved,
        "available": position.available,
        "owed_waiting": waiting.total_due,
        "interest_per_day": round_won(waiting.interest_per_day, rounding_policy()),
        "claims": counts,
    }


def paid_total(*, as_of: date | None = None) -> int:
    """What the payment lines say was paid (to reconcile with the ledger's judgment payments)."""
    query = BatchLine.objects.filter(state=BatchLine.PAID)
    if as_of is not None:
        query = query.filter(resolved_on__lte=as_of)
    return sum(query.values_list("amount", flat=True))


# --------------------------------------------------------------------------- batches


def batches_list(*, state: str | None = None) -> list[dict]:
    query = PaymentBatch.objects.select_related("prepared_by", "approved_by").order_by("-pk")
    if state:
        query = query.filter(state=state)
    return [{"id": b.pk, "payment_date": b.payment_date.isoformat(), "state": b.state, "lines": b.line_count,
             "total": b.total_amount, "prepared_by": b.prepared_by.get_username(),
             "approved_by": b.approved_by.get_username() if b.approved_by else None} for b in query]


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
            "export_sha256": batch.export_sha256 or None, "by_state": states}


def deposits_list(*, state: str | None = None) -> list[dict]:
    query = CourtDeposit.objects.select_related("court", "holding__holder", "holding__claim__judgment").order_by("pk")
    if state:
        query = query.filter(state=state)
    return [{"id": d.pk, "claim": d.holding.claim_id, "case_number": d.holding.claim.judgment.case_number,
             "holder": d.holding.holder.name_hangul, "court": d.court.name, "filed_on": d.filed_on.isoformat(),
             "amount": d.amount, "state": d.state, "decided_on": d.decided_on.isoformat() if d.decided_on else None}
            for d in query]


def indemnity_totals() -> dict[str, dict[str, int]]:
    """Open indemnity claims per debtor: amount and the earliest limitation date."""
    totals: dict[str, dict] = {}
    for code, amount, limit in IndemnityClaim.objects.filter(state=IndemnityClaim.OPEN).values_list(
            "debtor__code", "amount", "limitation_on"):
        entry = totals.setdefault(code, {"amount": 0, "claims": 0, "earliest_limitation": limit.isoformat()})
        entry["amount"] += amount
        entry["claims"] += 1
        entry["earliest_limitation"] = min(entry["earliest_limitation"], limit.isoformat())
    return totals


__all__ = ["POLICIES", "ClaimFigure", "UnknownPolicy", "WaitingList", "batch_detail", "batches_list",
           "claim_detail", "claim_figures", "claims_by_state", "claims_list", "claims_waiting", "deposits_list",
           "fund_report", "indemnity_totals", "paid_total", "waiting_order_by", "waiting_policy"]


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
