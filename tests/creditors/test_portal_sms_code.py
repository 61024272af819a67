"""The one-time sign-in code sent by SMS, the alternative to the app's code (issue 16 §1)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from portal_support import sign_in_by_invitation

from baesang.creditors import outbox, services
from baesang.creditors.errors import InvitationInvalid
from baesang.creditors.models import Message, PortalAccount, PortalActivity

pytestmark = pytest.mark.django_db
PHONE = "010-2222-3333"


def _account_with_phone(pw, capture) -> PortalAccount:
    _client, account = sign_in_by_invitation(pw, capture)
    account = PortalAccount.objects.get(pk=account.pk)  # as the enrolment left it (factor bound)
    account.phone = "01022223333"
    account.save()
    return account


def _sent_code() -> str:
    message = outbox.SENT[-1]
    assert message["channel"] == "sms" and message["to"] == "01022223333"
    return re.search(r"\b(\d{6})\b", message["body"]).group(1)


def test_a_code_by_sms_signs_in_once_and_is_stored_only_as_an_hmac(pw, django_capture_on_commit_callbacks):
    account = _account_with_phone(pw, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.portal_sms_code_send(contact=PHONE)
    code = _sent_code()
    stored = PortalAccount.objects.get(pk=account.pk)
    assert code not in stored.sms_code_digest and len(stored.sms_code_digest) == 64
    assert Message.objects.filter(account=account, purpose="sign_in_code").count() == 1
    assert services.portal_sign_in(contact=PHONE, code=code) == account
    assert services.portal_sign_in(contact=PHONE, code=code) is None  # one use
    assert PortalActivity.objects.filter(account=account, action="sign_in_sms_code").count() == 1


def test_an_expired_code_is_refused_and_an_unknown_number_gets_nothing(pw, django_capture_on_commit_callbacks):
    account = _account_with_phone(pw, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.portal_sms_code_send(contact=PHONE)
    code = _sent_code()
    later = timezone.now() + timedelta(minutes=services.SMS_CODE_MINUTES, seconds=1)
    assert services.portal_sign_in(contact=PHONE, code=code, now=later) is None
    sent = len(outbox.SENT)
    with django_capture_on_commit_callbacks(execute=True):
        assert not services.portal_sms_code_send(contact="010-0000-0000")
    assert len(outbox.SENT) == sent
    assert account.pk


def test_wrong_sms_codes_count_toward_the_same_lock(pw, django_capture_on_commit_callbacks, settings):
    settings.BAESANG_LOGIN_MAX_FAILURES = 3
    _account_with_phone(pw, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.portal_sms_code_send(contact=PHONE)
    code = _sent_code()
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(3):
        assert services.portal_sign_in(contact=PHONE, code=wrong) is None
    with pytest.raises(InvitationInvalid) as locked:
        services.portal_sign_in(contact=PHONE, code=code)
    assert locked.value.code == "portal_locked"
    with pytest.raises(InvitationInvalid):
        services.portal_sms_code_send(contact=PHONE)


def test_the_sign_in_page_sends_the_code_and_takes_it(pw, django_capture_on_commit_callbacks):
    account = _account_with_phone(pw, django_capture_on_commit_callbacks)
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(reverse("portal:sign_in"), {"contact": PHONE, "send_sms": "1"})
    assert page.status_code == 200 and "msg-info" in page.content.decode()
    response = client.post(reverse("portal:sign_in"), {"contact": PHONE, "code": _sent_code()})
    assert response.status_code == 302 and response["Location"] == reverse("portal:home")
    assert client.get(reverse("portal:home")).status_code == 200
    assert account.pk
