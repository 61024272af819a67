"""Complementary suppression: no withheld count of the public pages can be worked out by adding
or subtracting published ones.

The attack here is written independently of :mod:`baesang.public.suppression`: it knows only
what a reader knows — the published counts, the table structure (claims by state add up to
all claims; claims paid at least once = claims paid in full + claims paid in part; a
forecast's monthly claims paid plus those still waiting add up to the claims it takes in)
and, as the obvious guess, that a count nobody publishes is zero when it is zero. It tries
every combination of the relations with signs +1, −1 or 0 (every chain of additions and
subtractions of whole tables) and reports each combination that isolates one withheld count,
or a group of withheld counts adding up to between 1 and 4 claims.
"""

from __future__ import annotations

import io
import itertools
import re
from datetime import date

import pytest
from django.core.management import call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from baesang.public import claims as public_claims
from baesang.public import selectors
from baesang.public.selectors import PAGE_STATES
from baesang.public.suppression import MIN_CLAIMS, Relation, derivable, suppress

STATES = PAGE_STATES


def attack(published: dict[str, int | None], truth: dict[str, int], relations: list[tuple[str, list[str]]],
           *, grand_total: int | None = None) -> list[str]:
    """Every signed combination of the relations; ``published`` maps a cell to its shown
    value (None: withheld); cells absent from it are never published (known only when 0)."""
    known = {c: v for c, v in published.items() if v is not None}
    for cell, value in truth.items():
        if cell not in published and value == 0:
            known[cell] = 0
    found = []
    for signs in itertools.product((-1, 0, 1), repeat=len(relations)):
        if not any(signs):
            continue
        coefficients: dict[str, int] = {}
        for sign, (total, parts) in zip(signs, relations, strict=True):
            for part in parts:
                coefficients[part] = coefficients.get(part, 0) + sign
            coefficients[total] = coefficients.get(total, 0) - sign
        constant = -sum(coefficient * known[c] for c, coefficient in coefficients.items() if c in known)
        unknown = {c: k for c, k in coefficients.items() if c not in known and k != 0}
        if len(unknown) == 1:
            (cell, k), = unknown.items()
            if constant % k == 0 and (cell in published or 0 < truth[cell] < MIN_CLAIMS):
                found.append(f"{cell} = {constant // k} by {signs}")
        elif unknown and len(set(unknown.values())) == 1 and abs(next(iter(unknown.values()))) == 1:
            group = constant * next(iter(unknown.values()))
            if 0 < group < MIN_CLAIMS and group != grand_total:
                found.append(f"{' + '.join(sorted(unknown))} = {group} by {signs}")
    return found


PAGE_RELATIONS = [
    ("claims", [f"state.{s}" for s in STATES]),
    ("paid", ["state.paid", "paid.in_part"]),
]


def page_cells(by_state: dict[str, int], claims_paid: int) -> tuple[dict, dict]:
    """(published, truth) of the public page for these counts, through the selector."""
    cells = selectors.claim_count_cells(by_state=by_state, claims_paid=claims_paid)
    truth = dict(cells.values)
    truth.setdefault("paid.in_part", 0)
    published = {c: (None if c in cells.withheld else truth[c]) for c in ["claims", "paid"] +
                 [f"state.{s}" for s in STATES]}
    return published, truth


def relations_for(truth: dict) -> list[tuple[str, list[str]]]:
    if "paid.otherwise" in truth:
        return [PAGE_RELATIONS[0], ("state.paid", ["paid", "paid.otherwise"])]
    return PAGE_RELATIONS


def check_page(by_state: dict[str, int], claims_paid: int) -> dict:
    published, truth = page_cells(by_state, claims_paid)
    assert published["claims"] == sum(by_state.values())  # the total of all claims is always shown
    for cell, value in truth.items():
        if cell in published and 0 < value < MIN_CLAIMS and cell != "claims":
            assert published[cell] is None, f"{cell} = {value} is fewer than five and published"
    found = attack(published, truth, relations_for(truth), grand_total=truth["claims"])
    assert not found, f"derivable from the published counts: {found}"
    return published


def test_the_example_of_the_issue_fourteen_claims_ten_paid_four_refused():
    # 14 claims − 10 paid − zeros = 4 refused: the refused count alone is not enough.
    counts = dict.fromkeys(STATES, 0) | {"paid": 10, "refused": 4}
    published = check_page(counts, claims_paid=10)
    assert published["state.refused"] is None
    assert published["state.paid"] is None and published["paid"] is None  # the only other non-zero counts
    assert published["claims"] == 14


def test_a_second_small_count_can_protect_the_first_when_together_they_reach_five():
    counts = dict.fromkeys(STATES, 0) | {"paid": 10, "refused": 3, "deposited": 2}
    published = check_page(counts, claims_paid=10)
    assert published["state.refused"] is None and published["state.deposited"] is None
    assert published["state.paid"] == 10 and published["paid"] == 10  # 3 + 2 = 5 claims: no group of < 5


def test_a_group_of_fewer_than_five_is_protected_by_the_smallest_other_count():
    counts = dict.fromkeys(STATES, 0) | {"paid": 6, "deposited": 1, "registered": 5}
    published = check_page(counts, claims_paid=6)
    assert published["state.deposited"] is None and published["state.registered"] is None
    assert published["state.paid"] == 6


def test_claims_paid_in_part_are_protected_too():
    # Seven claims paid at least once, five of them in full: two paid in part, a hidden count.
    counts = dict.fromkeys(STATES, 0) | {"paid": 5, "accepted": 9}
    published = check_page(counts, claims_paid=7)
    assert published["paid"] is None or published["state.paid"] is None


def test_nothing_is_withheld_without_a_small_count():
    counts = dict.fromkeys(STATES, 0) | {"paid": 6, "registered": 5, "accepted": 12}
    published = check_page(counts, claims_paid=6)
    assert all(value is not None for value in published.values())


def test_a_table_of_fewer_than_five_claims_in_all():
    counts = dict.fromkeys(STATES, 0) | {"paid": 3}
    published = check_page(counts, claims_paid=3)
    assert published["claims"] == 3 and published["state.paid"] is None
    assert sum(1 for value in published.values() if value is None) >= 2


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 12), min_size=len(STATES), max_size=len(STATES)), st.integers(0, 6), st.booleans())
def test_no_combination_of_published_counts_reveals_a_withheld_one(numbers, other, paid_in_part):
    counts = dict(zip(STATES, numbers, strict=True))
    claims_paid = counts["paid"] + other if paid_in_part else max(0, counts["paid"] - other)
    check_page(counts, claims_paid)


def test_the_engine_finds_cross_table_derivations():
    # a + b = 10 and a + c = 7 with b, c published would give a; with a, b, c all unknown it does not.
    relations = [Relation("t1", ("a", "b")), Relation("t2", ("a", "c"))]
    assert derivable(relations, ["a"]) == {"a"}
    assert derivable(relations, ["a", "b", "c"]) == set()
    assert derivable([Relation("t1", ("a", "b")), Relation("t2", ("b",))], ["a", "b"]) == {"a", "b"}
    withheld = suppress({"t1": 10, "a": 3, "b": 7, "t2": 10, "c": 7}, relations, always={"t1", "t2"})
    assert {"a", "b", "c"} <= withheld


# ---------------------------------------------------------------------------------------
# The forecast's monthly table


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 7), min_size=1, max_size=8), st.integers(0, 9))
def test_no_forecast_month_can_be_worked_out(paid_per_month, waiting_at_end):
    class Month:
        def __init__(self, paid_claims):
            self.paid_claims = paid_claims

    class Result:
        months = [Month(n) for n in paid_per_month]
        claims_waiting_at_end = waiting_at_end

    cells = selectors.forecast_count_cells(Result())
    names = [f"forecast.month.{i}" for i in range(len(paid_per_month))]
    truth = dict(cells.values)
    published = {c: (None if c in cells.withheld else truth[c]) for c in [*names, selectors.FORECAST_END]}
    published[selectors.FORECAST_CLAIMS] = truth[selectors.FORECAST_CLAIMS]  # a reader may know it
    for cell in names + [selectors.FORECAST_END]:
        if 0 < truth[cell] < MIN_CLAIMS:
            assert published[cell] is None
    found = attack(published, truth, [(selectors.FORECAST_CLAIMS, [*names, selectors.FORECAST_END])],
                   grand_total=truth[selectors.FORECAST_CLAIMS])
    assert not found


# ---------------------------------------------------------------------------------------
# The real pages: the test foundation and the demo foundation


def published_of_summary(summary: selectors.PublicSummary) -> dict[str, int | None]:
    published: dict[str, int | None] = {"claims": summary.claims_total.count}
    for state, figure in summary.claims_by_state.items():
        published[f"state.{state}"] = None if figure.withheld else figure.count
    published["paid"] = None if summary.paid.withheld else summary.paid.count
    return published


def truth_of_database() -> dict[str, int]:
    counts = public_claims.claim_counts()
    truth = {f"state.{s}": counts.get(s, 0) for s in STATES}
    truth["claims"] = sum(truth.values())
    truth["paid"] = public_claims.claims_paid()
    if truth["paid"] >= truth["state.paid"]:
        truth["paid.in_part"] = truth["paid"] - truth["state.paid"]
    else:
        truth["paid.otherwise"] = truth["state.paid"] - truth["paid"]
    return truth


def attack_the_page(client) -> tuple[dict, str]:
    summary = selectors.public_summary(as_of=date.today())
    published = published_of_summary(summary)
    truth = truth_of_database()
    found = attack(published, truth, relations_for(truth), grand_total=truth["claims"])
    assert not found, f"derivable on the public page: {found}"
    # A card shown only for five claims or more tells its count is not 1–4: it must not be
    # shown while a state count it stands for is withheld.
    if published["state.deposited"] is None:
        assert summary.deposits_held.withheld
    if any(published[f"state.{s}"] is None for s in ("registered", "offered", "accepted")):
        assert summary.waiting.withheld
    if published["paid"] is None:
        assert summary.paid.amount is None
        assert all(point is None for point in summary.history.get("paid", []))  # the chart goes with the card
    if summary.waiting.withheld and summary.history:
        assert summary.history["owed_waiting"][-1] is None
    english = client.get("/public/?lang=en").content.decode()
    # What the page shows is what the attack was given: a withheld state shows no number.
    for state, label in (("registered", "Registered, no offer yet"), ("offered", "Offered, no answer yet"),
                         ("accepted", "Accepted, waiting for payment"), ("refused", "Refused"),
                         ("deposited", "Settled by court deposit"), ("paid", "Paid")):
        cell = re.search(rf"<td>{re.escape(label)}</td><td class=\"num\">(.*?)</td>", english).group(1)
        value = published[f"state.{state}"]
        assert cell == (f"{value:,}" if value is not None else '<span class="withheld">withheld</span>'), state
    return published, english


@pytest.mark.django_db
def test_the_test_foundation_page_resists_every_subtraction(client, foundation):
    # Ten claims: six paid, one deposited, three never answered. 10 − 6 would give the four
    # claims deposited or unanswered, so the paid count is withheld with them.
    published, english = attack_the_page(client)
    assert published["state.registered"] is None and published["state.deposited"] is None
    assert published["state.paid"] is None and published["paid"] is None
    assert published["claims"] == 10 and published["state.refused"] == 0


@pytest.mark.django_db
def test_the_demo_foundation_page_and_forecast_resist_every_subtraction(client):
    call_command("demo", "load", stdout=io.StringIO())
    attack_the_page(client)
    page = selectors.public_forecast(as_of=date.today(), months=24)
    assert page.result is not None
    cells = selectors.forecast_count_cells(page.result)
    names = [f"forecast.month.{i}" for i in range(len(page.rows))]
    published = {name: row["paid_claims"] for name, row in zip(names, page.rows, strict=True)}
    published[selectors.FORECAST_END] = None if page.waiting_at_end_withheld else page.result.claims_waiting_at_end
    published[selectors.FORECAST_CLAIMS] = cells.values[selectors.FORECAST_CLAIMS]
    found = attack(published, cells.values, [(selectors.FORECAST_CLAIMS, [*names, selectors.FORECAST_END])],
                   grand_total=cells.values[selectors.FORECAST_CLAIMS])
    assert not found
    for row in page.rows:
        if row["paid_claims"] is None:
            assert row["paid_amount"] is None  # the amount goes with its count


def test_the_attack_finds_what_the_five_claim_rule_alone_leaves_open():
    # The rule before complementary suppression: only the cells under five withheld.
    counts = dict.fromkeys(STATES, 0) | {"paid": 10, "refused": 4}
    truth = {f"state.{s}": counts[s] for s in STATES} | {"claims": 14, "paid": 10, "paid.in_part": 0}
    published = {c: (None if 0 < v < MIN_CLAIMS else v) for c, v in truth.items() if c != "paid.in_part"}
    assert "state.refused = 4 by (1, 0)" in attack(published, truth, PAGE_RELATIONS, grand_total=14)
    # Two small cells together: neither alone, but their group of four claims.
    truth = {f"state.{s}": 0 for s in STATES} | {"state.paid": 6, "state.registered": 3, "state.deposited": 1,
                                                 "claims": 10, "paid": 6, "paid.in_part": 0}
    published = {c: (None if 0 < v < MIN_CLAIMS else v) for c, v in truth.items() if c != "paid.in_part"}
    assert any(" = 4 by " in found for found in attack(published, truth, PAGE_RELATIONS, grand_total=10))
