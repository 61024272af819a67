"""The review queue of probable duplicates in the staff app and the API: the pair side by side
with personal data masked, the explanation waterfall, the decisions, the reverse of a merge,
external register entries on the person page (baesang/web/views/duplicates.py,
baesang/api/routers/duplicates.py)."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st

from baesang.core import roles
from baesang.judgments import services as registry
from baesang.judgments.duplicates import DIFFERENT, OPEN, DuplicatePair, ExternalRecord, PersonMerge
from baesang.judgments.matching import persons_match
from baesang.pii.fields import Sensitive
from baesang.staff.tokens import api_token_bootstrap
from baesang.web.views.duplicates import FIELD_LABELS, waterfall

RRN = "250304-1102344"  # check digit: weights 2..9,2..5 over 250304110234 sum to 117; (11 - 117 mod 11) mod 10 = 4
MASKED = "250304-1******"


@pytest.fixture
def pair(role_users):
    case = role_users[roles.CASE_OFFICER]
    hangul = registry.person_create(actor=case, name_hangul="김영수", name_hanja="金永洙", sex="M",
                                    birth_date=date(1925, 3, 4), rrn=RRN, phone="010-2222-3333")
    roman = registry.person_create(actor=case, name_hangul="Kim Young Soo", name_roman="Kim Young Soo", sex="M",
                                   birth_date=date(1925, 3, 4))
    persons_match(actor=case)
    return DuplicatePair.objects.get(left=hangul, right=roman)


def _client(sign_in, user) -> Client:
    client = Client()
    sign_in(client, user)
    return client


def test_the_queue_shows_the_pair_masked_with_its_waterfall(role_users, sign_in, pair, monkeypatch):
    def refuse(self):
        raise AssertionError("personal data was decrypted for the review page")

    monkeypatch.setattr(Sensitive, "reveal", refuse)
    monkeypatch.setattr(Sensitive, "__eq__", refuse)  # not even compared in the clear
    client = _client(sign_in, role_users[roles.CASE_OFFICER])
    queue = client.get("/duplicates/").content.decode()
    assert f"/duplicates/{pair.pk}/" in queue and "Kim Young Soo" in queue
    assert "중복 인물 후보" in queue  # Korean pages in Korean
    page = client.get(f"/duplicates/{pair.pk}/").content.decode()
    assert MASKED in page and RRN not in page and RRN.replace("-", "") not in page
    assert "010-2222-3333" not in page
    assert "<svg" in page and "<rect" in page
    assert f"/duplicates/{pair.pk}/decide/" in page  # a case officer may decide
    auditor_page = _client(sign_in, role_users[roles.AUDITOR]).get(f"/duplicates/{pair.pk}/").content.decode()
    assert f"/duplicates/{pair.pk}/decide/" not in auditor_page


def test_same_person_merges_and_an_administrator_reverses(role_users, sign_in, pair):
    client = _client(sign_in, role_users[roles.CASE_OFFICER])
    response = client.post(f"/duplicates/{pair.pk}/decide/",
                           {"decision": "same", "keep": pair.left_id, "reason": "one man, two registrations"})
    assert response.status_code == 302
    merge = PersonMerge.objects.get(pair=pair)
    assert merge.kept_id == pair.left_id and merge.merged_id == pair.right_id
    merged_page = client.get(f"/persons/{pair.right_id}/").content.decode()
    assert f"/persons/{pair.left_id}/" in merged_page
    # a case officer may not reverse; an administrator may
    assert client.post(f"/merges/{merge.pk}/reverse/", {"reason": "wrong"}).status_code == 403
    admin = _client(sign_in, role_users[roles.ADMINISTRATOR])
    assert admin.post(f"/merges/{merge.pk}/reverse/", {"reason": "wrong man"}).status_code == 302
    merge.refresh_from_db()
    pair.refresh_from_db()
    assert merge.reversed_at is not None and pair.state == OPEN


def test_a_decision_without_reason_is_refused(role_users, sign_in, pair):
    client = _client(sign_in, role_users[roles.CASE_OFFICER])
    assert client.post(f"/duplicates/{pair.pk}/decide/", {"decision": "different"}).status_code == 400
    pair.refresh_from_db()
    assert pair.state == OPEN


def test_external_register_entries_show_on_the_person_page(role_users, sign_in, pair):
    ExternalRecord.objects.create(source=ExternalRecord.JAPANESE_ROSTER, record_id="NSC-1944-0193",
                                  fields={"name": "金永洙", "worksite": "八幡製鐵所"}, person_id=pair.left_id)
    page = _client(sign_in, role_users[roles.CASE_OFFICER]).get(f"/persons/{pair.left_id}/").content.decode()
    assert "NSC-1944-0193" in page and "八幡製鐵所" in page
    assert f"/duplicates/{pair.pk}/" in page  # the open pair is named there too


def test_api_queue_and_decision(role_users, pair):
    token = api_token_bootstrap(user=role_users[roles.CASE_OFFICER], name="officer")[1]
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    client = Client()
    listed = client.get("/api/duplicates", **headers)
    assert listed.status_code == 200
    row = next(item for item in listed.json()["items"] if item["id"] == pair.pk)
    assert row["left"] == pair.left_id and row["explanation"]["rrn_index"] == "absent"
    assert RRN not in listed.content.decode()
    decided = client.post(f"/api/duplicates/{pair.pk}/decision", {"decision": "different", "reason": "two men"},
                          content_type="application/json", **headers)
    assert decided.status_code == 200 and decided.json()["state"] == DIFFERENT
    again = client.post(f"/api/duplicates/{pair.pk}/decision", {"decision": "same", "reason": "x"},
                        content_type="application/json", **headers)
    assert again.status_code == 409 and again.json()["code"] == "pair_already_decided"
    assert client.get("/api/duplicates", **headers).json()["items"] == []


FIELD_KEYS = [key for key, _label in FIELD_LABELS]


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(FIELD_KEYS), st.floats(min_value=-40, max_value=40, allow_nan=False),
                       min_size=1))
def test_waterfall_bars_add_up_to_the_total_and_stay_in_the_picture(weights):
    drawn = waterfall(weights)
    steps = drawn["steps"]
    assert [s["key"] for s in steps] == [k for k in FIELD_KEYS if k in weights]  # the engine's field order
    assert drawn["total"] == pytest.approx(sum(weights.values()))
    running = 0.0
    for step in steps:
        assert step["start"] == pytest.approx(running)
        running += step["weight"]
        assert step["end"] == pytest.approx(running)
        assert step["positive"] == (step["weight"] >= 0)
        assert drawn["label_width"] <= step["x"] and step["x"] + step["width"] <= drawn["width"] + 1
    assert drawn["label_width"] <= drawn["zero"] <= drawn["width"]


def test_waterfall_ignores_the_blind_index_note():
    drawn = waterfall({"prior": -8.0, "surname": 5.5, "rrn_index": "absent"})
    assert [s["key"] for s in drawn["steps"]] == ["prior", "surname"]
    assert drawn["total"] == pytest.approx(-2.5)
