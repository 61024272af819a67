"""The load test's pages (bench/load/pages.py) are found in a database and each opens for the
auditor the load test signs in as — on the demo foundation, so the load test cannot rot."""

from __future__ import annotations

import io
import random
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench" / "load"))
from django.utils import timezone  # noqa: E402
from pages import PAGES, discover, get_paths, search_terms, waiting_deep_path  # noqa: E402

from baesang.cases.selectors import _waiting_candidates, waiting_keyset_order, waiting_page, waiting_policy  # noqa: E402
from baesang.core.paging import PAGE_MAX  # noqa: E402
from baesang.judgments.models import Judgment  # noqa: E402

pytestmark = pytest.mark.django_db


def test_every_page_of_the_load_test_opens_for_an_auditor(role_users, sign_in):
    call_command("demo", "load", stdout=io.StringIO())
    targets = discover(claims=20, names=20)
    assert len(targets["claims"]) > 0 and set(targets["names"]) == {"hangul", "hanja", "roman"}
    # the judgment nearest 300 plaintiffs: none of the demo's has more than the chosen one
    chosen = Judgment.objects.get(pk=targets["judgment_300"])
    assert all(abs(j.plaintiffs_count - 300) >= abs(chosen.plaintiffs_count - 300) for j in Judgment.objects.all())
    rng = random.Random(13)
    paths, searches = get_paths(targets, rng), search_terms(targets, rng)
    assert sorted([*paths, *searches]) == sorted(PAGES)
    client = Client()
    sign_in(client, role_users["auditor"])
    for name, path in paths.items():
        response = client.get(path)
        assert response.status_code == 200, (name, path, response.status_code)
    for name, query in searches.items():
        response = client.post("/persons/", {"q": query})
        assert response.status_code == 200, (name, query)
    hangul = client.post("/persons/", {"q": targets["names"]["hangul"][0]})
    assert targets["names"]["hangul"][0] in hangul.content.decode()  # a sampled name finds its person


def test_the_deep_waiting_page_of_the_load_test_continues_the_list_where_it_says(role_users, sign_in):
    call_command("demo", "load", stdout=io.StringIO())
    today = timezone.localdate()
    policy = waiting_policy()
    candidates = list(_waiting_candidates(policy, today).order_by(*waiting_keyset_order(policy))
                      .values_list("pk", flat=True))
    waiting = [row.claim_id for row in waiting_page(as_of=today, limit=PAGE_MAX).items]
    assert len(candidates) > 10 and len(waiting) < PAGE_MAX
    client = Client()
    sign_in(client, role_users["auditor"])
    # page 3 of pages of 5: after the 10th candidate of the waiting order, numbered from 11
    response = client.get(waiting_deep_path(page=3, size=5))
    assert response.status_code == 200
    listed = response.context["page"]
    assert listed.items
    assert [row.claim_id for row in listed.items] == [pk for pk in waiting if candidates.index(pk) >= 10]
    assert listed.first_position == 11
    assert waiting_deep_path(page=len(candidates), size=5) == "/waiting/"  # the list is shorter than that
