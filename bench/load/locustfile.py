"""Load test of the staff pages (issue 13 §2): signed-in staff users open the pages of
bench/load/pages.py, each after a pause, for as long as locust runs them.

Run through bench/load/run.py (it prepares the users and the targets file, starts
`baesang serve --workers N` and summarises the figures); by hand:

    BAESANG_LOAD_TARGETS=targets.json .venv/bin/locust -f bench/load/locustfile.py --headless \\
        --users 20 --spawn-rate 4 --run-time 5m --host http://127.0.0.1:8000 --csv results/run

Environment: ``BAESANG_LOAD_TARGETS`` (the JSON of ``pages.discover``), ``BAESANG_LOAD_USERS``
(comma-separated user names, one per simulated user, signed in with ``BAESANG_LOAD_PASSWORD``).
Pages computed from every claim (dashboard, waiting list, fund report) carry the tag
``whole-list``: ``--exclude-tags whole-list`` measures the others alone.
The users are auditors: they may read every one of these pages and need no second factor
(docs/permissions.md). ``PublicReader`` (run alone: ``locust … PublicReader``, or run.py
``--user-class PublicReader``) is an anonymous reader of the public page instead.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import sys
from pathlib import Path

from locust import HttpUser, between, events, tag, task

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pages import PUBLIC_PAGE, get_paths, search_terms  # noqa: E402

TARGETS = json.loads(Path(os.environ.get("BAESANG_LOAD_TARGETS", "targets.json")).read_text(encoding="utf-8"))
USERS = [name for name in os.environ.get("BAESANG_LOAD_USERS", "auditor").split(",") if name]
PASSWORD = os.environ.get("BAESANG_LOAD_PASSWORD", "baesang-demo")
_next_user = itertools.cycle(USERS)
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class StaffUser(HttpUser):
    """One member of staff: signs in once, then reads a page, pauses 1–3 s, reads another."""

    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.rng = random.Random()
        self.username = next(_next_user)
        page = self.client.get("/accounts/login/", name="sign-in")
        token = CSRF_FIELD.search(page.text)
        with self.client.post("/accounts/login/", name="sign-in", catch_response=True,
                              data={"username": self.username, "password": PASSWORD,
                                    "csrfmiddlewaretoken": token.group(1) if token else ""},
                              headers={"Referer": f"{self.host}/accounts/login/"},
                              allow_redirects=False) as response:  # the dashboard is measured as a page
            if response.status_code != 302 or "/accounts/" in response.headers.get("Location", ""):
                response.failure(f"{self.username} could not sign in (HTTP {response.status_code})")

    def _open(self, name: str) -> None:
        path = get_paths(TARGETS, self.rng)[name]
        with self.client.get(path, name=name, catch_response=True) as response:
            self._check(response)

    def _search(self, name: str) -> None:
        query = search_terms(TARGETS, self.rng)[name]
        with self.client.post("/persons/", name=name, catch_response=True,
                              data={"q": query, "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", "")},
                              headers={"Referer": f"{self.host}/persons/"}) as response:
            self._check(response)

    @staticmethod
    def _check(response) -> None:
        if response.status_code != 200:
            response.failure(f"HTTP {response.status_code}")
        elif "/accounts/" in response.url:
            response.failure("sent to the sign-in page")

    @task
    @tag("whole-list")
    def dashboard(self):
        self._open("dashboard")

    @task
    def search_hangul(self):
        self._search("person search (Hangul)")

    @task
    def search_hanja(self):
        self._search("person search (Hanja)")

    @task
    def search_roman(self):
        self._search("person search (romanized)")

    @task
    def claim(self):
        self._open("claim page")

    @task
    @tag("whole-list")
    def waiting_first(self):
        self._open("waiting list page 1")

    @task
    @tag("whole-list")
    def waiting_deep(self):
        self._open("waiting list page 10,000")

    @task
    def judgment(self):
        self._open("judgment page (300 plaintiffs)")

    @task
    @tag("whole-list")
    def fund(self):
        self._open("fund report")

    @task
    def trial_balance(self):
        self._open("trial balance")

    @task
    def audit_log(self):
        self._open("audit log (one day)")


class PublicReader(HttpUser):
    """Anyone, not signed in: opens the public page (issue 13 §2: p95 under 50 ms), pauses 1–3 s,
    opens it again, as a reader refreshing it would (no conditional request)."""

    wait_time = between(1, 3)

    @task
    def public(self):
        with self.client.get("/public/", name=PUBLIC_PAGE, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")


@events.test_start.add_listener
def _say_what(environment, **_kwargs):
    print(f"load test: {len(USERS)} user name(s), claims sampled: {len(TARGETS['claims'])}, "
          f"judgment {TARGETS['judgment_300']} ({TARGETS['judgment_300_plaintiffs']} plaintiffs), "
          f"audit day {TARGETS['audit_day']}")
