"""The forecast fed from the records: waiting list, pledges, pending lawsuits; the command and
the page; audited staff edits of pending lawsuits."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from tests_public_support import personal_strings

from baesang.calc.interest import amount_due
from baesang.core.models import AuditEvent
from baesang.donations import services as donations
from baesang.donations.selectors import fund_position
from baesang.public import forecasting
from baesang.public.models import PendingLawsuit
from baesang.public.services import PendingLawsuitInvalid, pending_lawsuit_delete, pending_lawsuit_save

AS_OF = date(2025, 6, 1)


def run_json(capsys, *args) -> dict:
    call_command("forecast", "--as-of", AS_OF.isoformat(), "--json", *args)
    return json.loads(capsys.readouterr().out)


@pytest.mark.django_db
def test_inputs_come_from_the_records(foundation):
    treasurer = foundation.staff["finance"]
    donor = donations.donor_create(name="약정기업", kind="company", country="KR", user=treasurer)
    donations.pledge_create(donor=donor, amount=1_500_000_000, pledged_on=date(2025, 1, 10),
                            expected_on=date(2025, 9, 1), user=treasurer)
    donations.pledge_create(donor=donor, amount=7, pledged_on=date(2025, 1, 10), user=treasurer)  # no expected date
    pending_lawsuit_save(actor="system", lawsuit=PendingLawsuit(
        description="광주고법 2024나0000", count=3, award_per_claim=150_000_000,
        expected_final_on=date(2025, 12, 15), interest_from=date(2019, 6, 10)))
    gathered = forecasting.forecast_input(as_of=AS_OF, months=12)
    data = gathered.input
    # Three claims never answered wait, in order of the judgment (plaintiff numbers 8, 9, 10).
    assert [w.key for w in data.waiting] == [f"claim {c.pk}" for c in foundation.claims[7:]]
    assert all(w.share == 1 for w in data.waiting)
    # Opening fund: 4,005,000,000 donated less the six payments and the deposit.
    assert data.opening_fund == fund_position(as_of=AS_OF).available
    assert [(p.on, p.amount) for p in data.pledges] == [(date(2025, 9, 1), 1_500_000_000)]
    assert "1 open pledge(s) without an expected date" in gathered.notes[0]
    # A blank rate: the Litigation Promotion Act rate in force on 2019-06-10 is 12 %.
    (suit,) = data.pending
    assert (suit.count, suit.award, suit.rate) == (3, 150_000_000, Decimal("12"))


@pytest.mark.django_db
def test_the_command_computes_the_waiting_claims_amounts(foundation, capsys, tmp_path):
    data = run_json(capsys, "--months", "2")
    june = data["months"][0]
    # Each waiting claim: 100,000,000 won at 20 % from 2013-06-19, owed on 2025-06-30; the
    # fund (about 1.9 bn won) pays all three on the first payment day.
    order = forecasting.forecast_input(as_of=AS_OF, months=1).input.waiting[0].order
    owed_one = amount_due(order, date(2025, 6, 30)).total
    assert june["paid_claims"] == 3 and june["paid_amount"] == 3 * owed_one
    assert june["fund_balance"] == fund_position(as_of=AS_OF).available - 3 * owed_one
    # June's waiting costs 30 days per claim; 2025-06-19 starts the 13th year of interest and
    # both one-year blocks around it have 365 days: 3 × 100,000,000 × 0.20 × 30 / 365.
    assert june["interest_cost"] == 3 * 100_000_000 * 20 * 30 // (100 * 365) == 4_931_506
    assert data["clear_now"] == {"donation": 0, "cleared_on": "2025-06-30"}

    # Ten more claims of a pending lawsuit (150,000,000 won at 12 % from 2019-06-10) final on
    # 2025-07-10 exhaust the fund; a scenario donation of the clearing amount pays them all.
    pending_lawsuit_save(actor="system", lawsuit=PendingLawsuit(
        description="pending", count=10, award_per_claim=150_000_000, expected_final_on=date(2025, 7, 10),
        interest_from=date(2019, 6, 10)))
    short = run_json(capsys, "--months", "3")
    assert short["claims_waiting_at_end"] > 0 and short["months"][2]["shortfall"] > 0
    donation = short["clear_within_horizon"]["donation"]
    scenario = tmp_path / "scenario.json"
    scenario.write_text(json.dumps({"name": "defendants pay", "donations": [
        {"date": AS_OF.isoformat(), "amount": donation, "label": "Japanese defendants contribute"}]}))
    cleared = run_json(capsys, "--months", "3", "--scenario", str(scenario))
    assert cleared["claims_waiting_at_end"] == 0 and cleared["clear_within_horizon"]["donation"] == 0
    scenario.write_text(json.dumps([{"date": AS_OF.isoformat(), "amount": donation - 1}]))
    assert run_json(capsys, "--months", "3", "--scenario", str(scenario))["claims_waiting_at_end"] == 1
    text = json.dumps(cleared, ensure_ascii=False)
    assert not [s for s in personal_strings(foundation) if s in text]


@pytest.mark.django_db
def test_bad_scenario_files_are_refused_naming_the_entry(foundation, tmp_path):
    scenario = tmp_path / "bad.json"
    scenario.write_text(json.dumps([{"date": "2025-07-10", "amount": 5}, {"date": "2025-07-10", "amount": -1}]))
    with pytest.raises(CommandError, match="scenario entry 2: 'amount'") as caught:
        call_command("forecast", "--as-of", AS_OF.isoformat(), "--scenario", str(scenario))
    assert caught.value.returncode == 2
    with pytest.raises(CommandError, match="--months"):
        call_command("forecast", "--months", "0")


@pytest.mark.django_db
def test_human_output_in_both_languages(foundation, capsys):
    call_command("forecast", "--as-of", AS_OF.isoformat(), "--months", "2")
    korean = capsys.readouterr().out
    call_command("forecast", "--as-of", AS_OF.isoformat(), "--months", "2", "--lang", "en")
    english = capsys.readouterr().out
    assert "재원 전망" in korean and "2025-07" in korean
    assert "Funding forecast" in english and "Least extra donation today" in english


@pytest.mark.django_db
def test_the_forecast_page_withholds_figures_about_fewer_than_five_claims(client, foundation):
    page = client.get("/public/forecast/?months=3").content.decode()
    # Three waiting claims: the amounts owed and the clearing donations are withheld.
    assert page.count("비공개") >= 3 and "5건 미만" in page
    assert "<svg" in page


@pytest.mark.django_db
def test_pending_lawsuit_edits_are_checked_and_audited(db):
    lawsuit = PendingLawsuit(description="suit", count=0, award_per_claim=1, expected_final_on=date(2025, 1, 1),
                             interest_from=date(2025, 1, 1))
    with pytest.raises(PendingLawsuitInvalid) as caught:
        pending_lawsuit_save(actor="system", lawsuit=lawsuit)
    assert [e.field for e in caught.value.errors] == ["count"] and not PendingLawsuit.objects.exists()
    lawsuit.count = 2
    pending_lawsuit_save(actor="system", lawsuit=lawsuit)
    lawsuit.rate = Decimal("20")
    pending_lawsuit_save(actor="system", lawsuit=lawsuit)
    change = AuditEvent.objects.get(action="pending_lawsuit.change")
    assert change.old["rate"] is None and change.new["rate"] == "20"
    pending_lawsuit_delete(actor="system", lawsuit=lawsuit)
    assert AuditEvent.objects.filter(action__startswith="pending_lawsuit.").count() == 3
