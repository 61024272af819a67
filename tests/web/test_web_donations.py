"""The donations screens: the list is paged with page links and searched by donor name or
registration number (no drop-down of every donor), exported to XLSX and CSV with Korean headers
and formula-safe cells, a donation is recorded by naming its donor, and a reversal is proposed by
a finance officer and approved by an approver (the proposer cannot)."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import pytest
from django.test import Client
from openpyxl import load_workbook

from baesang.donations.models import DonationReversal, ReversalState
from baesang.donations.services import donation_record, donor_create, receipt_issue
from baesang.ledger import accounts
from baesang.web.views.money import DONATIONS_PER_PAGE


def _client(sign_in, user) -> Client:
    client = Client()
    sign_in(client, user)
    return client


@pytest.fixture
def donations(role_users):
    """POSCO (registration number 124-81-00998, public disclosures) and a supporter whose name starts
    with '=' (a formula if written naively), with DONATIONS_PER_PAGE + 5 donations in all."""
    accounts.chart_ensure()
    finance = role_users["finance_officer"]
    posco = donor_create(name="포스코", kind="company", country="KR", brn="124-81-00998", user=finance)
    odd = donor_create(name="=HYPERLINK(\"http://x\")", kind="individual", country="KR", user=finance)
    for i in range(DONATIONS_PER_PAGE + 4):
        donation_record(donor=posco, value_date=date(2023, 3, 1 + i % 28), bank_reference=f"POSCO-{i:03d}",
                        amount=1_000_000 + i, restricted=True, user=finance)
    donation_record(donor=odd, value_date=date(2023, 4, 1), bank_reference="-1+1", amount=5, restricted=False,
                    user=finance)
    return posco, odd


def test_the_list_is_paged_with_links_and_has_no_donor_drop_down(role_users, sign_in, donations):
    finance = _client(sign_in, role_users["finance_officer"])
    html = finance.get("/donations/").content.decode()
    assert html.count('href="/donations/') >= DONATIONS_PER_PAGE
    assert "<select" not in html.split('name="donor"')[0][-300:] and '<select name="donor"' not in html
    after = re.search(r'href="\?after=([^"]+)"', html).group(1)  # the next page's link (keyset cursor)
    second = finance.get(f"/donations/?after={after}").content.decode()
    assert "POSCO-000" in second and "POSCO-000" not in html  # oldest last
    assert 'rel="prev"' in second and "?before=" in second
    assert finance.get("/donations/?after=forged").status_code == 400  # not a server error


def test_search_by_name_or_registration_number(role_users, sign_in, donations):
    finance = _client(sign_in, role_users["finance_officer"])
    by_brn = finance.get("/donations/", {"q": "124-81"}).content.decode()
    assert "POSCO-027" in by_brn and "-1+1" not in by_brn
    by_name = finance.get("/donations/", {"q": "HYPERLINK"}).content.decode()
    assert "-1+1" in by_name and "POSCO-027" not in by_name
    assert '<option value="' in by_name  # the matching donors are offered to the record form


def test_recording_names_the_donor_by_registration_number(role_users, sign_in, donations):
    finance = _client(sign_in, role_users["finance_officer"])
    response = finance.post("/donations/record/", {"donor": "1248100998", "value_date": "2023-05-02",
                                                   "bank_reference": "POSCO-NEW", "amount": "7", "currency": "KRW"})
    assert response.status_code == 302
    unknown = finance.post("/donations/record/", {"donor": "nobody", "value_date": "2023-05-02",
                                                  "bank_reference": "X", "amount": "7", "currency": "KRW"})
    assert unknown.status_code == 400


def test_export_xlsx_and_csv_with_korean_headers_and_no_formulas(role_users, sign_in, donations):
    auditor = _client(sign_in, role_users["auditor"])
    response = auditor.get("/donations/export.xlsx", {"q": "HYPERLINK"})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("입금일", "기부자", "국가")
    assert rows[1][1] == "'=HYPERLINK(\"http://x\")" and rows[1][4] == "'-1+1"
    assert rows[1][8] == 5  # the won amount stays a number
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)

    text = b"".join(auditor.get("/donations/export.csv").streaming_content).decode("utf-8")
    assert text.startswith("\ufeff입금일,") or text.startswith('\ufeff"입금일"')
    table = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert len(table) == 1 + DONATIONS_PER_PAGE + 5
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in table for cell in row)


def test_reversal_proposed_by_finance_and_approved_by_another(role_users, sign_in, donations):
    posco, _odd = donations
    donation = posco.donations.get(bank_reference="POSCO-003")
    receipt = receipt_issue(donation=donation, issued_on=date(2023, 6, 1), user=role_users["finance_officer"])
    finance = _client(sign_in, role_users["finance_officer"])
    approver = _client(sign_in, role_users["approver"])
    assert approver.post(f"/donations/{donation.pk}/reverse/", {"reason": "x"}).status_code == 403
    finance.post(f"/donations/{donation.pk}/reverse/", {"reason": "잘못된 기부자"})
    reversal = DonationReversal.objects.get(donation=donation)
    assert finance.post(f"/donations/reversals/{reversal.pk}/decide/", {"decision": "approve"}).status_code == 403
    page = approver.get(f"/donations/{donation.pk}/").content.decode()
    assert "잘못된 기부자" in page and f"/donations/reversals/{reversal.pk}/decide/" in page
    approver.post(f"/donations/reversals/{reversal.pk}/decide/", {"decision": "approve"})
    reversal.refresh_from_db()
    assert reversal.state == ReversalState.APPROVED
    page = finance.get(f"/donations/{donation.pk}/").content.decode()
    assert receipt.number in page and "donation-reversal:POSCO-003" in page
    listing = finance.get("/donations/reversals/").content.decode()
    assert "POSCO-003" in listing
