"""The main screens, on the demo foundation, as each person sees them in the browser: every one
answers 200, in Korean (one in English), with the stylesheet applied and no server, script or
content-security-policy error, and is captured at 1280×900.

The captures go to a temporary directory; with ``BAESANG_SCREENSHOTS=1`` they replace the ones
in ``docs/screens/`` (listed in docs/screens/README.md):

    BAESANG_SCREENSHOTS=1 .venv/bin/pytest tests/browser/test_browser_screens.py    # or: make screens
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
from pathlib import Path

import pytest
from browser_support import NAGOYA, VIEWPORT, Browsing, offer_accepted, offer_open
from django.contrib.auth import get_user_model

from baesang.cases.models import PaymentBatch
from baesang.cases.services import batch_prepare
from baesang.judgments.models import Claim
from baesang.judgments.selectors import persons_search

pytestmark = pytest.mark.django_db(transaction=True)

SCREENS_DIR = Path(__file__).resolve().parents[2] / "docs" / "screens"
NIPPON = "2013다61381"
HIROSHIMA = "2013다67587"


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk (PNG specification, §11.2.2)."""
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG"
    return struct.unpack(">II", header[16:24])


def korean_font_installed() -> bool:
    found = subprocess.run(["fc-list", ":lang=ko"], capture_output=True, text=True, check=False)
    return bool(found.stdout.strip())


def style_rules(browsing: Browsing) -> int:
    """How many CSS rules the page applies (a stylesheet blocked by the policy counts none)."""
    return browsing.page.evaluate(
        "Array.from(document.styleSheets).reduce((n, sheet) => n + sheet.cssRules.length, 0)")


def capture(browsing: Browsing, path: str, name: str, into: Path, *, lang: str = "ko", styled: bool = True) -> Path:
    response = browsing.go(path)
    assert response.status == 200, f"{path}: {response.status}"
    return shoot(browsing, name, into, lang=lang, styled=styled)


def shoot(browsing: Browsing, name: str, into: Path, *, lang: str = "ko", styled: bool = True) -> Path:
    page = browsing.page
    assert page.get_attribute("html", "lang") == lang, f"{name}: not in {lang}"
    assert not styled or style_rules(browsing) > 0, f"{name}: no stylesheet applied"
    target = into / f"{name}.png"
    page.screenshot(path=str(target))
    assert png_size(target) == (VIEWPORT["width"], VIEWPORT["height"])
    return target


def test_main_screens_render_and_are_captured(staff, window, tmp_path):
    writing = os.environ.get("BAESANG_SCREENSHOTS") == "1"
    if writing and not korean_font_installed():
        pytest.fail("No Korean font: Hangul would be drawn as boxes. Install fonts-noto-cjk (make browser).")
    into = tmp_path
    # A morning's work on the demo foundation: one refuser accepted and a batch awaiting approval,
    # another offered again with the consent still to record.
    offer_accepted(Claim.objects.get(judgment__case_number=NAGOYA, position=1))
    offer = offer_open(Claim.objects.get(judgment__case_number=NIPPON, position=1))
    batch = batch_prepare(payment_date=offer.offered_on, preparer=get_user_model().objects.get(username="finance"))
    # Nagoya plaintiff 2: died in 2022, two heirs who refused; 5 % then 20 %; deposits refused by the court.
    inherited = Claim.objects.get(judgment__case_number=NAGOYA, position=2)
    shots = []

    visitor = window()
    shots.append(capture(visitor, "/accounts/login/", "login", into))
    public = window()  # its styling is checked by test_public_page_is_styled_under_the_security_policy
    shots.append(capture(public, "/public/", "public", into, styled=False))

    auditor = staff("auditor")  # reads everything: every dashboard panel
    shots.append(capture(auditor, "/", "dashboard", into))

    case = staff("case")
    case.go("/persons/")
    # the surname of Hiroshima plaintiff 4 (docs/demo.md: represented by his widow, children and grandson)
    surname = Claim.objects.get(judgment__case_number=HIROSHIMA, position=4).victim.name_roman.split(" ")[0]
    case.page.fill("input[name=q]", surname)
    case.follow("main form button[type=submit]")
    expected = {person.name_hangul for person in persons_search(query=surname, limit=100)}
    assert len(expected) > 1 and all(name in case.page.inner_text("main table.data") for name in expected)
    shots.append(shoot(case, "search", into))
    shots.append(capture(case, f"/claims/{inherited.pk}/", "claim", into))
    why = case.page.locator("details").first
    why.locator("summary").click()  # why this share: the heirship engine's explanation
    case.page.evaluate("window.scrollTo(0, 0)")
    why.evaluate("details => details.closest('section').scrollIntoView()")
    assert why.evaluate("details => details.open")
    shots.append(shoot(case, "claim-holders", into))
    shots.append(capture(case, f"/offers/{offer.pk}/consent/", "consent", into))

    approver = staff("approver")
    shots.append(capture(approver, f"/batches/{batch.pk}/", "batch", into))
    assert approver.page.locator("form[action$='/approve/']").count() == 1

    finance = staff("finance")
    paid = PaymentBatch.objects.filter(state=PaymentBatch.SETTLED).order_by("pk").first()
    shots.append(capture(finance, f"/batches/{paid.pk}/", "batch-paid", into))
    shots.append(capture(finance, "/fund/", "fund", into))

    auditor.go(f"/claims/{inherited.pk}/")
    auditor.follow("form.langswitch button[value=en]")
    shots.append(shoot(auditor, "claim-en", into, lang="en"))

    for browsing in (visitor, auditor, case, approver, finance):
        browsing.check_clean()
    if writing:
        SCREENS_DIR.mkdir(parents=True, exist_ok=True)
        for shot in shots:
            shutil.copyfile(shot, SCREENS_DIR / shot.name)


def test_public_page_is_styled_under_the_security_policy(window):
    visitor = window()
    assert visitor.go("/public/").status == 200
    assert style_rules(visitor) > 0
    visitor.check_clean()
