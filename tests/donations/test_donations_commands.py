"""`baesang donations reverse propose|approve|reject|list`, `export`, and the import's progress
lines on stderr when stderr is not a terminal."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command
from factories import staff_user
from openpyxl import load_workbook
from operator_support import fresh_code, operator_env, token_for

from baesang.core import roles
from baesang.donations.models import DonationReversal, ReversalState
from baesang.donations.services import donations_import
from baesang.ledger import accounts as chart
from baesang.ledger.models import Transfer

HEADER = "date,donor,donor_country,donor_brn,amount,currency,rate,reference,restricted\n"
# POSCO's 4 bn won of 2023-03-15 (DOMAIN.md §1); registration number from its public disclosures.
ROWS = HEADER + ("2023-03-15,POSCO,KR,124-81-00998,4000000000,KRW,,BANK-1,yes\n"
                 "2023-03-16,@SUM(A1),KR,,5,KRW,,=1+1,no\n")


@pytest.fixture
def booked(db, treasurer):
    chart.chart_ensure()
    donations_import(data=ROWS, user=treasurer)


def _run(*args) -> tuple[str, str]:
    """The command as the operator named by ``--user``: their API token in BAESANG_CLI_TOKEN and a
    fresh second-factor code (the command line never trusts ``--user`` alone)."""
    out, err = io.StringIO(), io.StringIO()
    args = list(args)
    if "--user" in args:
        username = args[args.index("--user") + 1]
        with operator_env(token_for(username), fresh_code(username)):
            call_command("donations", *args, stdout=out, stderr=err)
    else:
        with operator_env(None):
            call_command("donations", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_reverse_propose_then_approve_by_another(booked, treasurer):
    approver = staff_user("approver", roles.APPROVER)
    both = staff_user("both", roles.FINANCE_OFFICER, roles.APPROVER)
    out, _ = _run("reverse", "propose", "BANK-1", "--reason", "금액 오기", "--user", both.username)
    reversal = DonationReversal.objects.get()
    assert f"reversal {reversal.pk} of donation BANK-1" in out
    with pytest.raises(CommandError, match="four eyes"):
        _run("reverse", "approve", str(reversal.pk), "--user", both.username)
    with pytest.raises(CommandError, match="not allowed"):
        _run("reverse", "approve", str(reversal.pk), "--user", treasurer.username)
    out, _ = _run("reverse", "approve", str(reversal.pk), "--user", approver.username, "--date", "2023-03-20")
    assert "donation-reversal:BANK-1" in out
    assert Transfer.objects.filter(pk="donation-reversal:BANK-1").count() == 1
    rows = json.loads(_run("reverse", "list", "--json")[0])
    assert [(r["donation"], r["state"], r["reversed_on"]) for r in rows] == [("BANK-1", "approved", "2023-03-20")]


def test_reverse_needs_a_reason_an_operator_and_a_known_donation(booked, treasurer):
    with pytest.raises(CommandError, match="BAESANG_CLI_TOKEN"):  # no operator: nothing is proposed
        _run("reverse", "propose", "BANK-1", "--reason", "x")
    assert not DonationReversal.objects.exists()
    with pytest.raises(CommandError, match="no donation"):
        _run("reverse", "propose", "NOPE", "--reason", "x", "--user", treasurer.username)
    with pytest.raises(CommandError):
        _run("reverse", "propose", "BANK-1", "--user", treasurer.username)
    assert not DonationReversal.objects.exists()


def test_reverse_reject(booked, treasurer):
    approver = staff_user("approver", roles.APPROVER)
    _run("reverse", "propose", "BANK-1", "--reason", "x", "--user", treasurer.username)
    reversal = DonationReversal.objects.get()
    _run("reverse", "reject", str(reversal.pk), "--note", "the bank confirmed it", "--user", approver.username)
    reversal.refresh_from_db()
    assert reversal.state == ReversalState.REJECTED and reversal.decision_note == "the bank confirmed it"


def test_export_csv_and_xlsx(booked, tmp_path):
    _run("export", "--format", "csv", "--output", str(tmp_path / "d.csv"))
    text = (tmp_path / "d.csv").read_text(encoding="utf-8")
    assert text.startswith("\ufeff")
    table = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert table[0][:2] == ["입금일", "기부자"]
    assert ["'@SUM(A1)", "'=1+1"] == [table[1][1], table[1][4]]  # newest first; formulas neutralised
    _run("export", "--format", "xlsx", "--output", str(tmp_path / "d.xlsx"), "--year", "2023")
    sheet = load_workbook(tmp_path / "d.xlsx").active
    assert sheet.max_row == 3 and sheet["I3"].value == 4_000_000_000


def test_import_progress_lines_on_stderr(db, treasurer, tmp_path):
    path = tmp_path / "big.csv"
    path.write_text(HEADER + "".join(f"2023-03-15,Supporter {i},KR,,1000,KRW,,R-{i},yes\n" for i in range(12_000)))
    chart.chart_ensure()
    _out, err = _run("import", str(path), "--user", treasurer.username)
    lines = err.splitlines()
    assert "checking rows: 10,000 of 12,000" in lines and "checking rows: 12,000 of 12,000" in lines
    assert "recording donations: 12,000 of 12,000" in lines
    assert "finding and creating donors: 12,000 of 12,000" in lines


def test_receipts_list_shows_a_cancelled_receipt_with_its_number(booked, treasurer):
    approver = staff_user("approver", roles.APPROVER)
    _run("receipts", "issue", "--date", "2023-04-01", "--user", treasurer.username)
    _run("reverse", "propose", "BANK-1", "--reason", "금액 오기", "--user", treasurer.username)
    _run("reverse", "approve", str(DonationReversal.objects.get().pk), "--user", approver.username,
         "--date", "2023-04-02")
    rows = json.loads(_run("receipts", "list", "--year", "2023", "--json")[0])
    assert [(r["number"], r["cancelled_on"]) for r in rows] == [("2023-000001", "2023-04-02"), ("2023-000002", None)]
    assert rows[0]["cancellation_reason"] == "금액 오기"
