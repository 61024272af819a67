"""Fixtures of the browser tests: Debian's Chromium, driven by Playwright (sync API), against the
real application served by pytest-django's live server on a fresh database holding the demo
foundation (docs/demo.md), signing in as the demo users through the login page and, for approvers
and administrators, the second factor (RFC 6238 TOTP with the documented demo key).

Playwright's own browser download is never used (it fails on a machine without internet access):
`make test` installs Debian's ``chromium`` with apt when it is missing (docs/testing.md). Without
it the browser tests fail with the message below; they are never skipped.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterator

import pytest
from browser_support import CHROMIUM, CHROMIUM_ARGS, CHROMIUM_MISSING, TIMEOUT_MS, VIEWPORT, Browsing, sign_in_as
from django.core.management import call_command
from playwright.sync_api import sync_playwright

from baesang.demo.management.commands.demo import demo_users_create


@pytest.fixture(scope="module")
def chromium() -> Iterator:
    """One headless Chromium for a test module.

    While Playwright's sync API is active an asyncio loop counts as running in this thread, so Django's
    guard against ORM calls from async code is lifted for the module (the live server runs in its own
    thread) and restored afterwards: the rest of the suite runs with the guard and without the loop.
    """
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(CHROMIUM_MISSING, pytrace=False)

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def site(live_server, settings, tmp_path) -> str:
    """The application served on this test's (empty) database; returns its address."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    return live_server.url


@pytest.fixture
def demo_users(site) -> None:
    """Only the demo users (one per role; approver and admin with the demo second factor)."""

    demo_users_create()


@pytest.fixture
def demo(site) -> None:
    """The whole demo foundation (`baesang demo load`)."""

    call_command("demo", "load", stdout=io.StringIO())


@pytest.fixture
def window(chromium, site) -> Iterator[Callable[[], Browsing]]:
    """``window()``: a new browser window (own cookies) at 1280×900, Korean as a Korean user's browser."""
    contexts = []

    def open_window() -> Browsing:
        context = chromium.new_context(viewport=VIEWPORT, locale="ko-KR", accept_downloads=True)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        browsing = Browsing(page=page, base=site)
        page.on("response", lambda response: response.status >= 500
                and browsing.server_errors.append(f"{response.status} {response.url}"))
        page.on("pageerror", lambda error: browsing.script_errors.append(str(error)))
        page.on("console", lambda message: message.type == "error" and "Content Security Policy" in message.text
                and browsing.script_errors.append(message.text))
        return browsing

    yield open_window
    for context in contexts:
        context.close()


@pytest.fixture
def staff(window, demo) -> Callable[[str], Browsing]:
    """``staff(username)``: on the demo foundation, a new window signed in as that user, on the dashboard."""

    def open_signed_in(username: str) -> Browsing:
        browsing = window()
        sign_in_as(browsing, username)
        assert browsing.path == "/", f"{username} did not reach the dashboard but {browsing.path}"
        return browsing

    return open_signed_in
