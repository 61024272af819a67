"""A change of holders in the browser: a family file is previewed (shares, regime, explanation,
SHA-256) before it is confirmed and recorded; shares from a document; the plaintiff alone.
Refused to roles that do not register holders, and to a family file changed after the preview."""

from __future__ import annotations

import hashlib
import json
import re
from fractions import Fraction

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from baesang.cases import holdings
from baesang.cases.models import ClaimHolding, HolderChange, HolderChangeProposal
from baesang.judgments import services as judgments
from baesang.judgments.models import Document, Person

pytestmark = pytest.mark.django_db

# A death on 2014-06-07 (Civil Code as amended in 1990): the wife takes 1.5 units against 1 for each
# child (Art. 1009(2)), so wife 3/7 and two children 2/7 each.
FAMILY = {"decedent": "V",
          "persons": [{"id": "V", "sex": "F", "died": "2014-06-07"}, {"id": "W", "sex": "M"},
                      {"id": "A", "sex": "M"}, {"id": "B", "sex": "F"}],
          "marriages": [{"a": "W", "b": "V"}],
          "children": [{"parent": "V", "child": "A"}, {"parent": "V", "child": "B"}]}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _client(sign_in, user, lang: str = "ko") -> Client:
    client = Client()
    sign_in(client, user)
    client.cookies["django_language"] = lang
    return client


def _current(claim) -> dict[str, Fraction]:
    return {h.holder.name_hangul: h.share for h in ClaimHolding.objects.filter(claim=claim, superseded_at__isnull=True)
            .select_related("holder")}


def test_heirs_from_a_family_file_are_previewed_then_recorded(role_users, sign_in, casework):
    claim, victim = casework["claim"], casework["victim"]
    case = _client(sign_in, role_users["case_officer"])
    husband = judgments.person_create(name_hangul="김남편", sex="M", actor=role_users["case_officer"])
    # the victim's death is recorded with its evidence first (a family file cannot declare it)
    certificate = SimpleUploadedFile("certificate.pdf", b"basic certificate: died 2014-06-07")
    response = case.post(f"/persons/{victim.pk}/death/", {"death_date": "2014-06-07", "evidence": certificate})
    assert response.status_code == 302
    page = case.get(f"/claims/{claim.pk}/holders/").content.decode()
    assert "박순이" in page and "가족관계 파일" in page
    upload = SimpleUploadedFile("family.json", json.dumps(FAMILY).encode())
    response = case.post(f"/claims/{claim.pk}/holders/family/", {"family_file": upload, "reason": "사망 신고"})
    html = response.content.decode()
    canonical = holdings.canonical_json(FAMILY)
    digest = hashlib.sha256(canonical.encode()).hexdigest()
    assert response.status_code == 200 and digest in html and "1991-" in html
    assert "<strong>3/7</strong>" in html and html.count("<strong>2/7</strong>") == 2
    assert "제1009조" in html  # the engine's explanation, in Korean
    assert re.search(rf'name="person-0" value="{victim.pk}"', html)  # the decedent defaults to the holder
    assert _current(claim) == {"박순이": 1}  # nothing recorded by the preview
    # rows: 0 the decedent V, then the heirs sorted: 1 A, 2 B, 3 W
    confirm = {"confirm": "1", "family_sha256": digest, "family_json": canonical, "reason": "사망 신고",
               "person-0": str(victim.pk), "person-1": "", "new-1": "박아들", "person-2": "", "new-2": "박딸",
               "person-3": str(husband.pk), "new-3": ""}
    # a family file changed after the preview is refused
    changed = json.loads(canonical)
    changed["persons"].append({"id": "C", "sex": "M"})
    changed["children"].append({"parent": "V", "child": "C"})
    response = case.post(f"/claims/{claim.pk}/holders/family/", dict(confirm, family_json=json.dumps(changed)))
    assert response.status_code == 400 and _current(claim) == {"박순이": 1}
    # an heir without a person: the whole change is refused, nobody is registered
    response = case.post(f"/claims/{claim.pk}/holders/family/", dict(confirm, **{"new-2": ""}))
    assert response.status_code == 400 and "B:" in response.content.decode()
    assert not Person.objects.filter(name_hangul="박아들").exists()
    response = case.post(f"/claims/{claim.pk}/holders/family/", confirm)
    assert response.status_code == 302 and response["Location"] == f"/claims/{claim.pk}/"
    # a proposal: nothing changes until a second person approves it in the queue
    assert _current(claim) == {"박순이": 1}
    proposal = HolderChangeProposal.objects.get(claim=claim)
    assert proposal.state == "proposed" and proposal.family_sha256 == digest
    case.post(f"/proposals/{proposal.pk}/approve/")  # never the proposer (four eyes)
    assert _current(claim) == {"박순이": 1}
    approver = _client(sign_in, role_users["approver"])
    queue = approver.get("/proposals/").content.decode()
    assert f"#{proposal.pk}" in queue and "3/7" in queue
    assert approver.post(f"/proposals/{proposal.pk}/approve/", {"note": "가족관계증명서 확인"}).status_code == 302
    assert _current(claim) == {"김남편": Fraction(3, 7), "박아들": Fraction(2, 7), "박딸": Fraction(2, 7)}
    change = HolderChange.objects.get(basis="heirship")
    assert change.family_sha256 == digest and change.decedent == victim and change.regime == "1991-"
    daughter = Person.objects.get(name_hangul="박딸")
    assert daughter.sex == "F" and daughter.death_date is None
    # the claim page explains each share in the reader's language
    html = case.get(f"/claims/{claim.pk}/").content.decode()
    assert "제1009조" in html
    english = _client(sign_in, role_users["auditor"], "en").get(f"/claims/{claim.pk}/").content.decode()
    assert "Art. 1009(2)" in english


def test_a_family_file_the_engine_refuses_or_that_is_not_json(role_users, sign_in, casework):
    claim = casework["claim"]
    case = _client(sign_in, role_users["case_officer"], "en")
    response = case.post(f"/claims/{claim.pk}/holders/family/", {"family_json": "{not json"})
    assert response.status_code == 400 and "not valid JSON (line 1, column 2)" in response.content.decode()
    living = dict(FAMILY, persons=[{"id": "V", "sex": "F"}, *FAMILY["persons"][1:]])
    response = case.post(f"/claims/{claim.pk}/holders/family/", {"family_json": json.dumps(living)})
    assert response.status_code == 400 and "heirship engine refused" in response.content.decode()
    response = case.post(f"/claims/{claim.pk}/holders/family/", {"family_json": "[1, 2]"})
    assert response.status_code == 400 and "one JSON object" in response.content.decode()
    assert not HolderChange.objects.filter(basis="heirship").exists()


def test_shares_from_a_document_and_the_plaintiff_alone(role_users, sign_in, casework):
    officer = role_users["case_officer"]
    victim = judgments.person_create(name_hangul="최옛날", death_date="1955-01-01", actor=officer)
    claim = judgments.claim_create(judgment=casework["judgment"], position=2, victim=victim, principal=100_000_000,
                                   segments=["2013-06-19:paid:20"], actor=officer)
    first = judgments.person_create(name_hangul="최장남", actor=officer)
    second = judgments.person_create(name_hangul="최차남", actor=officer)
    case = _client(sign_in, officer)
    data = {"document_file": SimpleUploadedFile("decision.pdf", b"court decision on shares (customary law)"),
            "document_kind": "court_decision", "valid_from": "2019-01-01", "reason": "관습법 상속, 법원 결정",
            "shares-TOTAL_FORMS": "3", "shares-INITIAL_FORMS": "0", "shares-MIN_NUM_FORMS": "0",
            "shares-MAX_NUM_FORMS": "60", "shares-0-person": str(first.pk), "shares-0-share": "2/3",
            "shares-1-person": str(second.pk), "shares-1-share": "1/2", "shares-2-person": "", "shares-2-share": ""}
    response = case.post(f"/claims/{claim.pk}/holders/document/", data)
    assert response.status_code == 400 and "입력한 합: 7/6" in response.content.decode()  # the shares must add up to 1
    assert not ClaimHolding.objects.filter(claim=claim).exists() and not Document.objects.exists()
    data["document_file"] = SimpleUploadedFile("decision.pdf", b"court decision on shares (customary law)")
    data["shares-1-share"] = "1/3"
    response = case.post(f"/claims/{claim.pk}/holders/document/", data)
    assert response.status_code == 302 and not ClaimHolding.objects.filter(claim=claim).exists()
    proposal = HolderChangeProposal.objects.get(claim=claim)
    checker = _client(sign_in, role_users["approver"])
    assert checker.post(f"/proposals/{proposal.pk}/approve/").status_code == 302
    assert _current(claim) == {"최장남": Fraction(2, 3), "최차남": Fraction(1, 3)}
    change = HolderChange.objects.get(claim=claim)
    assert change.basis == "document" and change.document.kind == "court_decision"
    # a share that is not an exact fraction
    data.update({"document": str(change.document_id), "document_file": "", "shares-0-share": "0.5"})
    response = case.post(f"/claims/{claim.pk}/holders/document/", data)
    assert response.status_code == 400 and "3/13" in response.content.decode()
    # the plaintiff alone: only for a claim without holders
    third = judgments.claim_create(judgment=casework["judgment"], position=3, victim=first, principal=1_000_000,
                                   segments=["2013-06-19:paid:20"], actor=officer)
    assert "원고 최장남이(가) 채권 전부를 보유" in case.get(f"/claims/{third.pk}/holders/").content.decode()
    assert case.post(f"/claims/{third.pk}/holders/plaintiff/").status_code == 302
    assert _current(third) == {"최장남": 1}
    response = case.post(f"/claims/{claim.pk}/holders/plaintiff/", follow=True)
    assert "이미 채권자가 있습니다" in response.content.decode()
    assert _current(claim) == {"최장남": Fraction(2, 3), "최차남": Fraction(1, 3)}


@pytest.mark.parametrize("role", ["finance_officer", "approver", "auditor", "administrator"])
def test_changing_holders_is_refused_to_other_roles(role_users, sign_in, casework, role):
    claim = casework["claim"]
    client = _client(sign_in, role_users[role])
    assert client.get(f"/claims/{claim.pk}/holders/").status_code == 403
    assert client.post(f"/claims/{claim.pk}/holders/family/", {"family_json": json.dumps(FAMILY)}).status_code == 403
    assert client.post(f"/claims/{claim.pk}/holders/plaintiff/").status_code == 403
    assert client.post(f"/claims/{claim.pk}/holders/document/", {}).status_code == 403
    assert _current(claim) == {"박순이": 1}
