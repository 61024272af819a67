"""The staff commands: a case officer and a finance officer take a claim from judgment to
payment, refusal and court deposit from the command line; errors go to stderr with status 2."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from io import StringIO

import pytest
from casework_support import fund_donate
from django.core.management import call_command
from django.core.management.base import CommandError
from operator_support import run_as

from baesang.cases.models import BatchLine, ClaimHolding, CourtDeposit, Offer
from baesang.judgments.models import Claim, Person


def run(*args) -> str:
    """Run a command; with ``--user NAME`` it runs as NAME, authenticated by NAME's API token
    (and a fresh second-factor code for an approval), ``--user`` being only a cross-check."""
    if "--user" in args:
        username = args[args.index("--user") + 1]
        return run_as(username, *args, otp=args[:2] == ("batch", "approve"))
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_from_judgment_to_paid_claim_refusal_and_deposit(staff, tmp_path, django_capture_on_commit_callbacks):
    fund_donate(2_000_000_000)
    run("judgment", "add", "--case-number", "2013다61381", "--court", "대법원", "--debtor", "NSC",
        "--debtor-name", "일본제철", "--decided", "2018-10-30", "--final", "2018-10-30", "--plaintiffs", "2",
        "--user", "case")
    run("person", "add", "--hangul", "박순이", "--roman", "Park Sun-i", "--born", "1925-01-01",
        "--bank-name", "은행", "--bank-account", "111-222-333", "--user", "case")
    run("person", "add", "--hangul", "김거부", "--born", "1926-02-02", "--user", "case")
    found = json.loads(run("person", "find", "Pak Suni", "--json"))
    assert [p["name_hangul"] for p in found] == ["박순이"]
    payee, refuser = Person.objects.get(name_hangul="박순이"), Person.objects.get(name_hangul="김거부")
    for position, person in ((1, payee), (2, refuser)):
        run("claim", "add", "--judgment", "2013다61381", "--position", str(position), "--victim", str(person.pk),
            "--principal", "100000000", "--segment", "2013-06-19:paid:20", "--user", "case")
        claim = Claim.objects.get(position=position)
        run("claim", "holders", str(claim.pk), "--plaintiff", "--user", "case")
        run("claim", "offer", str(claim.pk), "--on", "2023-03-16", "--user", "case")
    paid_claim, refused_claim = Claim.objects.get(position=1), Claim.objects.get(position=2)
    form = tmp_path / "signed.pdf"
    form.write_bytes(b"signed consent form")
    offer = Offer.objects.get(holding__claim=paid_claim)
    run("claim", "accept", str(offer.pk), "--on", "2023-03-20", "--identity", "id_card_in_person",
        "--capacity", "self", "--witness", "직원", "--form", str(form), "--user", "case")
    run("claim", "refuse", str(Offer.objects.get(holding__claim=refused_claim).pk), "--on", "2023-03-20",
        "--user", "case")

    assert "prepared" in run("batch", "prepare", "--date", "2023-04-12", "--user", "finance")
    batch_id = json.loads(run("batch", "list", "--json"))[0]["id"]
    with pytest.raises(CommandError, match="needs the approver role"):
        run("batch", "approve", str(batch_id), "--user", "finance")
    run("batch", "approve", str(batch_id), "--user", "approver")
    bank_file = tmp_path / "bank.csv"
    with django_capture_on_commit_callbacks(execute=True):  # the file is written once the export commits
        run("batch", "export", str(batch_id), "--out", str(bank_file), "--user", "finance")
    rows = bank_file.read_text().splitlines()
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []  # moved in place
    line_id, amount = rows[1].split(",")[0], rows[1].split(",")[-1]
    result = tmp_path / "result.csv"
    result.write_text(f"line,amount,status,bank_reference,reason\n{line_id},{amount},paid,B-1,\n")
    assert "1 paid" in run("batch", "import", str(batch_id), str(result), "--user", "finance")
    assert BatchLine.objects.get().state == BatchLine.PAID

    holding = ClaimHolding.objects.get(claim=refused_claim)
    run("deposit", "file", "--holding", str(holding.pk), "--court", "광주지방법원", "--on", "2023-07-03",
        "--user", "case")
    deposit = CourtDeposit.objects.get()
    run("deposit", "decide", str(deposit.pk), "--outcome", "refused", "--on", "2023-07-04", "--user", "case")
    deposit.refresh_from_db()
    assert deposit.state == CourtDeposit.REFUSED

    listed = json.loads(run("claims", "list", "--json", "--as-of", "2023-07-04"))
    assert [(c["id"], c["state"]) for c in listed] == [(paid_claim.pk, "paid"), (refused_claim.pk, "refused")]
    assert set(listed[0]) == {"id", "case_number", "victim_name", "state", "amount_due", "holders", "limitation"}
    assert listed[0]["amount_due"] == 0 and listed[1]["holders"] == [{"name": "김거부", "share": "1/1"}]
    assert json.loads(run("claims", "list", "--json", "--state", "paid"))[0]["victim_name"] == "박순이"
    report = json.loads(run("report", "fund", "--json", "--as-of", "2023-07-04"))
    assert set(report) == {"donations_received", "paid", "deposits_held", "balance", "reserved", "available",
                           "owed_waiting", "interest_per_day", "claims"}
    assert report["paid"] == int(amount) and report["balance"] == 2_000_000_000 - int(amount)
    shown = run("claim", "show", str(paid_claim.pk), "--as-of", "2023-04-12")
    assert "박순이" in shown and "paid" in shown
    detail = json.loads(run("claim", "show", str(paid_claim.pk), "--json", "--as-of", "2023-04-12"))
    # The sheet carries the payment as an event of the engine: the whole amount due that day was
    # paid, so it discharged the claim (Art. 479 applies it to interest, then principal).
    [event] = detail["calculation"]["events"]
    assert (event["kind"], event["amount"], event["effect"]) == ("payment", int(amount), "discharged")
    assert detail["calculation"]["total"] == 0 and detail["outstanding"] == 0


def test_errors_go_to_stderr_with_status_2(tmp_path):
    env = {**os.environ, "BAESANG_VAR_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3"}

    def baesang(*args):
        return subprocess.run([sys.executable, "-m", "baesang.cli", *args], capture_output=True, text=True, env=env,
                              timeout=120)

    assert baesang("migrate", "--noinput").returncode == 0
    for args in (["report", "fund", "--as-of", "2023-13-01"], ["claims", "list", "--state", "lost"],
                 ["claim", "show", "999"], ["batch", "approve", "1", "--user", "nobody"]):
        result = baesang(*args)
        assert result.returncode == 2, (args, result.stderr)
        assert result.stdout == "" and result.stderr.strip()
    assert json.loads(baesang("report", "fund", "--json").stdout)["paid"] == 0


@pytest.mark.django_db
def test_a_domain_error_becomes_a_command_error_with_status_2(staff):
    with pytest.raises(CommandError) as error:
        run("batch", "prepare", "--date", str(date(2023, 4, 1)), "--user", "finance")
    assert error.value.returncode == 2 and "nothing to prepare" in str(error.value)
