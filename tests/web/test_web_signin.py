"""Signing in: password, throttling of failures, the TOTP second factor, sessions, sign-out."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import timedelta

import pyotp
import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.utils import timezone

from baesang.core.models import AuditEvent
from baesang.staff.models import LoginThrottle, SecondFactor
from baesang.staff.signin import (
    DEMO_TOTP_SECRET,
    current_code,
    login_failure_record,
    login_locked_until,
    second_factor_set_demo,
    second_factor_verify,
)
from baesang.web.middleware import SECOND_FACTOR_SESSION_KEY

PASSWORD = "correct horse battery staple"  # the password tests/web/conftest.py gives every user

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def _post_login(client: Client, username: str, password: str, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def test_case_officer_signs_in_with_password_and_lands_on_dashboard(role_users):
    client = Client()
    response = _post_login(client, "case_officer", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(action="auth.login", actor=role_users["case_officer"]).exists()


def test_login_page_is_korean_by_default():
    response = Client().get(LOGIN)
    assert response.status_code == 200
    assert 'lang="ko"' in response.content.decode()
    assert "로그인" in response.content.decode()


def test_wrong_password_is_refused_with_a_message(role_users):
    # Korean, although the browser asks for English: only the user's own choice switches language
    response = _post_login(Client(), "case_officer", "wrong", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "사용자 이름 또는 비밀번호가 틀렸습니다" in response.content.decode()
    assert AuditEvent.objects.filter(action="auth.login_failed").count() == 1


def test_next_parameter_is_followed_only_within_the_site(role_users):
    response = Client().post(LOGIN + "?next=/accounts/me/", {"username": "case_officer", "password": PASSWORD})
    assert response["Location"] == "/accounts/me/"
    response = Client().post(LOGIN + "?next=https://evil.example/", {"username": "case_officer", "password": PASSWORD})
    assert response["Location"] == "/"


def test_five_failures_lock_the_user_name_even_for_the_right_password(role_users, settings):
    settings.BAESANG_LOGIN_MAX_FAILURES = 5
    for attempt in range(4):
        response = _post_login(Client(), "case_officer", f"wrong{attempt}", REMOTE_ADDR=f"10.0.0.{attempt}")
        assert response.status_code == 200
    response = _post_login(Client(), "case_officer", "wrong-again", REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 429
    assert "잠겼습니다" in response.content.decode()
    # the right password from another address is refused too, without checking it
    client = Client()
    response = _post_login(client, "case_officer", PASSWORD, REMOTE_ADDR="10.9.9.9")
    assert response.status_code == 429
    assert client.get("/").status_code == 302
    # another user is not affected
    assert _post_login(Client(), "auditor", PASSWORD, REMOTE_ADDR="10.0.0.9").status_code == 302


def test_lock_ends_after_the_lock_period(role_users, settings):
    settings.BAESANG_LOGIN_MAX_FAILURES = 2
    settings.BAESANG_LOGIN_LOCK_MINUTES = 15
    start = timezone.now()
    assert login_failure_record(username="case_officer", address=None, now=start) is None
    until = login_failure_record(username="case_officer", address=None, now=start)
    assert until == start + timedelta(minutes=15)
    assert login_locked_until(username="Case_Officer ", address=None, now=start + timedelta(minutes=14)) == until
    assert login_locked_until(username="case_officer", address=None, now=start + timedelta(minutes=15)) is None


def test_failures_spread_beyond_the_window_do_not_lock(settings):
    settings.BAESANG_LOGIN_MAX_FAILURES = 2
    start = timezone.now()
    assert login_failure_record(username="someone", address=None, now=start) is None
    assert login_failure_record(username="someone", address=None, now=start + timedelta(minutes=16)) is None


def test_many_failures_from_one_address_lock_the_address(role_users, settings):
    settings.BAESANG_LOGIN_MAX_FAILURES_PER_ADDRESS = 3
    for name in ("a", "b", "c"):
        _post_login(Client(), f"guess-{name}", "x", REMOTE_ADDR="192.0.2.7")
    assert _post_login(Client(), "case_officer", PASSWORD, REMOTE_ADDR="192.0.2.7").status_code == 429
    assert _post_login(Client(), "case_officer", PASSWORD, REMOTE_ADDR="192.0.2.8").status_code == 302


def test_throttle_table_holds_no_user_name_or_address(settings):
    login_failure_record(username="박순이", address="192.0.2.55")
    for throttle in LoginThrottle.objects.all():
        assert "192.0.2.55" not in throttle.key_digest and len(throttle.key_digest) == 64


def test_successful_sign_in_clears_the_user_name_failures(role_users):
    _post_login(Client(), "case_officer", "wrong")
    assert LoginThrottle.objects.filter(scope="username").exists()
    _post_login(Client(), "case_officer", PASSWORD)
    assert not LoginThrottle.objects.filter(scope="username").exists()


# --- second factor ---------------------------------------------------------------------------


def test_approver_needs_the_code_after_the_password(role_users):
    second_factor_set_demo(user=role_users["approver"])
    client = Client()
    response = _post_login(client, "approver", PASSWORD)
    assert response["Location"] == "/accounts/second-factor/"
    assert client.get("/").status_code == 302  # not signed in yet
    response = client.post("/accounts/second-factor/", {"code": "000000" if current_code(DEMO_TOTP_SECRET) != "000000"
                                                          else "111111"})
    assert response.status_code == 400
    response = client.post("/accounts/second-factor/", {"code": current_code(DEMO_TOTP_SECRET)})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200
    assert client.session[SECOND_FACTOR_SESSION_KEY]


def test_a_code_is_never_accepted_twice(role_users):
    user = role_users["approver"]
    second_factor_set_demo(user=user)
    now = timezone.now()
    code = current_code(DEMO_TOTP_SECRET, now)
    assert second_factor_verify(user=user, code=code, now=now)
    assert not second_factor_verify(user=user, code=code, now=now)


def test_codes_of_neighbouring_steps_are_accepted_for_clock_drift_but_not_older(role_users):
    user = role_users["approver"]
    second_factor_set_demo(user=user)
    now = timezone.now()
    assert second_factor_verify(user=user, code=current_code(DEMO_TOTP_SECRET, now - timedelta(seconds=30)), now=now)
    SecondFactor.objects.filter(user=user).update(last_used_step=None)
    assert not second_factor_verify(user=user, code=current_code(DEMO_TOTP_SECRET, now - timedelta(seconds=95)),
                                    now=now)


def test_first_sign_in_of_an_administrator_enrols_the_second_factor(role_users):
    client = Client()
    response = _post_login(client, "administrator", PASSWORD)
    assert response["Location"] == "/accounts/second-factor/enrol/"
    page = client.get("/accounts/second-factor/enrol/")
    html = page.content.decode()
    assert page.status_code == 200 and "otpauth://totp/baesang:administrator" in html and "<svg" in html
    factor = SecondFactor.objects.get(user=role_users["administrator"])
    assert factor.confirmed_at is None
    # reloading the page keeps the same secret (the app was maybe already set up)
    client.get("/accounts/second-factor/enrol/")
    assert SecondFactor.objects.get(pk=factor.pk).secret == factor.secret
    with connection.cursor() as cursor:  # encrypted at rest
        cursor.execute("SELECT secret FROM web_secondfactor WHERE id = %s", [factor.pk])
        stored = cursor.fetchone()[0]
    assert stored.startswith("v1:") and factor.secret.reveal() not in stored
    secret = factor.secret.reveal()
    assert str(factor.secret) != secret  # shown masked anywhere but on the enrolment page
    response = client.post("/accounts/second-factor/enrol/", {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302
    factor.refresh_from_db()
    assert factor.confirmed_at is not None
    assert client.get("/audit/").status_code == 200
    assert AuditEvent.objects.filter(action="auth.second_factor_enrol").exists()


def test_wrong_codes_count_toward_the_lock(role_users, settings):
    settings.BAESANG_LOGIN_MAX_FAILURES = 3
    second_factor_set_demo(user=role_users["approver"])
    client = Client()
    _post_login(client, "approver", PASSWORD)
    wrong = "123456" if current_code(DEMO_TOTP_SECRET) != "123456" else "654321"
    for _ in range(3):
        response = client.post("/accounts/second-factor/", {"code": wrong})
    assert "잠겼습니다" in response.content.decode()
    response = client.post("/accounts/second-factor/", {"code": current_code(DEMO_TOTP_SECRET)})
    assert response.status_code == 400
    assert client.get("/").status_code == 302


def test_second_factor_page_without_a_password_step_goes_to_login():
    response = Client().get("/accounts/second-factor/")
    assert response.status_code == 302 and response["Location"] == LOGIN


def test_pending_sign_in_expires(role_users):
    second_factor_set_demo(user=role_users["approver"])
    client = Client()
    _post_login(client, "approver", PASSWORD)
    session = client.session
    session["baesang_pending_sign_in"]["at"] = time.time() - 301
    session.save()
    response = client.post("/accounts/second-factor/", {"code": current_code(DEMO_TOTP_SECRET)})
    assert response.status_code == 302 and response["Location"] == LOGIN


def test_a_session_that_skipped_the_second_factor_counts_as_anonymous(role_users):
    client = Client()
    client.force_login(role_users["approver"])  # any other sign-in path than the staff login
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    client.force_login(role_users["case_officer"])  # not required for case officers
    assert client.get("/").status_code == 200


def test_superuser_needs_the_second_factor(django_user_model):
    django_user_model.objects.create_superuser("root", password=PASSWORD)
    response = _post_login(Client(), "root", PASSWORD)
    assert response["Location"] == "/accounts/second-factor/enrol/"


def test_admin_site_signs_in_through_the_staff_login():
    response = Client().get("/admin/")
    assert response.status_code == 302
    follow = Client().get(response["Location"])
    assert follow.status_code == 302 and follow["Location"].startswith(LOGIN)


# --- sessions, sign-out, headers -------------------------------------------------------------


def test_sign_out_needs_post_and_ends_the_session(role_users, sign_in):
    client = Client()
    sign_in(client, role_users["case_officer"])
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")
    assert response.status_code == 302 and response["Location"] == LOGIN
    assert client.get("/").status_code == 302


def test_sessions_expire_when_idle(settings):
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert 0 < settings.SESSION_COOKIE_AGE <= 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True


def test_security_headers_on_every_page(role_users, sign_in):
    client = Client()
    sign_in(client, role_users["case_officer"])
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy and "'unsafe-inline'" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]


def test_production_settings_secure_cookies_and_hsts(tmp_path):

    # a strong field key: production refuses a weak one (baesang.core.keys)
    env = {**os.environ, "BAESANG_ENV": "production", "BAESANG_SECRET_KEY": "x" * 60,
           "BAESANG_FIELD_KEY": "9fK2-xQ7_vLm3RtY8pZc1WnB5hJd0sGe4uAoIqVk6",
           "BAESANG_ALLOWED_HOSTS": "example.org", "BAESANG_VAR_DIR": str(tmp_path)}
    code = ("import django, json; from django.conf import settings as s; django.setup(); print(json.dumps(["
            "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT, "
            "s.SESSION_COOKIE_NAME, s.DEBUG]))")
    result = subprocess.run([sys.executable, "-c", code], env={**env, "DJANGO_SETTINGS_MODULE": "baesang.settings"},
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == '[true, true, 31536000, true, "__Host-sessionid", false]'


def test_group_membership_change_applies_at_the_next_request(role_users, sign_in):
    client = Client()
    user = role_users["norole"]
    sign_in(client, user)
    assert client.get("/audit/").status_code == 403
    user.groups.add(Group.objects.get(name="auditor"))
    assert client.get("/audit/").status_code == 200
