"""The frame of the staff application: language, navigation by role, dashboard, audit log,
formatting filters."""

from __future__ import annotations

from datetime import date

import pytest
from django.template import Context, Template
from django.test import Client
from django.utils import timezone, translation

from baesang.core.models import AuditEvent
from baesang.core.services import audit_record
from baesang.web.views import audit as audit_views
from baesang.web.views.audit import _start_of

pytestmark = pytest.mark.django_db


def _page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_language_switch_to_english_is_kept_and_back_to_korean(role_users, sign_in):
    client = Client()
    sign_in(client, role_users["case_officer"])
    assert "대시보드" in _page(client, "/")
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = _page(client, "/")
    assert 'lang="en"' in html and "Dashboard" in html and "대시보드" not in html
    client.post("/i18n/setlang/", {"language": "ko", "next": "/"})
    assert "대시보드" in _page(client, "/")


def test_lang_parameter_switches_and_persists():
    client = Client()
    assert "Sign in" in _page(client, "/accounts/login/?lang=en")
    assert "Sign in" in _page(client, "/accounts/login/")
    assert "로그인" in _page(client, "/accounts/login/?lang=ko")
    assert "로그인" in _page(client, "/accounts/login/?lang=xx")  # unknown: the cookie's choice stays


def test_navigation_shows_only_what_the_role_permits(role_users, sign_in):
    auditor, case = Client(), Client()
    sign_in(auditor, role_users["auditor"])
    sign_in(case, role_users["case_officer"])
    assert 'href="/audit/"' in _page(auditor, "/")
    assert 'href="/audit/"' not in _page(case, "/")


def test_dashboard_panels_follow_the_roles(role_users, sign_in):
    audit_record(actor=role_users["finance_officer"], action="donation.record", entity_type="donation", entity_id=1)
    case, auditor = Client(), Client()
    sign_in(case, role_users["case_officer"])
    sign_in(auditor, role_users["auditor"])
    case_html, auditor_html = _page(case, "/"), _page(auditor, "/")
    assert "panel-recent_activity" in auditor_html and "donation.record" in auditor_html
    assert "panel-recent_activity" not in case_html and "donation.record" not in case_html


def test_user_without_role_sees_a_clear_refusal_and_their_account(role_users, sign_in):
    client = Client()
    sign_in(client, role_users["norole"])
    response = client.get("/")
    assert response.status_code == 403 and "권한 없음" in response.content.decode()
    assert "역할 없음" in _page(client, "/accounts/me/")


def _rows(html: str) -> str:
    return html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]


def test_audit_log_filters_by_action_entity_user_and_date(role_users, sign_in):
    finance = role_users["finance_officer"]
    audit_record(actor=finance, action="batch.prepare", entity_type="batch", entity_id=7)
    audit_record(actor=role_users["approver"], action="batch.approve", entity_type="batch", entity_id=7)
    audit_record(actor=finance, action="donation.record", entity_type="donation", entity_id=3)
    client = Client()
    sign_in(client, role_users["auditor"])
    html = _rows(_page(client, "/audit/?action=batch."))
    assert "batch.prepare" in html and "batch.approve" in html and "donation.record" not in html
    html = _rows(_page(client, "/audit/?actor=finance_officer&entity_type=batch"))
    assert "batch.prepare" in html and "batch.approve" not in html
    html = _page(client, "/audit/?date_to=2000-01-01")
    assert "batch.prepare" not in _rows(html) and "0건" in html
    response = client.get("/audit/?date_from=2020-02-01&date_to=2020-01-01")
    assert response.status_code == 200 and "시작일이 종료일보다 늦습니다" in response.content.decode()
    assert client.get("/audit/?date_from=not-a-date").status_code == 200


def test_a_busy_days_audit_log_is_counted_up_to_a_bound(role_users, sign_in, monkeypatch):
    for n in range(3):
        audit_record(actor=role_users["finance_officer"], action="batch.prepare", entity_type="batch", entity_id=n)
    client = Client()
    sign_in(client, role_users["auditor"])
    today = timezone.localdate().isoformat()
    events_today = AuditEvent.objects.filter(at__gte=_start_of(timezone.localdate())).count()
    assert events_today >= 3
    monkeypatch.setattr(audit_views, "COUNT_MOST", events_today)  # all of them: counted exactly
    html = _page(client, f"/audit/?date_from={today}&date_to={today}")
    assert f"{events_today}건" in html and "넘습니다" not in html
    monkeypatch.setattr(audit_views, "COUNT_MOST", events_today - 1)  # one more than the bound
    html = _page(client, f"/audit/?date_from={today}&date_to={today}")
    assert f"{events_today - 1:,}건이 넘습니다" in html


def test_audit_log_has_no_way_to_change_it(role_users, sign_in):
    client = Client()
    sign_in(client, role_users["auditor"])
    html = _page(client, "/audit/")
    assert 'method="post"' not in html.split("<main", 1)[1].split("</main>")[0]


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        # DOMAIN.md §4: 100,000,000 won principal; 107,452,055 won interest (public check figure)
        ("ko", "107,452,055원|1억 745만 2,055원|2018년 11월 1일"),
        ("en", "KRW 107,452,055|KRW 107.45 million|1 Nov 2018"),
    ],
)
def test_won_and_date_filters_follow_the_language(lang, expected):
    template = Template("{% load staff %}{{ a|won }}|{{ a|won_readable }}|{{ d|kdate }}")
    with translation.override(lang):
        assert template.render(Context({"a": 107452055, "d": date(2018, 11, 1)})) == expected


def test_filters_leave_missing_values_empty():
    template = Template("{% load staff %}[{{ a|won }}][{{ b|kdate }}]")
    assert template.render(Context({"a": None, "b": "x"})) == "[][]"


def test_may_filter_reads_the_matrix(role_users):
    template = Template('{% load staff %}{% if u|may:"approve_batch" %}yes{% else %}no{% endif %}')
    assert template.render(Context({"u": role_users["approver"]})) == "yes"
    assert template.render(Context({"u": role_users["finance_officer"]})) == "no"
