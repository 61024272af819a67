"""`GET /api/judgments/{id}/check`: the registered claims against the stored judgment text."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from baesang.judgments import services as registry
from baesang.judgments.models import Claim

pytestmark = pytest.mark.django_db

TEXT = """서울고등법원
판 결
사 건 2012나44947 손해배상(기)
원 고 김갑동
피 고 일본제철 주식회사

주 문
1. 피고는 원고에게 100,000,000원 및 이에 대하여 2013. 6. 19.부터 다 갚는 날까지 연 20%의 비율로 계산한 돈을 지급하라.
2. 소송비용은 피고가 부담한다.
"""


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_api_check_lists_the_differences(django_user_model, role_tokens, bearer):
    officer = django_user_model.objects.get(username="api-case_officer")
    judgment = registry.judgment_register(
        case_number="2013다61381", court_name="대법원", decided_on=date(2018, 10, 30), final_on=date(2018, 10, 30),
        plaintiffs_count=1, debtor_code="NSC", debtor_name="일본제철", actor=officer)
    registry.document_store(kind="judgment", title="판결문", content=TEXT.encode(), filename="a.txt",
                            judgment=judgment, actor=officer)
    victim = registry.person_create(name_hangul="김갑동", actor=officer)
    claim = registry.claim_create(judgment=judgment, position=1, victim=victim, principal=100_000_000,
                                  segments=["2013-06-19:paid:20"], actor=officer)
    url = f"/api/judgments/{judgment.pk}/check"
    body = Client().get(url, **bearer(role_tokens["auditor"])).json()
    assert body["differences"] == [] and body["orders"] == 1 and body["claims"] == 1
    Claim.objects.filter(pk=claim.pk).update(principal=90_000_000)
    body = Client().get(url, **bearer(role_tokens["auditor"])).json()
    assert body["differences"] == [{"kind": "amount", "creditor": "김갑동", "position": 1,
                                    "judgment_says": "100,000,000", "registered": "90,000,000", "detail": ""}]
    assert Client().get("/api/judgments/999999/check", **bearer(role_tokens["auditor"])).status_code == 404
    assert Client().get(url, **bearer(role_tokens["norole"])).status_code == 403
