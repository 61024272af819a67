"""`POST /api/judgments/parse`: a judgment file uploaded, the reader's JSON returned; errors as JSON;
the permission to read judgments."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from baesang.calc import judgment_text as jt

# the judgment of tests/judgments/test_judgment_parse.py (invented names)
JUDGMENT = """대 법 원
판 결
사 건 2013다61381 손해배상(기)
원고, 피상고인 김갑동
               서울 종로구 세종대로 1
피고, 상고인   일본제철 주식회사
               대표이사 가나다
원 심 판 결    서울고등법원 2013. 7. 10. 선고 2012나44947 판결

주 문
1. 피고는 원고에게 100,000,000원 및 이에 대하여 2013. 6. 19.부터 다 갚는 날까지 연 20%의 비율로 계산한
돈을 지급하라.
2. 피고는 원고에게 1,000원 및 이에 대하여 이 판결 확정일부터 다 갚는 날까지 연 5%의 비율로 계산한 돈을
지급하라.
3. 상고비용은 피고가 부담한다.
"""

EXPECTED = {
    "case_number": "2013다61381", "court": "대법원", "debtors": ["일본제철 주식회사"], "joint": False,
    "orders": [{"creditor": "김갑동", "principal": 100000000,
                "segments": [{"start": "2013-06-19", "end": None, "rate": "20"}]}],
    "unparsed": [{"sentence": "피고는 원고에게 1,000원 및 이에 대하여 이 판결 확정일부터 다 갚는 날까지 연 5%의 "
                              "비율로 계산한 돈을 지급하라.",
                  "reason": "no start date of the interest (…부터) could be read at "
                            "'이판결확정일부터다갚는날까지연5%의비율로계산한…'",
                  "code": jt.UNPARSED_DATE}],
}



def upload(content: bytes, name: str = "판결.txt"):
    return {"file": SimpleUploadedFile(name, content)}


@pytest.mark.django_db
def test_api_parse_returns_the_json(role_tokens, bearer):
    response = Client().post("/api/judgments/parse", upload(JUDGMENT.encode()), **bearer(role_tokens["auditor"]))
    assert response.status_code == 200, response.content
    assert response.json() == EXPECTED


@pytest.mark.django_db
@pytest.mark.parametrize(("content", "name", "status", "code"), [
    (b"", "a.txt", 400, jt.EMPTY),
    (b"PK\x03\x04zip", "a.docx", 400, jt.UNSUPPORTED_KIND),
    ("판결 이유만 있다".encode(), "a.txt", 422, jt.NO_OPERATIVE_PART),
])
def test_api_parse_errors_are_json(role_tokens, bearer, content, name, status, code):
    response = Client().post("/api/judgments/parse", upload(content, name), **bearer(role_tokens["case_officer"]))
    assert response.status_code == status
    body = response.json()
    assert body["code"] == code and body["field"] == "file" and body["message"]


@pytest.mark.django_db
def test_api_parse_needs_the_permission_to_read_judgments(role_tokens, bearer):
    response = Client().post("/api/judgments/parse", upload(JUDGMENT.encode()), **bearer(role_tokens["norole"]))
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    assert Client().post("/api/judgments/parse", upload(JUDGMENT.encode())).status_code == 401


@pytest.mark.django_db
def test_api_parse_is_in_the_openapi_schema(role_tokens, bearer):
    schema = Client().get("/api/openapi.json").json()
    operation = schema["paths"]["/api/judgments/parse"]["post"]
    assert "multipart/form-data" in operation["requestBody"]["content"]
    assert {"200", "400", "422"} <= set(operation["responses"])


def pdf_bytes(lines: list[str]) -> bytes:
    """A one-page PDF; with no lines, a picture only (a scan without a text layer)."""
    pdfmetrics.registerFont(UnicodeCIDFont("HYSMyeongJo-Medium"))
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.setFont("HYSMyeongJo-Medium", 9)
    for number, line in enumerate(lines):
        page.drawString(30, 800 - 13 * number, line)
    if not lines:
        page.rect(100, 100, 200, 300, fill=1)
    page.showPage()
    page.save()
    return buffer.getvalue()


@pytest.mark.django_db
def test_api_parse_reads_a_pdf_and_refuses_a_scan(role_tokens, bearer):
    client, token = Client(), bearer(role_tokens["case_officer"])
    response = client.post("/api/judgments/parse", upload(pdf_bytes(JUDGMENT.splitlines()), "판결.pdf"), **token)
    assert response.status_code == 200 and response.json() == EXPECTED
    response = client.post("/api/judgments/parse", upload(pdf_bytes([]), "scan.pdf"), **token)
    assert response.status_code == 422 and response.json()["code"] == jt.PDF_WITHOUT_TEXT
