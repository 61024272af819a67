"""The claims' figures computed once per distinct judgment order (judgments.orders.OrderMemo)
equal the engine's for each claim alone, and the cached totals (dashboard, fund report, waiting
list) are never stale: a batch posted, a claim registered, a holder change approved each move
them at once, and they equal the computation without the cache."""

from __future__ import annotations

import io
import random
from datetime import date, timedelta
from fractions import Fraction

import pytest
from casework_support import HALF, accept_all, document, fund_donate
from django.core.management import call_command
from django.db import IntegrityError
from hypothesis import given, settings
from hypothesis import strategies as st

from baesang.calc.interest import JudgmentOrder, Payment, Segment, amount_due, interest_per_day
from baesang.cases import holdings, selectors, services
from baesang.cases.holdings import holder_parts
from baesang.cases.models import FiguresCache
from baesang.cases.selectors import (
    _shared_store,
    claim_figures,
    claims_by_state,
    claims_summary,
    claims_waiting,
    fund_report,
    holdings_on,
    waiting_totals,
)
from baesang.core.services import audit_record
from baesang.judgments.models import Claim
from baesang.judgments.orders import OrderMemo, claim_amount_due, claim_interest_per_day, rounding_policy

ORDERS = [
    JudgmentOrder(80_000_000, (Segment(date(2013, 6, 19), None, 20),)),
    JudgmentOrder(100_000_000, (Segment(date(2015, 6, 25), None, 20),)),
    JudgmentOrder(33_333_333, (Segment(date(2013, 6, 19), date(2015, 6, 24), 5), Segment(date(2015, 6, 25), None, 20))),
    JudgmentOrder(1_000_001, (Segment(date(2018, 12, 1), None, 12),)),
]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(range(len(ORDERS))), st.sampled_from(["period", "days"]),
                          st.lists(st.integers(min_value=1, max_value=500_000), max_size=2)),
                min_size=1, max_size=12),
       st.dates(min_value=date(2019, 1, 1), max_value=date(2030, 12, 31)))
def test_the_memo_gives_the_engines_figures_and_runs_it_once_per_order(claims, as_of):
    memo = OrderMemo(as_of)
    for index, method, amounts in claims:
        order = ORDERS[index]
        payments = [Payment(on=date(2019, 1, 1) + timedelta(days=40 * i), amount=a) for i, a in enumerate(amounts)]
        got = memo.amount_due(order, method=method, sheet=False, payments=payments)
        alone = amount_due(order, as_of, method=method, rounding=rounding_policy(), sheet=False, payments=payments)
        assert (got.principal, got.interest, got.total) == (alone.principal, alone.interest, alone.total)
        assert memo.interest_per_day(order) == interest_per_day(order, as_of)
    plain = {(index, method) for index, method, amounts in claims if not amounts}
    with_events = sum(1 for _i, _m, amounts in claims if amounts)
    assert memo.runs == len(plain) + with_events  # once per distinct order; events always run the engine


def _engine_figures(claim_ids: list[int], as_of: date) -> dict[int, tuple]:
    """Each claim's figures the slow way: the engine for that claim alone, then its holders' parts."""
    on = holdings_on(claim_ids, as_of)
    result = {}
    for claim in Claim.objects.filter(pk__in=claim_ids).prefetch_related("segments"):
        if claim.segments.all()[0].start > as_of:
            continue
        due = claim_amount_due(claim, as_of, sheet=False)
        parts = holder_parts(due, {h.holding_id: h.share for h in on[claim.pk]})
        holders = sorted(
            (h.holding_id, h.state, *((h.settled_principal, h.settled_interest) if h.settled_how
                                      else (parts[h.holding_id].principal, parts[h.holding_id].interest)))
            for h in on[claim.pk])
        result[claim.pk] = (due.total, due.interest, claim_interest_per_day(claim, as_of), holders)
    return result


def _random_world(world, rng: random.Random, count: int) -> list:
    claims = []
    for n in range(count):
        heirs = None
        if rng.random() < 0.4:
            heirs = {world.person(f"상속인{n}-{k}").pk: Fraction(1, 3) for k in range(3)}
        order = rng.choice(ORDERS)
        segments = [f"{s.start}:{s.end or 'paid'}:{s.rate}" for s in order.segments]
        claim = world.claim(principal=order.principal, segments=segments, heirs=heirs)
        if rng.random() < 0.6:
            accept_all(world, claim)
        claims.append(claim)
    return claims


def _post_batch(world, payment_date: date, claims) -> None:
    batch = services.batch_prepare(payment_date=payment_date, preparer=world.staff.finance, claims=claims)
    services.batch_approve(batch=batch, approver=world.staff.approver)
    bank_file = services.batch_export(batch=batch, actor=world.staff.finance)
    services.batch_result_import(batch=batch, actor=world.staff.finance, results=[
        services.BankResult(line=int(row.split(",")[0]), amount=int(row.split(",")[-1]), status="paid")
        for row in bank_file.content.splitlines()[1:]])


@pytest.mark.django_db
def test_the_fast_figures_equal_the_engines_per_claim_also_after_payments(world):
    rng = random.Random(20261130)
    fund_donate(50_000_000_000)
    claims = _random_world(world, rng, 16)
    accepted = [c for c in claims if holdings_on([c.pk], date(2023, 4, 1))[c.pk][0].state == "accepted"]
    _post_batch(world, date(2023, 4, 12), accepted[:3])  # paid holders: their figures are what was paid
    ids = [c.pk for c in claims]
    for as_of in (date(2023, 3, 6), date(2023, 4, 12), date(2024, 2, 29), date(2026, 11, 30)):
        slow = _engine_figures(ids, as_of)
        fast = {f.claim.pk: (f.total_due, f.interest_due, f.per_day,
                             sorted((h.holding_id, h.state, h.principal, h.interest) for h in f.holders))
                for f in claim_figures(claims=claims, as_of=as_of)}
        assert fast == slow
        summary = claims_summary(as_of=as_of, chunk=5)  # several chunks
        waiting = claims_waiting(as_of=as_of)
        assert (summary.waiting_claims, summary.waiting_due, summary.waiting_per_day) == (
            len(waiting.claims), waiting.total_due, waiting.interest_per_day)
        assert summary.by_state == claims_by_state(as_of=as_of)


@pytest.mark.django_db
def test_the_summary_is_the_same_when_its_memo_starts_again(world, monkeypatch):
    _random_world(world, random.Random(20261130), 8)
    as_of = date(2024, 2, 29)
    whole = claims_summary(as_of=as_of, chunk=2)
    assert whole.waiting_claims > 0
    monkeypatch.setattr(OrderMemo, "MOST", 0)  # the memo starts again before every result
    assert claims_summary(as_of=as_of, chunk=2) == whole


def _fresh(as_of: date) -> tuple[dict, dict]:
    return fund_report(as_of=as_of, cached=False), waiting_totals(as_of=as_of, cached=False)


def _cached(as_of: date) -> tuple[dict, dict]:
    return fund_report(as_of=as_of), waiting_totals(as_of=as_of)


@pytest.mark.django_db
def test_cached_figures_are_never_stale(world, monkeypatch):
    today = date(2023, 4, 12)
    fund_donate(50_000_000_000)
    first, second = world.claim(), world.claim()
    accept_all(world, first)
    before = _cached(today)
    assert before == _fresh(today)
    assert FiguresCache.objects.count() == 2
    computed = []
    real = selectors.claims_summary
    monkeypatch.setattr(selectors, "claims_summary", lambda **kw: computed.append(kw) or real(**kw))
    assert _cached(today) == before and computed == []  # read from the cache, not computed

    _post_batch(world, today, [first])  # a batch posts: paid moves, owed moves
    after_batch = _cached(today)
    assert after_batch == _fresh(today) != before
    assert after_batch[0]["paid"] > 0 and after_batch[0]["claims"]["paid"] == 1

    third = world.claim()  # a new claim registers
    after_claim = _cached(today)
    assert after_claim == _fresh(today) != after_batch
    assert after_claim[1]["claims"] == after_batch[1]["claims"] + 1

    # A holder change is approved: the second claim passes to two heirs, the offer made before
    # to the plaintiff no longer stands for them (accepted → waiting for an answer).
    accept_all(world, second)
    accepted = _cached(today)
    ruling = document("court_decision", f"heirs of claim {second.pk}", world.staff.case)
    proposal = holdings.holders_propose_document(
        claim=second, shares={world.person("상속인갑").pk: HALF, world.person("상속인을").pk: HALF},
        document=ruling, actor=world.staff.case, valid_from=date(2023, 4, 1))
    holdings.holder_change_approve(proposal=proposal, actor=world.staff.approver)
    after_change = _cached(today)
    assert after_change == _fresh(today) != accepted
    assert after_change[0]["claims"]["accepted"] == accepted[0]["claims"]["accepted"] - 1
    assert third.pk  # registered above


@pytest.mark.django_db
def test_a_creditors_sign_in_or_a_verification_leaves_the_cached_figures_current(world, monkeypatch):
    today = date(2023, 4, 12)
    accept_all(world, world.claim())
    before = _cached(today)
    computed = []
    real = selectors.claims_summary
    monkeypatch.setattr(selectors, "claims_summary", lambda **kw: computed.append(kw) or real(**kw))
    claim = Claim.objects.get()
    for action in selectors.FIGURES_NEUTRAL_ACTIONS:  # rows that change no figure
        audit_record(actor="portal:1", action=action, entity=claim)
    assert _cached(today) == before and computed == []
    # any other action counts as a change (one the list does not know may change figures)
    audit_record(actor=world.staff.case, action="person.update", entity=claim.victim)
    assert _cached(today) == before and len(computed) == 2  # computed again (and equal: nothing moved)


@pytest.mark.django_db
def test_report_refresh_fills_the_cache_for_the_day(world):
    world.claim()
    out = io.StringIO()
    call_command("report", "refresh", "--as-of", "2023-04-12", stdout=out)
    assert "figures of 2023-04-12 ready" in out.getvalue()
    keys = set(FiguresCache.objects.values_list("key", flat=True))
    assert {k.split(":")[0] for k in keys} == {"fund", "waiting", "waiting_first5", "limitation"}
    assert all(":2023-04-12:" in k for k in keys)
    assert fund_report(as_of=date(2023, 4, 12)) == fund_report(as_of=date(2023, 4, 12), cached=False)


@pytest.mark.django_db
def test_a_figure_stored_meanwhile_by_another_process_is_left_and_the_request_goes_on(monkeypatch):
    """Two processes computing the same figures store the same key: the second one's insert meets
    the unique key (IntegrityError); it is left as stored and the request's transaction goes on."""
    FiguresCache.objects.create(key="shared:stale", value="{}")

    def stored_meanwhile(**_kwargs):
        raise IntegrityError('duplicate key value violates unique constraint "cases_figurescache_key_key"')

    monkeypatch.setattr(FiguresCache.objects, "update_or_create", stored_meanwhile)
    _shared_store("shared:new", {"by": "this process"}, stale=FiguresCache.objects.filter(key="shared:stale"))
    # the attempt's savepoint was rolled back (the stale entry is still there) and queries go on
    assert FiguresCache.objects.filter(key="shared:stale").exists()
    assert not FiguresCache.objects.filter(key="shared:new").exists()
