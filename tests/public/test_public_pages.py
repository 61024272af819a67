"""The public pages and open-data files: no login, Korean and English, no personal data,
the five-claim rule, and files that verify with `baesang verify-public`."""

from __future__ import annotations

import io
import json
import re
from datetime import date

import pytest
from django.core.management import call_command
from tests_public_support import personal_strings, personal_strings_of_everyone

from baesang.cases.selectors import fund_report
from baesang.core.formatting import format_won_readable
from baesang.demo.scale import published_totals
from baesang.ledger.models import Transfer
from baesang.ledger.selectors import trial_balance
from baesang.public import selectors

PAGES = ["/public/", "/public/?lang=en", "/public/forecast/", "/public/forecast/?lang=en",
         "/public/data/transfers.csv", "/public/data/transfers.json"]


def fetch(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return body.decode()


@pytest.mark.django_db
def test_no_personal_data_in_any_public_page_or_file(client, foundation):
    forbidden = personal_strings(foundation)
    assert len(forbidden) > 50  # names in three scripts, birth dates in several forms, RRNs, accounts
    for url in PAGES:
        body = fetch(client, url)
        leaked = sorted(s for s in forbidden if s in body)
        assert not leaked, f"{url} shows personal data: {leaked[:5]}"
    # The donor who did not agree to be named is pooled, the one who agreed is named.
    page = fetch(client, "/public/")
    assert foundation.anonymous_donor not in page and foundation.named_donor in page
    assert "익명 기부자" in page


@pytest.mark.django_db
def test_the_demo_foundation_shows_no_personal_data_and_its_file_verifies(client, tmp_path, capsys):
    call_command("demo", "load", stdout=io.StringIO())
    forbidden = personal_strings_of_everyone()
    assert len(forbidden) > 100  # the demo's victims and heirs
    for url in PAGES:
        body = fetch(client, url)
        leaked = sorted(s for s in forbidden if s in body)
        assert not leaked, f"{url} shows personal data: {leaked[:5]}"
    path = tmp_path / "transfers.json"
    path.write_text(fetch(client, "/public/data/transfers.json"), encoding="utf-8")
    call_command("verify-public", str(path))
    assert "OK:" in capsys.readouterr().out


@pytest.mark.django_db
def test_pages_render_in_korean_by_default_and_in_english(client, foundation):
    korean = fetch(client, "/public/")
    english = fetch(client, "/public/?lang=en")
    assert '<html lang="ko">' in korean and "받은 기부금" in korean and "4,005,000,000원" in korean
    assert '<html lang="en">' in english and "Donations received" in english and "KRW 4,005,000,000" in english
    assert "Anonymous donors" in english
    assert client.get("/public/?lang=en").headers["Content-Language"] == "en"
    assert "<svg" in korean and "<script" not in korean  # charts drawn on the server
    forecast_ko = fetch(client, "/public/forecast/")
    forecast_en = fetch(client, "/public/forecast/?lang=en")
    assert "재원 전망" in forecast_ko and "Funding forecast" in forecast_en and "<svg" in forecast_en


@pytest.mark.django_db
def test_figures_agree_with_the_fund_report(client, foundation):
    today = date.today()
    report = fund_report(as_of=today)
    summary = selectors.public_summary(as_of=today)
    assert summary.donations_total == report["donations_received"] == 4_005_000_000
    # Six claims paid, but their count is withheld to protect the four deposited or unanswered
    # (10 − 6 = 4, see test_suppression.py), and its amount with it.
    assert summary.paid.withheld and summary.paid.amount is None and report["paid"] > 0
    assert summary.bank_balance == report["balance"] and summary.available == report["available"]
    assert summary.claims_total.count == 10


@pytest.mark.django_db
def test_five_claim_rule(client, foundation):
    summary = selectors.public_summary(as_of=date.today())
    # One claim settled by court deposit, three never answered: both fewer than five.
    assert summary.deposits_held.withheld and summary.deposits_held.amount is None
    assert summary.claims_by_state["deposited"].withheld
    assert summary.waiting.withheld and summary.waiting.amount is None
    # Six paid claims: withheld too, since 10 − 6 would give the four others (complementary
    # suppression). The total of all ten claims is always shown.
    assert summary.claims_by_state["paid"].withheld and summary.paid.withheld and summary.paid.amount is None
    assert summary.claims_total.count == 10 and not summary.claims_total.withheld
    korean = fetch(client, "/public/")
    english = fetch(client, "/public/?lang=en")
    assert "5건 미만" in korean and "fewer than 5" in english
    # The table of claims by state: paid and settled by deposit withheld alike, total 10.
    assert re.search(r"<td>Paid</td><td class=\"num\"><span class=\"withheld\">withheld</span>", english)
    assert re.search(r"<td>Settled by court deposit</td><td class=\"num\"><span class=\"withheld\">withheld",
                     english)
    assert re.search(r"<td>Refused</td><td class=\"num\">0</td>", english)
    assert re.search(r"All claims</th><th class=\"num\">10</th>", english)
    # The deposit held (one claim's amount due on 2023-04-03) must not be shown anywhere on the page.
    deposit_amount = fund_report(as_of=date.today())["deposits_held"]
    assert deposit_amount > 0
    for text in (f"{deposit_amount:,}", format_won_readable(deposit_amount, "ko")):
        assert text not in korean


@pytest.mark.django_db
def test_verify_public_passes_on_a_fresh_export_and_names_the_edited_row(client, foundation, tmp_path, capsys):
    for name in ("transfers.json", "transfers.csv"):
        path = tmp_path / name
        path.write_text(fetch(client, f"/public/data/{name}"), encoding="utf-8")
        call_command("verify-public", str(path))
        assert "OK:" in capsys.readouterr().out
    page = fetch(client, "/public/")
    document = json.loads((tmp_path / "transfers.json").read_text())
    assert document["public_head"] in page and document["ledger_head"]["hash"] in page
    call_command("verify-public", str(tmp_path / "transfers.json"), "--head", document["public_head"])

    # Edit one amount: the command exits 1 and names the row.
    row = document["transfers"][2]
    row["amount"] += 1
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(SystemExit) as exit_info:
        call_command("verify-public", str(edited))
    assert exit_info.value.code == 1
    assert f"row 3 (seq {row['seq']})" in capsys.readouterr().err

    lines = (tmp_path / "transfers.csv").read_text().splitlines()
    cells = lines[1].split(",")
    amount_column = lines[0].split(",").index("amount")
    cells[amount_column] = str(int(cells[amount_column]) - 1)
    lines[1] = ",".join(cells)
    edited_csv = tmp_path / "edited.csv"
    edited_csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exit_info:
        call_command("verify-public", str(edited_csv))
    assert exit_info.value.code == 1 and "row 1 (seq 1)" in capsys.readouterr().err


@pytest.mark.django_db
def test_open_data_totals_match_the_ledger(foundation):
    document = selectors.public_document(as_of=date.today())
    totals = document["totals"]
    ledger = trial_balance()  # posted transfers only
    assert totals["total_debits"] == ledger["total_debits"] == totals["total_credits"]
    assert totals["transfers"] == Transfer.objects.count() == len(document["transfers"])
    report = fund_report(as_of=date.today())
    assert totals["donations_received"] == report["donations_received"]
    assert totals["judgment_payments"] == report["paid"] and totals["deposits_held"] == report["deposits_held"]
    classes = {c["class"] for c in totals["classes"]}
    assert not any(c.startswith("2000-") for c in classes)  # no individual creditor account


def test_the_scale_checks_read_the_open_data_file_head_without_its_rows(client, foundation):
    """`demo scale`'s check of the public figures reads the open-data file up to its rows (ten
    million transfers would be gigabytes): what it reads is the whole document without them."""
    whole = json.loads(fetch(client, "/public/data/transfers.json"))
    assert whole["transfers"]  # the foundation has transfers: the cut is not trivial
    whole.pop("transfers")
    assert published_totals() == whole


@pytest.mark.django_db
def test_the_public_pages_name_their_icon_and_it_is_served(client):
    page = fetch(client, "/public/")
    link = re.search(r'<link rel="icon" href="([^"]+)"', page)
    assert link and link.group(1).endswith("public/favicon.ico")
    response = client.get(link.group(1))
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body[:4] == b"\x00\x00\x01\x00"  # an ICO file: reserved 0, type 1 (icon)


@pytest.mark.django_db
def test_the_site_root_icon_leads_to_the_same_file(client):
    # Browsers ask for /favicon.ico on any page, staff screens included.
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("public/favicon.ico")
    assert client.get(response["Location"]).status_code == 200
