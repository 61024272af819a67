"""The whole waiting list streamed (issue 13): :func:`claims_waiting_iter` walks the waiting order by
keyset a chunk of claims at a time and gives the rows of :func:`claims_waiting` — same claims,
order, ranks and figures — under both policies, whatever the chunk; the spreadsheet export and
``claims waiting`` (text and JSON) write what they wrote from the whole list."""

from __future__ import annotations

import json
from datetime import date
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db.models import Max

from baesang.cases import exports, holdings
from baesang.cases.selectors import POLICIES, claim_figures, claims_waiting, claims_waiting_iter, waiting_orders_iter
from baesang.core import spreadsheets
from baesang.judgments import services as registry
from baesang.judgments.models import Claim, Judgment
from baesang.judgments.orders import claim_order, rounding_policy

DAYS = [date(2019, 6, 1), date(2023, 3, 6), date(2024, 1, 2), date(2025, 6, 30)]


@pytest.fixture
def demo(db, tmp_path, settings):
    """The demo foundation with three living victims added (two born on known days, one not), so
    that the oldest-living policy orders the list otherwise than the earliest-final one."""
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("demo", "load", stdout=StringIO())
    case = User.objects.get(username="case")
    judgment = Judgment.objects.get(case_number="2019다246818")
    for born in (date(1930, 5, 1), date(1925, 1, 1), None):
        position = Claim.objects.filter(judgment=judgment).aggregate(Max("position"))["position__max"] + 1
        victim = registry.person_create(name_hangul=f"생존자{position}", birth_date=born, actor=case)
        claim = registry.claim_create(judgment=judgment, position=position, victim=victim, principal=90_000_000,
                                      segments=["2013-06-19:paid:20"], actor=case)
        holdings.claim_holders_plaintiff(claim=claim, actor=case)


def test_the_streamed_list_is_the_whole_list_under_both_policies(demo):
    orders = {}
    for policy in POLICIES:
        for day in DAYS:
            whole = claims_waiting(as_of=day, policy=policy).claims
            for chunk in (1, 3, 2000):
                assert list(claims_waiting_iter(as_of=day, policy=policy, chunk=chunk)) == whole, (policy, day, chunk)
        orders[policy] = [row.claim_id for row in whole]
    # the demo's list is long enough to tell the policies apart (the test could fail)
    assert len(orders["earliest_final"]) >= 5 and orders["earliest_final"] != orders["oldest_living"]


def test_the_forecasts_waiting_orders_are_those_of_the_whole_list(demo):
    for policy in POLICIES:
        for day in DAYS:
            ids = [row.claim_id for row in claims_waiting(as_of=day, policy=policy).claims]
            figures = {f.claim.pk: f for f in claim_figures(claims=Claim.objects.filter(pk__in=ids), as_of=day)}
            expected = [(pk, claim_order(figures[pk].claim), figures[pk].claim.method, figures[pk].waiting_share)
                        for pk in ids]
            for chunk in (1, 3, 2000):
                assert list(waiting_orders_iter(as_of=day, policy=policy, chunk=chunk)) == expected, (policy, day)
    # equal orders (claims of one judgment with the same principal and interest) are one object
    rows = list(waiting_orders_iter(as_of=DAYS[-1]))
    distinct = {id(order) for _, order, _, _ in rows}
    assert len(distinct) == len({order for _, order, _, _ in rows}) < len(rows)


def test_the_spreadsheet_export_writes_what_the_whole_list_wrote(demo):
    day = DAYS[2]
    rounding = rounding_policy()
    whole = spreadsheets.csv_text(exports.WAITING_COLUMNS,
                                  exports.waiting_rows(claims_waiting(as_of=day).claims, rounding))
    streamed = spreadsheets.csv_text(exports.WAITING_COLUMNS,
                                     exports.waiting_rows(claims_waiting_iter(as_of=day, chunk=2), rounding))
    assert streamed == whole and whole.count("\n") > 5


@pytest.mark.parametrize("policy", POLICIES)
def test_claims_waiting_command_prints_the_whole_list(demo, policy):
    day = DAYS[2]
    out = StringIO()
    call_command("claims", "waiting", "--as-of", day.isoformat(), "--policy", policy, "--json", stdout=out)
    assert json.loads(out.getvalue()) == claims_waiting(as_of=day, policy=policy).as_json()
    text = StringIO()
    call_command("claims", "waiting", "--as-of", day.isoformat(), "--policy", policy, stdout=text)
    lines = text.getvalue().splitlines()
    whole = claims_waiting(as_of=day, policy=policy)
    assert len(lines) == len(whole.claims) + 2
    assert [int(line.split(".")[0]) for line in lines[1:-1]] == [row.rank for row in whole.claims]
    assert [int(line.split("claim ")[1].split()[0]) for line in lines[1:-1]] == [row.claim_id for row in whole.claims]
    assert lines[-1].startswith(f"total {whole.total_due:,}")
