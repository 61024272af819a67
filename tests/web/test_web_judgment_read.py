"""The review screen: upload a judgment, see the reading beside the highlighted text with persons
matched by exact name and unread sentences in red, correct and confirm; nothing is registered
before the confirmation, nor with another file; the check panel on the judgment page."""

from __future__ import annotations

import base64
import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from baesang.judgments import services as registry
from baesang.judgments.models import Claim, ClaimSegment, Document, Judgment

pytestmark = pytest.mark.django_db

TEXT = """서울고등법원
판 결
사 건    2019나2000002 손해배상(기)
원고, 피항소인
1. 가나다
2. 망 라마바의 소송수계인 사아자
피고, 항소인    주식회사 데모중공업

주 문
1. 피고는 원고 1에게 100,000,000원, 원고 2에게 60,000,000원 및 위 각 돈에 대하여 2015. 5. 23.부터 다 갚는 날까지
연 12%의 비율로 계산한 돈을 지급하라.
2. 피고는 원고 7에게 5,000,000원을 지급하라.
3. 소송비용은 피고가 부담한다.
"""


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _client(sign_in, user) -> Client:
    client = Client()
    sign_in(client, user)
    client.cookies["django_language"] = "ko"
    return client


def _confirmation(html_sha: str, content: bytes, **rows) -> dict:
    data = {"filename": "appeal.txt", "content": base64.b64encode(content).decode(), "sha256": html_sha,
            "case_number": "2020다200002", "court": "대법원", "debtor_code": "DHI", "debtor_name": "데모중공업",
            "decided_on": "2023-12-21", "final_on": "2023-12-21", "title": ""}
    data.update(rows)
    return data


def test_upload_shows_the_reading_beside_the_highlighted_text_and_registers_only_on_confirmation(
        role_users, sign_in):
    officer = role_users["case_officer"]
    known = registry.person_create(name_hangul="가나다", actor=officer)
    client = _client(sign_in, officer)
    assert client.get("/judgments/read/").status_code == 200
    response = client.post("/judgments/read/", {"file": SimpleUploadedFile("appeal.txt", TEXT.encode())})
    html = response.content.decode()
    assert response.status_code == 200
    assert '<mark class="order">' in html and '<mark class="unparsed' in html  # 원고 7: not in the list
    assert f'<option value="{known.pk}" selected>' in html  # matched by exact name, to confirm
    sha = hashlib.sha256(TEXT.encode()).hexdigest()
    assert sha in html
    assert not Judgment.objects.exists()  # reading stores nothing

    rows = {"c1_include": "1", "c1_position": "1", "c1_name": "가나다", "c1_person": str(known.pk),
            "c1_principal": "100,000,000", "c1_segments": "2015-05-23:paid:12", "c1_deceased": "",
            "c2_include": "1", "c2_position": "2", "c2_name": "사아자", "c2_person": "", "c2_deceased": "라마바",
            "c2_principal": "60000000", "c2_segments": "2015-05-23:paid:12",
            # the officer enters the unread order by hand
            "c3_include": "1", "c3_position": "7", "c3_name": "차카타", "c3_person": "", "c3_deceased": "",
            "c3_principal": "5000000", "c3_segments": "2020-01-01:paid:5"}
    refused = client.post("/judgments/read/confirm/", _confirmation("0" * 64, TEXT.encode(), **rows))
    assert refused.status_code == 400 and not Judgment.objects.exists()

    done = client.post("/judgments/read/confirm/", _confirmation(sha, TEXT.encode(), **rows))
    assert done.status_code == 302, [str(m) for m in done.context["messages"]] if done.context else done
    judgment = Judgment.objects.get(case_number="2020다200002")
    claims = {c.position: c for c in Claim.objects.filter(judgment=judgment)}
    assert claims[1].victim == known and claims[2].plaintiff.name_hangul == "사아자"
    assert claims[2].victim.name_hangul == "라마바" and claims[7].principal == 5_000_000
    assert Document.objects.get(judgment=judgment).sha256 == sha

    page = client.get(f"/judgments/{judgment.pk}/").content.decode()
    assert "missing_creditor" not in page and "extra_claim" in page  # 원고 7 is not read from the text
    ClaimSegment.objects.filter(claim=claims[1]).update(rate=13)
    page = client.get(f"/judgments/{judgment.pk}/").content.decode()
    assert "<td>rate</td>" in page


@pytest.mark.parametrize(("content", "name"), [
    (b"%PDF-1.4 broken", "judgment.pdf"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 30, "judgment.txt"),
])
def test_a_file_the_reader_cannot_read_is_refused_with_a_message(role_users, sign_in, content, name):
    client = _client(sign_in, role_users["case_officer"])
    response = client.post("/judgments/read/", {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 400
    assert "판결문" in response.content.decode() or "PDF" in response.content.decode()
    assert not Judgment.objects.exists() and not Document.objects.exists()


@pytest.mark.parametrize("role", ["finance_officer", "auditor", "approver"])
def test_reading_and_confirming_are_refused_to_other_roles(role_users, sign_in, role):
    client = _client(sign_in, role_users[role])
    assert client.get("/judgments/read/").status_code == 403
    assert client.post("/judgments/read/confirm/", _confirmation("x", TEXT.encode())).status_code == 403
