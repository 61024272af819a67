"""Spreadsheet exports of the claims, the waiting list, a batch's lines and an account's
statement (issue 14 §4): XLSX and CSV, Korean headers, no cell a live formula, amounts still
numbers, the CSV streamed, and each export allowed to exactly the roles that see its page."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import StreamingHttpResponse
from django.test import Client
from openpyxl import load_workbook

from baesang.cases import services
from baesang.cases.models import Offer
from baesang.judgments.models import Person
from baesang.ledger import accounts

pytestmark = pytest.mark.django_db

FORMULA_NAME = '=HYPERLINK("http://evil.example","x")'


def _client(sign_in, user) -> Client:
    client = Client()
    sign_in(client, user)
    return client


def _xlsx_rows(response) -> list[tuple]:
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    return list(sheet.iter_rows(values_only=True))


def _csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200 and isinstance(response, StreamingHttpResponse)
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    table = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in table for cell in row)
    return table


@pytest.fixture
def batch(role_users, sign_in, casework):
    """The casework claim accepted (offer, verified consent) and in a prepared batch; its victim
    renamed to a formula, as anyone typing a name could."""
    Person.objects.filter(pk=casework["victim"].pk).update(name_hangul=FORMULA_NAME)
    case = _client(sign_in, role_users["case_officer"])
    case.post(f"/claims/{casework['claim'].pk}/offers/", {"offered_on": "2023-03-06", "channel": "visit"})
    offer = Offer.objects.get(holding__claim=casework["claim"])
    case.post(f"/offers/{offer.pk}/consent/", {
        "verified_on": "2023-03-10", "identity_method": "id_card_in_person", "capacity": "self",
        "witness_name": "김증인", "form_file": SimpleUploadedFile("form.pdf", b"signed form")})
    return services.batch_prepare(payment_date=date(2023, 3, 15), preparer=role_users["finance_officer"])


def test_claims_and_waiting_list_export(role_users, sign_in, batch):
    auditor = _client(sign_in, role_users["auditor"])
    rows = _xlsx_rows(auditor.get("/claims/export.xlsx", {"as_of": "2023-03-15"}))
    assert rows[0][:5] == ("채권 번호", "사건번호", "피해자", "상태", "미지급액(원)")
    assert rows[1][2] == "'" + FORMULA_NAME
    assert isinstance(rows[1][4], int) and rows[1][4] > 100_000_000  # principal and interest, a number
    table = _csv_rows(auditor.get("/claims/export.csv", {"as_of": "2023-03-15"}))
    assert table[0][0] == "채권 번호" and len(table) == 2
    assert "/claims/export.xlsx?as_of=2023-03-15" in auditor.get("/claims/", {"as_of": "2023-03-15"}).content.decode()

    rows = _xlsx_rows(auditor.get("/waiting/export.xlsx"))
    assert rows[0][:3] == ("순위", "채권 번호", "사건번호")
    table = _csv_rows(auditor.get("/waiting/export.csv"))
    assert table[0][0] == "순위"
    assert "/waiting/export.csv" in auditor.get("/waiting/").content.decode()


def test_batch_lines_and_statement_export(role_users, sign_in, batch):
    finance = _client(sign_in, role_users["finance_officer"])
    rows = _xlsx_rows(finance.get(f"/batches/{batch.pk}/lines.xlsx"))
    assert rows[0][:4] == ("행 번호", "사건번호", "원고 순번", "채권자")
    assert rows[1][3] == "'" + FORMULA_NAME and rows[1][6] == batch.total_amount
    assert rows[1][4] + rows[1][5] == rows[1][6]  # principal + interest = amount
    assert len(_csv_rows(finance.get(f"/batches/{batch.pk}/lines.csv"))) == 2
    assert f"/batches/{batch.pk}/lines.xlsx" in finance.get(f"/batches/{batch.pk}/").content.decode()

    url = f"/ledger/accounts/{accounts.BANK}/statement"
    rows = _xlsx_rows(finance.get(url + ".xlsx", {"date_from": "2023-01-01"}))
    assert rows[0][0] == "기준일" and rows[1][4] == "기초 잔액"
    assert rows[2][5] == 1_000_000_000 and rows[2][7] == 1_000_000_000  # the donation, debit and balance
    assert _csv_rows(finance.get(url + ".csv", {"date_from": "2023-01-01"}))[2][5] == "1000000000"
    assert finance.get(url + ".pdf").status_code == 404


def test_each_export_is_allowed_to_the_roles_of_its_page(role_users, sign_in, batch):
    pairs = [("/claims/", "/claims/export.csv"), ("/waiting/", "/waiting/export.csv"),
             (f"/batches/{batch.pk}/", f"/batches/{batch.pk}/lines.csv"),
             (f"/ledger/accounts/{accounts.BANK}/", f"/ledger/accounts/{accounts.BANK}/statement.csv")]
    for role, user in role_users.items():
        client = _client(sign_in, user)
        for page, export in pairs:
            assert (client.get(page).status_code == 200) == (client.get(export).status_code == 200), (role, export)
    assert Client().get("/claims/export.csv").status_code in (302, 403)


def test_a_settled_batch_page_shows_no_empty_card(role_users, sign_in, batch):
    finance, approver = role_users["finance_officer"], role_users["approver"]
    assert "actions-card" in _client(sign_in, approver).get(f"/batches/{batch.pk}/").content.decode()
    services.batch_approve(batch=batch, approver=approver)
    bank_file = services.batch_export(batch=batch, actor=finance)
    line = bank_file.content.splitlines()[1].split(",")
    services.batch_result_import(batch=batch, actor=finance, results=[
        services.BankResult(line=int(line[0]), amount=int(line[-1]), status="paid")])
    for role in ("finance_officer", "approver", "auditor"):
        html = _client(sign_in, role_users[role]).get(f"/batches/{batch.pk}/").content.decode()
        assert "actions-card" not in html, role
        assert html.count('class="card') == 1  # the facts of the batch only
