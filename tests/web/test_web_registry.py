"""Registering the case file in the browser: a judgment with a creditor's order in two interest
segments, persons in three scripts with encrypted contact data that never comes back into a
page or an address, documents with their SHA-256 found by number or hash, and the search by
case number and document; the same refused to roles that do not register."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from baesang.cases.models import ClaimHolding
from baesang.core.models import AuditEvent
from baesang.judgments.models import Claim, Document, Judgment, Person
from baesang.pii.rrn import validate_rrn

pytestmark = pytest.mark.django_db

RRN = "900101-1234568"  # a made-up number with a valid check digit (python-stdnum)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _client(sign_in, user, lang: str = "ko") -> Client:
    client = Client()
    sign_in(client, user)
    client.cookies["django_language"] = lang
    return client


def test_rrn_of_the_fixture_is_valid():

    assert validate_rrn(RRN) == "9001011234568"


def _judgment_data(**overrides) -> dict:
    data = {"case_number": "2015다45420", "court": "대법원", "debtor": "", "debtor_code": "MHI",
            "debtor_name": "미쓰비시중공업", "debtor_name_en": "Mitsubishi Heavy Industries",
            "decided_on": "2018-11-29", "final_on": "2018-11-29", "plaintiffs_count": "5", "title": "근로정신대",
            "note": ""}
    data.update(overrides)
    return data


def _claim_data(**overrides) -> dict:
    # DOMAIN.md §4, MHI Nagoya: 120,000,000 won; 5 % from 2015-05-13 to 2015-06-24, then 20 %.
    data = {"position": "1", "victim": "", "victim_name_hangul": "양금덕", "victim_name_hanja": "梁錦德",
            "victim_name_roman": "Yang Geum-deok", "victim_sex": "F", "victim_birth_date": "1929-01-01",
            "victim_death_date": "", "plaintiff": "", "principal": "120000000", "method": "period",
            "plaintiff_holds": "on",
            "segments-TOTAL_FORMS": "3", "segments-INITIAL_FORMS": "0", "segments-MIN_NUM_FORMS": "0",
            "segments-MAX_NUM_FORMS": "10",
            "segments-0-start": "2015-05-13", "segments-0-end": "2015-06-24", "segments-0-rate": "5",
            "segments-1-start": "2015-06-25", "segments-1-end": "", "segments-1-rate": "20",
            "segments-2-start": "", "segments-2-end": "", "segments-2-rate": ""}
    data.update(overrides)
    return data


def test_case_officer_registers_a_judgment_and_a_creditor_with_two_segments(role_users, sign_in):
    case = _client(sign_in, role_users["case_officer"])
    assert "판결 등록" in case.get("/judgments/").content.decode()
    response = case.post("/judgments/new/", _judgment_data())
    judgment = Judgment.objects.get(case_number="2015다45420")
    assert response.status_code == 302 and response["Location"] == f"/judgments/{judgment.pk}/"
    assert (judgment.debtor.code, judgment.court.name, judgment.plaintiffs_count) == ("MHI", "대법원", 5)
    response = case.post(f"/judgments/{judgment.pk}/claims/new/", _claim_data())
    assert response.status_code == 302
    claim = Claim.objects.get(judgment=judgment, position=1)
    assert claim.principal == 120_000_000 and claim.victim.name_hanja == "梁錦德"
    assert [(str(s.start), str(s.end) if s.end else None, s.rate.normalize()) for s in claim.segments.all()] == [
        ("2015-05-13", "2015-06-24", 5), ("2015-06-25", None, 20)]
    assert ClaimHolding.objects.get(claim=claim).holder == claim.victim  # the plaintiff holds the whole claim
    page = case.get(f"/judgments/{judgment.pk}/").content.decode()
    assert "양금덕" in page and "120,000,000원" in page and "2015년 6월 25일" in page
    # the same plaintiff number twice is refused with the service's message, nothing changes
    response = case.post(f"/judgments/{judgment.pk}/claims/new/", _claim_data(victim=str(claim.victim_id)))
    assert response.status_code == 400 and "이미 원고 1번의 채권이 등록되어" in response.content.decode()
    assert Claim.objects.count() == 1 and Person.objects.count() == 1
    # a segment that does not follow the one before is refused by the interest engine
    response = case.post(f"/judgments/{judgment.pk}/claims/new/", _claim_data(
        position="2", victim=str(claim.victim_id), **{"segments-1-start": "2015-07-01"}))
    assert response.status_code == 400 and Claim.objects.count() == 1
    assert 'value="2015-07-01"' in response.content.decode()  # the segments as typed, shown again to correct
    # a case number not written as the court writes it
    response = case.post("/judgments/new/", _judgment_data(case_number="2015-45420", debtor=str(judgment.debtor_id)))
    assert response.status_code == 400 and "2013다61381" in response.content.decode()


def test_the_judgment_page_lists_each_creditor_with_its_link_state_and_orders_escaped(role_users, sign_in):
    case = _client(sign_in, role_users["case_officer"])
    case.post("/judgments/new/", _judgment_data())
    judgment = Judgment.objects.get(case_number="2015다45420")
    case.post(f"/judgments/{judgment.pk}/claims/new/", _claim_data())
    case.post(f"/judgments/{judgment.pk}/claims/new/", _claim_data(
        position="2", victim_name_hangul="<b>김</b>", victim_name_hanja="", victim_name_roman="Kim",
        victim_death_date="2020-01-01", principal="100000000"))
    first, second = Claim.objects.filter(judgment=judgment).order_by("position")
    page = case.get(f"/judgments/{judgment.pk}/").content.decode()
    assert f'<a href="/claims/{first.pk}/">1</a>' in page and f'<a href="/claims/{second.pk}/">2</a>' in page
    assert "&lt;b&gt;김&lt;/b&gt; (사망)" in page and "<b>김</b>" not in page  # escaped; a deceased victim marked
    assert "양금덕 (사망)" not in page and "100,000,000원" in page
    # the rates as the judgment words them: 20 %, not 2E+1 % (Decimal("20").normalize())
    assert "5% 2015년 5월 13일 – 2015년 6월 24일; 20% 2015년 6월 25일 – 다 갚는 날까지" in page and "E+" not in page
    english = _client(sign_in, role_users["case_officer"], lang="en")
    assert "(deceased)" in english.get(f"/judgments/{judgment.pk}/").content.decode()


def test_a_judgment_form_without_a_debtor_explains_what_is_missing(role_users, sign_in):
    case = _client(sign_in, role_users["case_officer"], "en")
    response = case.post("/judgments/new/", _judgment_data(debtor_code="", debtor_name=""))
    assert response.status_code == 400
    assert "Choose the debtor, or give the code and name of a new one." in response.content.decode()
    assert not Judgment.objects.exists()


@pytest.mark.parametrize("role", ["finance_officer", "approver", "auditor", "administrator"])
def test_registering_is_refused_to_other_roles(role_users, sign_in, casework, role):
    client = _client(sign_in, role_users[role])
    judgment = casework["judgment"]
    assert client.post("/judgments/new/", _judgment_data()).status_code == 403
    assert client.post(f"/judgments/{judgment.pk}/claims/new/", _claim_data(position="2")).status_code == 403
    assert client.post("/persons/new/", {"name_hangul": "김철수"}).status_code == 403
    assert client.post(f"/persons/{casework['victim'].pk}/edit/", {"death_date": "2020-01-01"}).status_code == 403
    upload = SimpleUploadedFile("x.pdf", b"x")
    assert client.post("/documents/upload/", {"kind": "other", "file": upload}).status_code == 403
    assert Judgment.objects.count() == 1 and Person.objects.count() == 1 and not Document.objects.exists()


def test_person_registered_in_three_scripts_with_personal_data_never_echoed(role_users, sign_in):
    case = _client(sign_in, role_users["case_officer"])
    data = {"name_hangul": "박순이", "name_hanja": "朴順伊", "name_roman": "Park Sun-i", "sex": "F",
            "birth_date": "1930-02-03", "death_date": "", "rrn": RRN, "phone": "010-2345-6789",
            "address": "서울특별시 종로구 세종대로 1", "bank_name": "테스트은행", "bank_account": "100-222333-44"}
    # an error elsewhere in the form: the typed personal data is not written back into the page
    response = case.post("/persons/new/", dict(data, death_date="1920-01-01"))
    html = response.content.decode()
    assert response.status_code == 400 and "사망일이 출생일보다 앞섭니다." in html
    for value in (RRN, "010-2345-6789", "세종대로", "100-222333-44"):
        assert value not in html
    response = case.post("/persons/new/", data)
    person = Person.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/persons/{person.pk}/"
    assert RRN not in response["Location"]
    page = case.get(response["Location"]).content.decode()
    assert "朴順伊" in page and "900101-1******" in page and RRN not in page and "010-****-6789" in page
    assert person.rrn.reveal() == "9001011234568" and person.phone.reveal() == "010-2345-6789"
    event = AuditEvent.objects.get(action="person.create")
    assert event.new["personal_data"] == ["address", "bank_account", "phone", "rrn"]
    assert RRN not in str(event.new) and "9001011234568" not in str(event.new)
    # found by any script
    for query in ("Pak Suni", "朴順伊"):
        assert f'href="/persons/{person.pk}/"' in case.post("/persons/", {"q": query}).content.decode()
    # an invalid resident registration number names the field, not the value
    response = case.post("/persons/new/", dict(data, name_hangul="김영수", rrn="900101-1234567"))
    assert response.status_code == 400 and "900101-1234567" not in response.content.decode()
    assert Person.objects.count() == 1


def test_person_edit_keeps_blank_personal_data_and_a_death_is_recorded_with_evidence(role_users, sign_in,
                                                                                     casework):
    victim = casework["victim"]
    case = _client(sign_in, role_users["case_officer"])
    page = case.get(f"/persons/{victim.pk}/edit/").content.decode()
    assert "010-1234-5678" not in page and "100-123456-01" not in page  # stored values are not shown
    # the edit form changes neither the death nor the bank account (issue 14 §1)
    assert 'name="death_date"' not in page and 'name="bank_account"' not in page
    response = case.post(f"/persons/{victim.pk}/edit/", {"name_roman": "Park Sun-i", "death_date": "2014-06-07",
                                                         "phone": "", "birth_date": "1930-01-02"})
    assert response.status_code == 302
    victim.refresh_from_db()
    assert victim.death_date is None and victim.phone.reveal() == "010-1234-5678"
    event = AuditEvent.objects.get(action="person.update")
    assert event.new == {"birth_date": "1930-01-02"}
    assert (event.channel, event.credential) == ("web", "session")  # who acted, and how it was proven
    # a death without its evidence is refused; with it, it is recorded and audited
    response = case.post(f"/persons/{victim.pk}/death/", {"death_date": "2014-06-07"})
    assert response.status_code == 400
    certificate = SimpleUploadedFile("certificate.pdf", b"basic certificate: died 2014-06-07")
    response = case.post(f"/persons/{victim.pk}/death/", {"death_date": "2014-06-07", "evidence": certificate})
    assert response.status_code == 302
    victim.refresh_from_db()
    assert str(victim.death_date) == "2014-06-07" and victim.death_document.sha256
    assert AuditEvent.objects.get(action="person.death_record").new["death_date"] == "2014-06-07"


def test_document_upload_shows_the_sha256_and_is_found_by_number_and_hash(role_users, sign_in, casework):
    content = "가족관계증명서 (scan) 2013다61381".encode()
    digest = hashlib.sha256(content).hexdigest()
    case = _client(sign_in, role_users["case_officer"])
    response = case.post("/documents/upload/", {
        "kind": "family_relation_certificate", "file": SimpleUploadedFile("family.pdf", content), "title": "",
        "person": str(casework["victim"].pk), "judgment": str(casework["judgment"].pk)})
    document = Document.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/documents/{document.pk}/"
    page = case.get(response["Location"]).content.decode()
    assert digest in page and "가족관계증명서" in page and "family.pdf" in page
    # the same bytes again find the stored document
    response = case.post("/documents/upload/", {"kind": "family_relation_certificate",
                                                "file": SimpleUploadedFile("again.pdf", content)}, follow=True)
    assert Document.objects.count() == 1 and f"{document.pk}번 서류로 저장되어" in response.content.decode()
    auditor = _client(sign_in, role_users["auditor"])
    assert auditor.get(f"/documents/?id={document.pk}")["Location"] == f"/documents/{document.pk}/"
    assert auditor.get(f"/documents/?id={digest[:10]}")["Location"] == f"/documents/{document.pk}/"
    html = auditor.get("/documents/?id=deadbeefdeadbeef").content.decode()
    assert "그 번호나 SHA-256의 서류가 없습니다." in html
    assert "/documents/upload/" not in auditor.get("/documents/").content.decode()  # auditors do not upload
    # the search finds it by number and by hash, and the judgment by its case number
    for query in (str(document.pk), digest[:12], "2013다61381", "61381"):
        html = auditor.post("/persons/", {"q": query}).content.decode()
        if query.startswith("2013") or query == "61381":
            assert f'href="/judgments/{casework["judgment"].pk}/"' in html, query
            assert f'href="/claims/{casework["claim"].pk}/"' in html, query
        else:
            assert f'href="/documents/{document.pk}/"' in html, query
    assert auditor.get("/documents/999999/").status_code == 404


def test_an_empty_upload_is_refused_with_a_message(role_users, sign_in):
    case = _client(sign_in, role_users["case_officer"], "en")
    response = case.post("/documents/upload/", {"kind": "other"})
    assert response.status_code == 400 and not Document.objects.exists()
