"""The claim page states the basis of its calculation sheet and the claim's limitation; the
dashboard shows the claims nearing their limitation date (Art. 165(1): ten years from final)."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.utils import timezone

from baesang.cases.services import limitation_event_record
from baesang.judgments.models import Judgment

pytestmark = pytest.mark.django_db


def _client(sign_in, user) -> Client:
    client = Client()
    sign_in(client, user)
    return client


def test_the_claim_page_shows_basis_and_limitation(role_users, sign_in, casework):
    claim = casework["claim"]
    limitation_event_record(actor=role_users["case_officer"], claim=claim, kind="acknowledgment",
                            on=date(2025, 1, 15))
    client = _client(sign_in, role_users["case_officer"])
    html = client.get(f"/claims/{claim.pk}/?as_of=2025-02-01").content.decode()
    # The plaintiff holds the whole claim: the judgment's own order for them.
    assert 'data-basis="own_order"' in html
    # Acknowledged 2025-01-15 (Arts. 177, 178(1)): a new ten years, last day 2035-01-15.
    assert "2035-01-15" in html and 'id="limitation"' in html


def test_the_dashboard_lists_claims_nearing_their_limitation_date(role_users, sign_in, casework):
    # Move the judgment's final date so that its limitation's last day is one year from today:
    # final on D, last day the day before D's corresponding day ten years on (Arts. 157, 160(2)).
    today = timezone.localdate()
    final = date(today.year - 9, today.month, min(today.day, 28))
    Judgment.objects.filter(pk=casework["judgment"].pk).update(final_on=final, decided_on=final)
    html = _client(sign_in, role_users["case_officer"]).get("/").content.decode()
    assert "panel-limitation" in html
    assert f"/claims/{casework['claim'].pk}/#limitation" in html
    admin = _client(sign_in, role_users["administrator"]).get("/").content.decode()
    assert "panel-limitation" not in admin
