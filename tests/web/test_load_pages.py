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
from pages import PAGES, discover, get_paths, search_terms  # noqa: E402

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
