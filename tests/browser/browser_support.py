"""What the browser tests share: how Debian's Chromium is started, one person's browser window
(``Browsing``), signing in through the login page and the second factor (RFC 6238 TOTP with the
demo key of `baesang demo load`), the Korean text of the application's messages, and the demo
creditor the flows follow (docs/demo.md)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import pyotp
from django.contrib.auth import get_user_model
from django.utils import timezone, translation
from django.utils.translation import gettext

from baesang.cases.services import claim_offers_make, offer_accept
from baesang.judgments.services import document_store
from baesang.staff.signin import DEMO_TOTP_SECRET

CHROMIUM = os.environ.get("BAESANG_CHROMIUM", "/usr/bin/chromium")
# Without the background-networking flags Chromium keeps trying to reach Google's hosts, which a
# closed network refuses; the sandbox needs user namespaces that a root CI container lacks.
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
CHROMIUM_MISSING = (
    f"The browser tests need Debian's Chromium at {CHROMIUM}. `make test`, run as root on Debian, installs it "
    "(with a Korean font for the screenshots); otherwise run `apt-get install chromium fonts-noto-cjk` as root, "
    "or set BAESANG_CHROMIUM to another Chromium."
)
VIEWPORT = {"width": 1280, "height": 900}
DEMO_PASSWORD = "baesang-demo"
TIMEOUT_MS = 15_000


# The living Nagoya plaintiff who refused in 2023 (docs/demo.md: 2015다45420, plaintiff 1).
NAGOYA = "2015다45420"


@dataclass
class Browsing:
    """One person's browser window (its own cookies), with what went wrong on the way."""

    page: object
    base: str
    server_errors: list[str] = field(default_factory=list)
    script_errors: list[str] = field(default_factory=list)

    def go(self, path: str):
        return self.page.goto(self.base + path)

    @property
    def path(self) -> str:
        return self.page.url.removeprefix(self.base)

    def follow(self, selector: str) -> None:
        """Click a link or a form's button and wait until the page it leads to (after any redirect) has loaded."""
        with self.page.expect_navigation():
            self.page.click(selector)

    def csrf_token(self) -> str:
        return next(cookie["value"] for cookie in self.page.context.cookies() if cookie["name"] == "csrftoken")

    def post(self, path: str, form: dict | None = None):
        """A POST made outside the page's forms (as a forged or replayed request would be), with the
        session and CSRF token of this window."""
        return self.page.request.post(self.base + path, form={"csrfmiddlewaretoken": self.csrf_token(), **(form or {})},
                                      headers={"Referer": self.base + "/"}, max_redirects=0)

    def check_clean(self) -> None:
        assert not self.server_errors, f"server errors: {self.server_errors}"
        assert not self.script_errors, f"script or content-security-policy errors: {self.script_errors}"


def totp_code() -> str:
    """The current code of the demo second factor (the key `baesang demo load` gives approver and admin)."""

    return pyotp.TOTP(DEMO_TOTP_SECRET).now()


def sign_in_as(browsing: Browsing, username: str, *, code: str | None = None) -> None:
    """Sign in through the login page; approvers and administrators also type their TOTP code."""
    page = browsing.page
    browsing.go("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    browsing.follow("main form button[type=submit]")
    if browsing.path.startswith("/accounts/second-factor/"):
        page.fill("input[name=code]", code or totp_code())
        browsing.follow("main form button[type=submit]")



def offer_open(claim):
    """Offers to every holder of ``claim`` without one, made today by the demo case officer; the first."""


    case = get_user_model().objects.get(username="case")
    return claim_offers_make(claim=claim, offered_on=timezone.localdate(), actor=case)[0]


def offer_accepted(claim) -> None:
    """An offer on ``claim`` accepted through the services, as the workflow test does in the browser."""


    case = get_user_model().objects.get(username="case")
    offer = offer_open(claim)
    form = document_store(kind="consent_form", title="판결금 수령 동의서",
                          content=f"signed form, offer {offer.pk}".encode(), filename="consent.pdf",
                          actor=case, person=offer.holding.holder)
    offer_accept(offer=offer, actor=case, verified_on=timezone.localdate(), identity_method="id_card_in_person",
                 capacity="self", witness_name="재단 직원", form_document=form)


def korean(message: str) -> str:
    """The Korean text of a message of the application (its catalogue), as the screens show it."""
    with translation.override("ko"):
        text = gettext(message)
    assert text != message, f"no Korean translation of {message!r}"
    return text
