"""The public page and the open-data files: caching headers, conditional requests, and figures
that follow the ledger at once (a batch posted shows on the next request)."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from conftest import bank_results, build_foundation
from django.db import connection

from baesang.cases import selectors as case_selectors
from baesang.cases import services as cases
from baesang.cases.selectors import fund_report
from baesang.core.formatting import format_won_readable
from baesang.core.services import audit_record
from baesang.ledger.models import Transfer
from baesang.public import claims as public_claims
from baesang.public import selectors

FILES = ["/public/data/transfers.json", "/public/data/transfers.csv"]


def body(response) -> str:
    return (b"".join(response.streaming_content) if response.streaming else response.content).decode()


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/public/", "/public/?lang=en", *FILES])
def test_public_pages_and_files_carry_an_etag_and_answer_304_while_nothing_changed(client, foundation, url):
    first = client.get(url)
    assert first.status_code == 200
    etag = first.headers["ETag"]
    assert etag.startswith('"') and first.headers["Cache-Control"] == "public, no-cache"
    if url in FILES:
        assert first.headers["Last-Modified"]
        assert first.streaming  # sent from the file, a block at a time
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.headers["ETag"] == etag and not again.content
    other = client.get(url, headers={"If-None-Match": '"something-else"'})
    assert other.status_code == 200


@pytest.mark.django_db
def test_a_sign_in_leaves_the_public_pages_etag_and_a_change_moves_it(client, foundation):
    etag = client.get("/public/").headers["ETag"]
    for action in ("auth.login", "portal.sign_in", "ledger.verify"):  # change no figure
        audit_record(actor="someone", action=action, entity_type="auth.user", entity_id=1)
    assert client.get("/public/", headers={"If-None-Match": etag}).status_code == 304
    audit_record(actor="someone", action="person.update", entity_type="judgments.person", entity_id=1)
    assert client.get("/public/", headers={"If-None-Match": etag}).status_code == 200


@pytest.mark.django_db
def test_the_json_file_is_one_document_and_the_csv_has_a_row_per_transfer(client, foundation):
    document = json.loads(body(client.get(FILES[0])))
    assert document["format"] == "baesang-public-ledger"
    assert len(document["transfers"]) == Transfer.objects.count() == document["totals"]["transfers"]
    lines = body(client.get(FILES[1])).splitlines()
    assert len(lines) == 1 + Transfer.objects.count()


@pytest.mark.django_db
def test_figures_and_files_change_as_soon_as_a_batch_posts(client, django_user_model):
    # Six claims paid, three accepted and waiting (tests/public/conftest.py).
    world = build_foundation(django_user_model, paid=6, waiting_accepted=3)
    staff = world.staff
    page = client.get("/public/")
    etag, file_etag = page.headers["ETag"], client.get(FILES[0]).headers["ETag"]
    paid_before = fund_report(as_of=date.today())["paid"]
    bank_before = selectors.public_summary(as_of=date.today()).bank_balance

    batch = cases.batch_prepare(payment_date=date.today(), preparer=staff["finance"])
    cases.batch_approve(batch=batch, approver=staff["approver"])
    bank_file = cases.batch_export(batch=batch, actor=staff["finance"])
    cases.batch_result_import(batch=batch, results=bank_results(bank_file.content), actor=staff["finance"])

    # No waiting for a cache to expire: the old copies are not current any more …
    assert client.get("/public/", headers={"If-None-Match": etag}).status_code == 200
    assert client.get(FILES[0], headers={"If-None-Match": file_etag}).status_code == 200
    # … and the figures are the ledger's.
    report = fund_report(as_of=date.today())
    assert report["paid"] > paid_before
    summary = selectors.public_summary(as_of=date.today())
    assert summary.bank_balance == report["balance"] < bank_before
    assert summary.bank_balance == bank_before - (report["paid"] - paid_before)
    english = body(client.get("/public/?lang=en"))
    assert format_won_readable(report["balance"], "en") in english
    document = json.loads(body(client.get(FILES[0])))
    assert document["totals"]["judgment_payments"] == report["paid"]
    assert document["ledger_head"]["seq"] == Transfer.objects.count()
    assert re.search(document["public_head"], english)



def _settle() -> None:
    """Wait for the figures computed behind the page, then forget this process's copy."""
    for thread in list(case_selectors._behind.values()):
        thread.join(timeout=120)
    selectors.cache_clear()

@pytest.mark.django_db(transaction=True)
def test_after_a_change_the_page_shows_the_earlier_owed_figure_marked_and_gives_no_etag_until_it_is_current(
        client, django_user_model, settings):
    # PostgreSQL with the figures computed behind the page (as deployed): a page after a change
    # does not wait for a pass over every claim. SQLite computes at once (the last assertions).
    settings.BAESANG_FIGURES_BEHIND = True
    world = build_foundation(django_user_model, claims=16, paid=2, waiting_accepted=3)
    today = date.today()
    client.get("/public/")  # the figures are computed (no earlier ones) and kept; the chart's behind
    _settle()
    assert "ETag" in client.get("/public/").headers
    owed_before = public_claims.waiting_totals(as_of=today).owed
    assert owed_before > 0
    batch = cases.batch_prepare(payment_date=today, preparer=world.staff["finance"])
    cases.batch_approve(batch=batch, approver=world.staff["approver"])
    bank_file = cases.batch_export(batch=batch, actor=world.staff["finance"])
    cases.batch_result_import(batch=batch, results=bank_results(bank_file.content), actor=world.staff["finance"])
    page = client.get("/public/")
    summary = selectors.public_summary(as_of=today)
    if connection.vendor == "postgresql":
        assert not summary.settled and summary.waiting_computed_at
        assert public_claims.waiting_totals(as_of=today, stale_ok=True).owed == owed_before  # exactly the earlier
        assert "ETag" not in page.headers and page.headers["Cache-Control"] == "no-store"
        _settle()
    selectors.cache_clear()
    summary = selectors.public_summary(as_of=today)
    assert summary.settled and summary.waiting_computed_at is None
    assert public_claims.waiting_totals(as_of=today, stale_ok=True).owed < owed_before  # paid ones no longer wait
    assert "ETag" in client.get("/public/").headers
