"""`POST /api/judgments/parse`: a judgment file uploaded, the reader's JSON returned; errors as JSON;
the permission to read judgments."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from judgment_samples import EXPECTED, JUDGMENT
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from baesang.calc import judgment_text as jt


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
