"""The creditors' portal in the browser (issue 16 §4): a heir walks from the invitation to a
TOTP sign-in, sees their share and what is owed, uploads a document that a case officer then
accepts on the staff screens, downloads their statement — and is refused another heir's claim,
an expired invitation, a reused one-time code and a staff page. Every portal page passes
axe-core (axe-playwright-python, which bundles axe-core: no serious or critical violation),
also with large text and high contrast and on a phone-sized viewport.

Captures go to a temporary directory; with ``BAESANG_SCREENSHOTS=1`` into ``docs/screens/``
(docs/screens/README.md).
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pyotp
import pytest
from axe_playwright_python.sync_playwright import Axe
from browser_support import TIMEOUT_MS, Browsing, sign_in_as
from django.utils import timezone
from portal_support import invitation_link, portal_world

from baesang.creditors import outbox, services
from baesang.creditors.models import PortalInvitation, PortalRequest
from baesang.demo.management.commands.demo import demo_users_create
from baesang.staff.signin import TOTP_STEP_SECONDS

pytestmark = pytest.mark.django_db(transaction=True)

SCREENS_DIR = Path(__file__).resolve().parents[2] / "docs" / "screens"
PHONE = {"width": 390, "height": 844}
PDF = b"%PDF-1.4\n% family relation certificate (test)\n%%EOF\n"
AXE = Axe()


@pytest.fixture
def portal(site, settings, tmp_path):
    settings.BAESANG_OUTBOX_EMAIL = "memory"
    settings.BAESANG_OUTBOX_SMS = "memory"
    settings.BAESANG_PORTAL_URL = site
    settings.BAESANG_CLAMD = ""
    outbox.SENT.clear()
    demo_users_create()
    world = portal_world()
    yield world
    outbox.SENT.clear()


def _shots() -> Path | None:
    return SCREENS_DIR if os.environ.get("BAESANG_SCREENSHOTS") == "1" else None


def _shoot(browsing: Browsing, name: str, tmp_path: Path) -> None:
    target = (_shots() or tmp_path) / f"{name}.png"
    browsing.page.screenshot(path=str(target))
    assert target.stat().st_size > 1000


def accessible(browsing: Browsing, where: str) -> None:
    """No serious or critical axe-core violation on the current page."""
    results = AXE.run(browsing.page)
    bad = [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
           for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert not bad, f"{where}: {bad}"


def _invite(world, email: str, person=None, hours: int = 72) -> str:
    # the test's own thread: no surrounding transaction, so the outbox sends at commit
    services.portal_invite(person=person or world.widow, actor=world.case, email=email, hours=hours)
    return invitation_link()


def _code(secret: str, steps: int = 0) -> str:
    totp = pyotp.TOTP(secret, interval=TOTP_STEP_SECONDS)
    return totp.at(timezone.now() + timedelta(seconds=steps * TOTP_STEP_SECONDS))


def _enrol(browsing: Browsing, link: str) -> tuple[str, str]:
    """Open the invitation, continue, read the key, type the first code; returns the key and the code."""
    page = browsing.page
    page.goto(link)
    accessible(browsing, "invitation")
    browsing.follow("main form button[type=submit]")
    assert browsing.path == "/portal/enrol/"
    accessible(browsing, "enrol")
    secret = page.inner_text("#totp-secret").replace(" ", "")
    first_code = _code(secret)
    page.fill("input[name=code]", first_code)
    browsing.follow("main form button[type=submit]")
    assert browsing.path == "/portal/claims/", browsing.path
    return secret, first_code


def test_a_heir_from_invitation_to_statement(portal, window, tmp_path):
    world = portal
    heir = window()
    heir.go("/portal/")
    accessible(heir, "sign-in")
    _shoot(heir, "portal-sign-in", tmp_path)
    link = _invite(world, "widow@example.org")
    secret, used = _enrol(heir, link)
    page = heir.page
    # the share (Civil Code Art. 1009(2): widow 1.5 of 2.5 shares = 3/5) and what is owed today
    assert "3/5" in page.inner_text("main")
    assert page.locator(".owed").count() == 1
    accessible(heir, "claims")
    heir.follow("main article h2 a")
    text = page.inner_text("main")
    assert "3/5" in text and "1009" in text  # the succession explanation, in Korean, names the article
    accessible(heir, "claim")
    _shoot(heir, "portal-claim", tmp_path)
    with page.expect_download() as download:
        page.click("a[href$='statement.pdf']")
    path = download.value.path()
    assert Path(path).read_bytes().startswith(b"%PDF")
    # the document the foundation still needs, uploaded
    heir.go("/portal/documents/")
    accessible(heir, "documents")
    page.select_option("select[name=document_kind]", "family_relation_certificate")
    page.set_input_files("input[name=upload]", files=[{"name": "family.pdf", "mimeType": "application/pdf",
                                                        "buffer": PDF}])
    heir.follow("main form button[type=submit]")
    assert heir.path == "/portal/documents/"
    assert page.locator(".messages .msg-success").count() == 1
    _shoot(heir, "portal-documents", tmp_path)
    item = PortalRequest.objects.get(account__person=world.widow)
    # a case officer accepts it on the staff screens
    staff = window()
    sign_in_as(staff, "case")
    staff.go("/creditor-portal/")
    _shoot(staff, "portal-queue", tmp_path)
    staff.follow(f"a[href='/creditor-portal/requests/{item.pk}/']")
    staff.follow("button[name=decision][value=accept]")
    item.refresh_from_db()
    assert item.state == PortalRequest.ACCEPTED and item.document.person == world.widow
    heir.go(f"/portal/requests/{item.pk}/")
    assert page.locator(".state-accepted").count() == 1
    accessible(heir, "request")
    heir.go("/portal/requests/")
    accessible(heir, "requests")
    # another heir's claim, a staff page: refused
    assert heir.go(f"/portal/claims/{world.other_claim.pk}/").status == 404
    assert "김다른" not in page.content()
    heir.go("/")
    assert heir.path.startswith("/accounts/login/")
    # a reused one-time code: sign out, then the very code used at enrolment is refused
    heir.go("/portal/claims/")
    heir.follow("form[action='/portal/sign-out/'] button")
    page.fill("input[name=contact]", "widow@example.org")
    page.fill("input[name=code]", used)
    heir.follow("main form button[type=submit]")
    assert heir.path == "/portal/" and page.locator(".errors").count() == 1
    page.fill("input[name=contact]", "widow@example.org")
    page.fill("input[name=code]", _code(secret, 1))
    heir.follow("main form button[type=submit]")
    assert heir.path == "/portal/claims/"
    heir.check_clean()
    staff.check_clean()


def test_an_expired_or_used_invitation_is_refused(portal, window):
    world = portal
    link = _invite(world, "son@example.org", person=world.son, hours=1)
    PortalInvitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    browsing = window()
    browsing.page.goto(link)
    browsing.follow("main form button[type=submit]")
    assert browsing.path.startswith("/portal/invitation/")
    assert browsing.page.locator("[role=alert]").count() == 1
    assert "/portal/claims/" not in browsing.page.url
    accessible(browsing, "refused invitation")
    browsing.go("/portal/claims/")
    assert browsing.path == "/portal/"
    browsing.check_clean()


def test_large_text_high_contrast_and_a_phone(portal, chromium, site, tmp_path):
    world = portal
    context = chromium.new_context(viewport=PHONE, locale="ko-KR", is_mobile=True, has_touch=True,
                                   device_scale_factor=2)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        phone = Browsing(page=context.new_page(), base=site)
        link = _invite(world, "widow@example.org")
        _enrol(phone, link)
        phone.follow("#text-toggle")
        phone.follow("#contrast-toggle")
        assert "large-text" in phone.page.get_attribute("body", "class")
        assert "high-contrast" in phone.page.get_attribute("body", "class")
        for path in ("/portal/claims/", f"/portal/claims/{world.claim.pk}/", "/portal/documents/",
                     "/portal/requests/", "/portal/passkeys/"):
            phone.go(path)
            assert "large-text" in phone.page.get_attribute("body", "class")
            width = phone.page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"], f"{path}: the page is {width}px wide on a {PHONE['width']}px phone"
            accessible(phone, f"{path} (phone, large text, high contrast)")
        phone.go(f"/portal/claims/{world.claim.pk}/")
        _shoot(phone, "portal-claim-phone", tmp_path)
        phone.go("/portal/claims/?lang=ja")
        assert phone.page.get_attribute("html", "lang") == "ja"
        accessible(phone, "claims in Japanese")
        phone.go("/portal/claims/?lang=en")
        accessible(phone, "claims in English")
        phone.check_clean()
    finally:
        context.close()
