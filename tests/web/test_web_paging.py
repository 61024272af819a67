"""The staff screens' lists are paged by keyset: the waiting list and the claims list show a page
with next/previous links that keep the filters (``as_of``), the ranks continue on the next page,
and a changed page link gives the 400 page, not a server error."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.test import Client

from baesang.cases import holdings
from baesang.judgments import services as judgments
from baesang.web import paging

pytestmark = pytest.mark.django_db


@pytest.fixture
def five_claims(role_users, casework, monkeypatch):
    """The casework claim and four more of the same judgment; pages of two rows."""
    case = role_users["case_officer"]
    for position in range(2, 6):
        victim = judgments.person_create(name_hangul=f"피해자{position}", actor=case)
        claim = judgments.claim_create(judgment=casework["judgment"], position=position, victim=victim,
                                       principal=100_000_000, segments=["2013-06-19:paid:20"], actor=case)
        holdings.claim_holders_plaintiff(claim=claim, actor=case)
    monkeypatch.setitem(paging.screen_page.__kwdefaults__, "limit", 2)


def _links(html: str) -> dict[str, str]:
    """The page links (``?…``) by their ``rel``."""
    return {rel: unescape(href) for rel, href in re.findall(r'<a rel="(prev|next)" href="([^"]+)"', html)}


def _ranks(html: str) -> list[str]:
    return re.findall(r'<tr><td class="num">(\d+)</td>', html)


@pytest.mark.parametrize("url", ["/waiting/?as_of=2023-03-06", "/claims/?as_of=2023-03-06"])
def test_pages_walk_the_list_keep_the_filters_and_go_back(role_users, sign_in, five_claims, url):
    client = Client()
    sign_in(client, role_users["auditor"])
    first = client.get(url).content.decode()
    links = _links(first)
    assert set(links) == {"next"} and "as_of=2023-03-06" in links["next"]  # the filter kept
    path = url.split("?")[0]
    second = client.get(path + links["next"])
    assert second.status_code == 200
    second_html = second.content.decode()
    assert set(_links(second_html)) == {"prev", "next"}
    if url.startswith("/waiting"):
        assert _ranks(first) == ["1", "2"] and _ranks(second_html) == ["3", "4"]  # ranks continue
    back = client.get(path + _links(second_html)["prev"]).content.decode()
    assert _ranks(back) == _ranks(first) and re.findall(r"/claims/(\d+)/", back) == re.findall(r"/claims/(\d+)/", first)


@pytest.mark.parametrize("url", ["/waiting/", "/claims/", "/donations/", "/audit/", "/judgments/", "/batches/",
                                 "/documents/", "/deposits/", "/proposals/", "/duplicates/"])
def test_a_changed_page_link_gives_400_not_500(role_users, sign_in, url):
    role = {"/audit/": "auditor", "/donations/": "finance_officer", "/batches/": "finance_officer"}.get(
        url, "case_officer")
    client = Client()
    sign_in(client, role_users[role])
    response = client.get(url, {"after": "W1sxXSwxLG51bGxd:1tZzZz:forged"})
    assert response.status_code == 400
    assert "잘못된 요청" in response.content.decode()  # the 400 page, in Korean
