"""The staff navigation at 1280 px (issue 14 §4): for the roles with the most screens (finance
officer, approver, auditor) every entry sits on one row, inside the window; a plain button is styled."""

from __future__ import annotations

import pytest
from browser_support import sign_in_as

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("username", ["finance", "approver", "auditor"])
def test_the_navigation_fits_one_row_at_1280_px(window, demo_users, username):
    browsing = window()
    sign_in_as(browsing, username)
    tops = browsing.page.eval_on_selector_all(".mainnav li", "items => items.map(i => i.getBoundingClientRect().top)")
    assert len(tops) >= 10 and max(tops) - min(tops) < 4, tops
    # every entry is visible in the window: none pushed off to a scrolled-away area
    rights = browsing.page.eval_on_selector_all(".mainnav li",
                                                "items => items.map(i => i.getBoundingClientRect().right)")
    assert max(rights) <= 1280
    bar = browsing.page.eval_on_selector(".topbar", "bar => bar.getBoundingClientRect().height")
    link = browsing.page.eval_on_selector(".mainnav a", "a => a.getBoundingClientRect().height")
    assert bar < 2 * link + 20, (bar, link)


def test_a_button_without_a_class_is_styled(window, demo_users):
    # "계산" (Compute) on a claim's page and "검색" (Search) on the donations page are plain
    # submit buttons: they get the secondary style, not the browser's grey default.
    browsing = window()
    sign_in_as(browsing, "finance")
    browsing.go("/donations/")
    button = "form.filters button[type=submit]:not([class])"
    assert browsing.page.eval_on_selector(button, "b => b.className") == ""
    border = browsing.page.eval_on_selector(button, "b => getComputedStyle(b).borderTopColor")
    radius = browsing.page.eval_on_selector(button, "b => getComputedStyle(b).borderTopLeftRadius")
    assert border == "rgb(31, 78, 121)" and radius == "6px"  # --accent and --radius of baesang.css
