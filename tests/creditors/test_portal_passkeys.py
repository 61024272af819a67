"""Passkeys (WebAuthn) of portal accounts: adding one, signing in with it, and the refusals."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse
from passkey_support import ORIGIN, RP_ID, SoftAuthenticator
from portal_support import sign_in_by_invitation

from baesang.creditors import passkeys
from baesang.creditors.access import PortalActor
from baesang.creditors.errors import PasskeyRefused, PortalNotPermitted, RequestInvalid
from baesang.creditors.models import PortalActivity, PortalPasskey

pytestmark = pytest.mark.django_db


def _register(account, authenticator: SoftAuthenticator) -> PortalPasskey:
    store: dict = {}
    actor = PortalActor(account=account)
    options = passkeys.passkey_register_begin(actor=actor, store=store, rp_id=RP_ID)
    return passkeys.passkey_register_finish(actor=actor, store=store, credential=authenticator.create(options),
                                            rp_id=RP_ID, origin=ORIGIN, name="phone")


def _accounts(pw, capture):
    _client, widow = sign_in_by_invitation(pw, capture)
    _client, other = sign_in_by_invitation(pw, capture, pw.other, "other@example.org")
    return widow, other


def test_a_passkey_is_added_and_signs_in_with_a_growing_count(pw, django_capture_on_commit_callbacks):
    widow, _other = _accounts(pw, django_capture_on_commit_callbacks)
    key = SoftAuthenticator()
    passkey = _register(widow, key)
    assert passkey.account == widow and passkey.sign_count == 1
    store: dict = {}
    options = passkeys.passkey_authenticate_begin(store=store, rp_id=RP_ID, contact="widow@example.org")
    allowed = [item["id"] for item in json.loads(options)["allowCredentials"]]
    assert allowed == [passkey.credential_id]
    assert passkeys.passkey_authenticate_finish(store=store, credential=key.get(options), rp_id=RP_ID,
                                                origin=ORIGIN) == widow
    passkey.refresh_from_db()
    assert passkey.sign_count == 2 and passkey.last_used_at is not None
    actions = set(PortalActivity.objects.filter(account=widow).values_list("action", flat=True))
    assert {"passkey_added", "passkey_sign_in"} <= actions
    # discoverable: no contact given, the credential names the account
    store = {}
    options = passkeys.passkey_authenticate_begin(store=store, rp_id=RP_ID)
    assert json.loads(options).get("allowCredentials", []) == []
    assert passkeys.passkey_authenticate_finish(store=store, credential=key.get(options), rp_id=RP_ID,
                                                origin=ORIGIN) == widow


def test_a_replayed_or_expired_challenge_is_refused(pw, django_capture_on_commit_callbacks):
    widow, _other = _accounts(pw, django_capture_on_commit_callbacks)
    key = SoftAuthenticator()
    _register(widow, key)
    store: dict = {}
    options = passkeys.passkey_authenticate_begin(store=store, rp_id=RP_ID)
    saved = dict(store)
    answer = key.get(options)
    assert passkeys.passkey_authenticate_finish(store=store, credential=answer, rp_id=RP_ID, origin=ORIGIN) == widow
    with pytest.raises(PasskeyRefused):  # the challenge was taken out at its first use
        passkeys.passkey_authenticate_finish(store=store, credential=answer, rp_id=RP_ID, origin=ORIGIN)
    # the same answer against the old challenge put back (a copied session): the count did not grow
    store.update(saved)
    assert passkeys.passkey_authenticate_finish(store=store, credential=answer, rp_id=RP_ID, origin=ORIGIN) is None
    # an answer to an older challenge than the one pending
    old = passkeys.passkey_authenticate_begin(store=store, rp_id=RP_ID)
    passkeys.passkey_authenticate_begin(store=store, rp_id=RP_ID)
    assert passkeys.passkey_authenticate_finish(store=store, credential=key.get(old), rp_id=RP_ID,
                                                origin=ORIGIN) is None
    # a challenge older than CHALLENGE_SECONDS
    options = passkeys.passkey_authenticate_begin(store=store, rp_id=RP_ID)
    store[passkeys.CHALLENGE_KEY]["at"] -= passkeys.CHALLENGE_SECONDS + 1
    with pytest.raises(PasskeyRefused):
        passkeys.passkey_authenticate_finish(store=store, credential=key.get(options), rp_id=RP_ID, origin=ORIGIN)
    assert PortalActivity.objects.filter(account=widow, action="passkey_sign_in_failed").count() == 2


def test_a_credential_of_another_account_is_refused(pw, django_capture_on_commit_callbacks):
    widow, other = _accounts(pw, django_capture_on_commit_callbacks)
    widow_key, other_key = SoftAuthenticator(), SoftAuthenticator()
    _register(widow, widow_key)
    theirs = _register(other, other_key)
    store: dict = {}
    options = passkeys.passkey_authenticate_begin(store=store, rp_id=RP_ID, contact="widow@example.org")
    assert passkeys.passkey_authenticate_finish(store=store, credential=other_key.get(options), rp_id=RP_ID,
                                                origin=ORIGIN) is None
    assert PortalActivity.objects.filter(account=other, action="passkey_sign_in_failed",
                                         note="the passkey of another account").exists()
    # nor may one account remove another's passkey, nor register a key for another's pending request
    with pytest.raises(RequestInvalid):
        passkeys.passkey_remove(actor=PortalActor(account=widow), passkey_id=theirs.pk)
    store = {}
    options = passkeys.passkey_register_begin(actor=PortalActor(account=other), store=store, rp_id=RP_ID)
    with pytest.raises(PasskeyRefused):
        passkeys.passkey_register_finish(actor=PortalActor(account=widow), store=store,
                                         credential=SoftAuthenticator().create(options), rp_id=RP_ID, origin=ORIGIN)
    passkeys.passkey_remove(actor=PortalActor(account=other), passkey_id=theirs.pk)
    assert not PortalPasskey.objects.filter(pk=theirs.pk).exists()


def test_a_wrong_origin_or_signature_is_refused_and_staff_cannot_add_passkeys(pw, django_capture_on_commit_callbacks):
    widow, _other = _accounts(pw, django_capture_on_commit_callbacks)
    key = SoftAuthenticator()
    _register(widow, key)
    store: dict = {}
    options = passkeys.passkey_authenticate_begin(store=store, rp_id=RP_ID)
    assert passkeys.passkey_authenticate_finish(store=store, credential=key.get(options), rp_id=RP_ID,
                                                origin="https://elsewhere.example") is None
    impostor = SoftAuthenticator()
    impostor.credential_id = key.credential_id  # the id, not the key
    options = passkeys.passkey_authenticate_begin(store=store, rp_id=RP_ID)
    assert passkeys.passkey_authenticate_finish(store=store, credential=impostor.get(options, 5), rp_id=RP_ID,
                                                origin=ORIGIN) is None
    with pytest.raises(PortalNotPermitted):
        passkeys.passkey_register_begin(actor=pw.case, store={}, rp_id=RP_ID)


def test_the_screens_add_a_passkey_sign_in_with_it_and_remove_it(pw, django_capture_on_commit_callbacks):
    client, widow = sign_in_by_invitation(pw, django_capture_on_commit_callbacks)
    page = client.get(reverse("portal:passkeys"))
    assert page.status_code == 200 and b"passkey.js" in page.content
    key = SoftAuthenticator()
    options = client.post(reverse("portal:passkey_add_options"), "{}", content_type="application/json")
    assert options.status_code == 200
    answer = client.post(reverse("portal:passkey_add"), {"credential": key.create(options.content.decode()),
                                                         "name": "my phone"}, content_type="application/json")
    assert answer.status_code == 200 and answer.json()["ok"]
    passkey = PortalPasskey.objects.get(account=widow)
    assert passkey.name == "my phone"
    client.post(reverse("portal:sign_out"))
    fresh = Client()
    options = fresh.post(reverse("portal:passkey_options"), {"contact": "widow@example.org"},
                         content_type="application/json")
    credential = key.get(options.content.decode())
    answer = fresh.post(reverse("portal:passkey_sign_in"), {"credential": credential}, content_type="application/json")
    assert answer.status_code == 200 and answer.json()["redirect"] == reverse("portal:home")
    assert fresh.get(reverse("portal:home")).status_code == 200
    # the same answer again: the challenge is gone from the (new) session
    again = Client().post(reverse("portal:passkey_sign_in"), {"credential": credential},
                          content_type="application/json")
    assert again.status_code == 403
    other_client, _other = sign_in_by_invitation(pw, django_capture_on_commit_callbacks, pw.other, "other@example.org")
    other_client.post(reverse("portal:passkeys"), {"remove": passkey.pk})
    assert PortalPasskey.objects.filter(pk=passkey.pk).exists()  # not theirs to remove
    fresh.post(reverse("portal:passkeys"), {"remove": passkey.pk})
    assert not PortalPasskey.objects.filter(pk=passkey.pk).exists()
