"""Passkeys in the creditors' portal, in Chromium with its virtual authenticator (DevTools
protocol ``WebAuthn`` domain: ctap2, internal transport, resident keys, user verification): a heir
signed in by invitation adds a passkey, signs out, and signs in with the passkey alone. Each
passkey page passes axe-core (no serious or critical violation)."""

from __future__ import annotations

import pytest
from test_browser_portal import _enrol, _invite, accessible, portal  # noqa: F401 - the fixture

from baesang.creditors.models import PortalActivity, PortalPasskey

pytestmark = pytest.mark.django_db(transaction=True)


def _virtual_authenticator(browsing) -> str:
    session = browsing.page.context.new_cdp_session(browsing.page)
    session.send("WebAuthn.enable")
    answer = session.send("WebAuthn.addVirtualAuthenticator", {"options": {
        "protocol": "ctap2", "transport": "internal", "hasResidentKey": True, "hasUserVerification": True,
        "isUserVerified": True, "automaticPresenceSimulation": True}})
    return answer["authenticatorId"]


def test_a_heir_adds_a_passkey_and_signs_in_with_it(portal, window):  # noqa: F811 - the fixture
    world = portal
    heir = window()
    _virtual_authenticator(heir)
    _enrol(heir, _invite(world, "widow@example.org"))
    page = heir.page
    heir.go("/portal/passkeys/")
    accessible(heir, "passkeys (none yet)")
    page.fill("#passkey-name", "my phone")
    with page.expect_navigation(url="**/portal/passkeys/"):
        page.click("#passkey-add button[type=submit]")
    passkey = PortalPasskey.objects.get(account__person=world.widow)
    assert passkey.name == "my phone"
    assert page.locator("main table tbody tr").count() == 1
    accessible(heir, "passkeys (one)")
    heir.follow("form[action='/portal/sign-out/'] button")
    assert heir.path == "/portal/"
    # the passkey alone (discoverable: no contact typed)
    with page.expect_navigation(url="**/portal/claims/"):
        page.click("#passkey-sign-in button[type=submit]")
    assert "3/5" in page.inner_text("main")
    passkey.refresh_from_db()
    assert passkey.last_used_at is not None
    assert PortalActivity.objects.filter(account=passkey.account, action="passkey_sign_in").count() == 1
    # and with the contact typed first (the account's passkeys are offered)
    heir.follow("form[action='/portal/sign-out/'] button")
    page.fill("input[name=contact]", "widow@example.org")
    with page.expect_navigation(url="**/portal/claims/"):
        page.click("#passkey-sign-in button[type=submit]")
    # removing it
    heir.go("/portal/passkeys/")
    heir.follow("main table form button[type=submit]")
    assert not PortalPasskey.objects.filter(pk=passkey.pk).exists()
    heir.check_clean()
