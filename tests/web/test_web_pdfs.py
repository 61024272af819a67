"""Printable PDFs: the creditor's statement (owed on a chosen day, the calculation sheet, holders
and shares, payments) downloaded from the claim page and written to the personal-data access
log, and the donation receipt with its gap-free number; both refused to the wrong roles.

The text of a PDF is read back by :func:`pdf_text`: reportlab writes every string in the
Korean CID font as UTF-16 (big-endian) inside compressed content streams."""

from __future__ import annotations

import base64
import re
import zlib
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from baesang.cases.models import BatchLine, Offer, PaymentBatch
from baesang.cases.services import (
    bank_results_parse,
    batch_approve,
    batch_export,
    batch_prepare,
    batch_result_import,
)
from baesang.core.models import AuditEvent
from baesang.donations.services import donation_record, donor_create, receipt_issue
from baesang.pii.models import PersonalDataAccess

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _literal(raw: bytes) -> bytes:
    """The bytes of a PDF literal string (escapes resolved)."""
    out, i = bytearray(), 0
    while i < len(raw):
        if raw[i] == 0x5C:
            i += 1
            following = raw[i:i + 1]
            if following and following in b"01234567":
                end = i
                while end < len(raw) and end - i < 3 and raw[end:end + 1] in b"01234567":
                    end += 1
                out.append(int(raw[i:end], 8) & 0xFF)
                i = end
                continue
            out += {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}.get(following, following)
            i += 1
            continue
        out.append(raw[i])
        i += 1
    return bytes(out)


def pdf_text(data: bytes) -> str:
    """Every string drawn in the PDF, one per line (decoded from the CID font's UTF-16)."""
    chunks = []
    for match in re.finditer(rb"<<(.*?)>>\s*stream\r?\n(.*?)endstream", data, re.S):
        head, body = match.group(1), match.group(2)
        if b"ASCII85Decode" in head:
            body = base64.a85decode(body.strip().removesuffix(b"~>"))
        if b"FlateDecode" in head:
            body = zlib.decompress(body)
        for string in re.finditer(rb"\(((?:\\.|[^\\)])*)\)", body, re.S):
            raw = _literal(string.group(1))
            if len(raw) % 2 == 0:
                chunks.append(raw.decode("utf-16-be", "replace"))
    return "\n".join(chunks)


def assert_valid_pdf(data: bytes) -> None:
    assert data.startswith(b"%PDF-1.") and data.rstrip().endswith(b"%%EOF")
    assert b"/Type /Page" in data and b"/HYSMyeongJo-Medium" in data  # built-in Korean CID font, not embedded
    assert b"startxref" in data


def _client(sign_in, user, lang: str = "ko") -> Client:
    client = Client()
    sign_in(client, user)
    client.cookies["django_language"] = lang
    return client


def test_statement_pdf_shows_the_calculation_and_is_logged_as_a_disclosure(role_users, sign_in, casework):
    claim = casework["claim"]
    case = _client(sign_in, role_users["case_officer"])
    page = case.get(f"/claims/{claim.pk}/").content.decode()
    assert f'action="/claims/{claim.pk}/statement.pdf"' in page
    response = case.post(f"/claims/{claim.pk}/statement.pdf", {"as_of": "2018-11-01", "reason": "채권자 요청으로 발급"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''statement-2013%EB%8B%A461381-1-20181101.pdf"
    data = response.content
    assert_valid_pdf(data)
    text = pdf_text(data)
    # DOMAIN.md §3 public check: 100,000,000 won at 20 % from 2013-06-19 to 2018-11-01 is 5 years
    # plus 136/365, 107,452,054.79 won of interest; truncated (원 미만 버림) 107,452,054 won.
    assert "채권 명세서" in text and "2013다61381" in text and "박순이" in text
    assert "100,000,000.00원" in text and "7,452,054.79원" in text and "136/365" in text
    assert "107,452,054원" in text and "207,452,054원" in text and "2억 745만 2,054원" in text
    assert "원 미만 버림" in text and "기간식" in text
    assert "아직 지급하거나 공탁한 금액이 없습니다." in text
    access = PersonalDataAccess.objects.get()
    assert (access.entity_type, access.entity_id, access.field, access.kind, access.channel, access.reason) == (
        "judgments.claim", str(claim.pk), "statement", "name", "web", "채권자 요청으로 발급")
    event = AuditEvent.objects.get(action="statement.issue")
    assert event.entity_id == str(claim.pk) and event.new["as_of"] == "2018-11-01"
    assert event.new["sha256"] == response["X-Content-SHA256"] and event.new["outstanding"] == 207_452_054


def test_statement_in_english_and_without_a_reason_or_before_interest_starts(role_users, sign_in, casework):
    claim = casework["claim"]
    finance = _client(sign_in, role_users["finance_officer"], "en")
    response = finance.post(f"/claims/{claim.pk}/statement.pdf", {"as_of": "2018-11-01",
                                                                    "reason": "asked by phone, 010-9876-5432"})
    text = pdf_text(response.content)
    assert "Creditor's statement" in text and "KRW 107,452,054" in text and "KRW 7,452,054.79" in text
    assert "period method" in " ".join(text.split())  # the sentence may wrap at any space
    # no reason: nothing is given out, nothing is logged
    response = finance.post(f"/claims/{claim.pk}/statement.pdf", {"as_of": "2018-11-01", "reason": ""})
    assert response.status_code == 302 and response["Location"] == f"/claims/{claim.pk}/"
    # a day before the interest starts is refused with the engine's message, not a 500
    response = finance.post(f"/claims/{claim.pk}/statement.pdf", {"as_of": "2013-01-01", "reason": "x"}, follow=True)
    assert response.status_code == 200 and b"%PDF" not in response.content
    assert PersonalDataAccess.objects.count() == 1
    # a phone number typed into the reason is masked in both logs
    assert "9876" not in PersonalDataAccess.objects.get().reason
    assert "9876" not in AuditEvent.objects.get(action="statement.issue").note


def test_statement_lists_payments_and_blanks_settled_parts(role_users, sign_in, casework):

    claim = casework["claim"]
    case = _client(sign_in, role_users["case_officer"])
    assert case.post(f"/claims/{claim.pk}/offers/", {"offered_on": "2023-03-06", "channel": "visit"}).status_code == 302
    offer = Offer.objects.get(holding__claim=claim)
    response = case.post(f"/offers/{offer.pk}/consent/", {
        "verified_on": "2023-03-10", "identity_method": "id_card_in_person", "capacity": "self",
        "witness_name": "김증인", "form_file": SimpleUploadedFile("form.pdf", b"signed consent form, statement test")})
    assert response.status_code == 302
    batch = batch_prepare(payment_date=date(2023, 4, 12), preparer=role_users["finance_officer"])
    batch_approve(batch=batch, approver=role_users["approver"])
    batch_export(batch=batch, actor=role_users["finance_officer"])
    line = BatchLine.objects.get(batch=batch)
    batch_result_import(batch=PaymentBatch.objects.get(pk=batch.pk), actor=role_users["finance_officer"],
                        results=bank_results_parse(f"line,amount,status,bank_reference,reason\n{line.pk},{line.amount},"
                                                   "paid,B1,\n"), value_date=date(2023, 4, 12))
    response = case.post(f"/claims/{claim.pk}/statement.pdf", {"as_of": "2024-01-01", "reason": "지급 확인서"})
    text = pdf_text(response.content)
    assert f"{line.amount:,}원" in text and "지급(지급 묶음" in text and "2023년 4월 12일" in text
    assert "남은 금액" in text and "0원 (0원)" in text  # settled on the day of the statement
    assert "—" in text.splitlines()  # the settled holder's part is not shown as still owed


@pytest.mark.parametrize("role", ["approver", "auditor", "administrator", "norole"])
def test_statement_refused_to_roles_that_do_not_hand_out_personal_data(role_users, sign_in, casework, role):
    claim = casework["claim"]
    client = _client(sign_in, role_users[role])
    response = client.post(f"/claims/{claim.pk}/statement.pdf", {"as_of": "2018-11-01", "reason": "x"})
    assert response.status_code == 403 and b"%PDF" not in response.content
    if role in ("approver", "auditor"):
        assert "statement.pdf" not in client.get(f"/claims/{claim.pk}/").content.decode()
    assert not PersonalDataAccess.objects.exists()
    assert Client().post(f"/claims/{claim.pk}/statement.pdf", {"as_of": "2018-11-01"}).status_code == 302


@pytest.fixture
def donation(role_users):


    donor = donor_create(name="포스코", kind="company", country="KR", user=role_users["finance_officer"])
    # DOMAIN.md §1: POSCO gave 4 bn won on 2023-03-15
    return donation_record(donor=donor, value_date=date(2023, 3, 15), bank_reference="POSCO-20230315",
                           amount=Decimal("4000000000"), restricted=True, user=role_users["finance_officer"])


def test_receipt_is_issued_with_its_number_and_printed(role_users, sign_in, donation):
    finance = _client(sign_in, role_users["finance_officer"])
    page = finance.get(f"/donations/{donation.pk}/").content.decode()
    assert "4,000,000,000원" in page and f"/donations/{donation.pk}/receipt/" in page
    response = finance.post(f"/donations/{donation.pk}/receipt/")
    assert response.status_code == 302
    page = finance.get(f"/donations/{donation.pk}/").content.decode()
    assert "2023-000001" in page
    receipt = donation.receipt.__class__.objects.get(donation=donation)
    assert f'href="/receipts/{receipt.pk}/receipt.pdf"' in page
    response = finance.get(f"/receipts/{receipt.pk}/receipt.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert_valid_pdf(response.content)
    text = pdf_text(response.content)
    assert "기부금 영수증" in text and "일련번호: 2023-000001" in text and "4,000,000,000원" in text
    assert "40억 원" in text and "포스코" in text and "2023년 3월 15일" in text and "금전" in text
    assert "기부금을 위와 같이 기부받았음을 증명합니다." in "".join(text.split("\n"))  # Korean wraps anywhere
    # issuing again gives the same number: the series has no gaps and no number twice
    finance.post(f"/donations/{donation.pk}/receipt/")
    assert receipt.__class__.objects.count() == 1
    event = AuditEvent.objects.get(action="receipt.print")
    assert event.new["number"] == "2023-000001" and event.new["sha256"] == response["X-Content-SHA256"]
    english = _client(sign_in, role_users["finance_officer"], "en")
    text = pdf_text(english.get(f"/receipts/{receipt.pk}/receipt.pdf").content)
    assert "Donation receipt" in text and "KRW 4,000,000,000" in text and "Serial number: 2023-000001" in text


@pytest.mark.parametrize("role", ["case_officer", "approver", "auditor", "administrator"])
def test_receipt_refused_to_roles_that_do_not_issue_receipts(role_users, sign_in, donation, role):

    receipt = receipt_issue(donation=donation, user=role_users["finance_officer"])
    client = _client(sign_in, role_users[role])
    assert client.get(f"/receipts/{receipt.pk}/receipt.pdf").status_code == 403
    assert client.post(f"/donations/{donation.pk}/receipt/").status_code == 403
    page = client.get(f"/donations/{donation.pk}/")
    if role == "administrator":
        assert page.status_code == 403
    else:
        assert page.status_code == 200 and "receipt.pdf" not in page.content.decode()
    assert not AuditEvent.objects.filter(action="receipt.print").exists()
