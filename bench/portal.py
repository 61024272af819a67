"""Benchmark of the creditors' portal pages on the demo foundation (SQLite or PostgreSQL).

Loads the demo foundation (``baesang demo load``: three judgments, heirs, consents, a paid batch,
refusals) into a fresh database, invites the holder with the most holdings still waiting (so the
pages find their place on the waiting list), signs them in through the invitation and a TOTP
code, then times each portal page through Django's test client (the whole request: middleware,
session, queries, template or PDF), ``--runs`` times each, and prints the median and the slowest in milliseconds.

    .venv/bin/python bench/portal.py [--runs 20] [--db sqlite:////tmp/bench_portal.sqlite3]

The SQLite file named by ``--db`` is replaced; a PostgreSQL database is dropped and created anew.
Figures go to BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--db", default="sqlite:////tmp/bench_portal.sqlite3")
    args = parser.parse_args()
    if args.db.startswith("sqlite:///"):
        Path(args.db.removeprefix("sqlite:///")).unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = args.db
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baesang.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import setup_test_environment

    if connection.vendor == "postgresql":
        name = connection.settings_dict["NAME"]
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}"')
    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.BAESANG_OUTBOX_EMAIL = "memory"
    call_command("migrate", verbosity=0)
    call_command("demo", "load", stdout=io.StringIO())

    import pyotp
    from django.contrib.auth import get_user_model

    from baesang.cases.models import ClaimHolding
    from baesang.creditors import outbox
    from baesang.creditors.models import PortalAccount
    from baesang.creditors.services import portal_invite
    from baesang.pii.fields import reveal

    holder_id = (ClaimHolding.objects.filter(superseded_at__isnull=True, state__in=ClaimHolding.OUTSTANDING)
                 .values("holder_id")
                 .annotate(n=Count("pk")).order_by("-n", "holder_id")[0]["holder_id"])
    holding = ClaimHolding.objects.filter(holder_id=holder_id).select_related("holder").first()
    portal_invite(person=holding.holder, actor=get_user_model().objects.get(username="case"),
                  email="bench-heir@example.org")
    link = next(w for w in outbox.SENT[-1]["body"].split() if "/portal/invitation/" in w)
    path = "/portal/" + link.split("/portal/", 1)[1]
    client = Client()
    client.post(path)
    account = PortalAccount.objects.get(person=holding.holder)
    client.post("/portal/enrol/", {"code": pyotp.TOTP(reveal(account.totp_secret)).now()})
    pages = {
        "sign-in (anonymous)": ("/portal/", Client()),
        "my claims": ("/portal/claims/", client),
        "a claim": (f"/portal/claims/{holding.claim_id}/", client),
        "statement PDF": (f"/portal/claims/{holding.claim_id}/statement.pdf", client),
        "documents": ("/portal/documents/", client),
        "requests": ("/portal/requests/", client),
    }
    print(f"{connection.vendor}; holder {holder_id} with "
          f"{ClaimHolding.objects.filter(holder_id=holder_id).count()} holding(s); {args.runs} runs per page")
    for label, (url, who) in pages.items():
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            response = who.get(url)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        print(f"{label:22} {url:36} median {statistics.median(times):7.1f} ms   max {max(times):7.1f} ms")


if __name__ == "__main__":
    main()
