"""The demo foundation: the three 2018 judgments (DOMAIN.md §4), loaded once, reconciling with the ledger."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from baesang.cases.models import BatchLine, ClaimHolding, CourtDeposit, PaymentBatch
from baesang.cases.selectors import claim_figures, fund_report, paid_total
from baesang.demo.foundation import ANNOUNCEMENT_DATE
from baesang.judgments.models import Claim, Judgment, Person
from baesang.ledger.selectors import ledger_verify


@pytest.mark.django_db
def test_demo_load_creates_the_three_judgments_once_and_the_books_agree(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("demo", "load", stdout=StringIO())
    counts = (Judgment.objects.count(), Claim.objects.count(), Person.objects.count(), BatchLine.objects.count())
    call_command("demo", "load", stdout=StringIO())
    assert (Judgment.objects.count(), Claim.objects.count(), Person.objects.count(),
            BatchLine.objects.count()) == counts

    assert set(Judgment.objects.values_list("case_number", flat=True)) == {"2013다61381", "2015다45420", "2013다67587"}
    hiroshima = Claim.objects.filter(judgment__case_number="2013다67587")
    assert hiroshima.count() == 5 and {c.principal for c in hiroshima} == {80_000_000}
    # DOMAIN.md §4: the five Hiroshima victims are represented by 23 heirs.
    assert ClaimHolding.objects.filter(claim__in=hiroshima, superseded_at__isnull=True).count() == 23
    nagoya = sorted(Claim.objects.filter(judgment__case_number="2015다45420").values_list("principal", flat=True))
    assert nagoya == sorted([120_000_000, 100_000_000, 120_000_000, 120_000_000, 102_083_333])
    assert not Person.objects.filter(pseudonymous=False).exists()

    # Owed on 2023-03-06 to the creditors of the three judgments, by hand (period method, truncated):
    # Nippon Steel 4 × 294,301,369; Nagoya 3 × 305,472,041 + 254,560,034 + 259,863,367;
    # Hiroshima 5 × 233,600,000 — in all 3,776,045,000 won (public figure: about 4 bn won).
    assert sum(f.total_due for f in claim_figures(as_of=ANNOUNCEMENT_DATE)) == 3_776_045_000

    states = {state: Claim.objects.filter(state=state).count() for state in ("paid", "refused")}
    assert states == {"paid": 10, "refused": 4}
    assert PaymentBatch.objects.get().state == PaymentBatch.SETTLED
    assert set(CourtDeposit.objects.values_list("state", flat=True)) == {CourtDeposit.OBJECTION_DISMISSED}
    report = fund_report(as_of=date(2023, 12, 31))
    assert report["donations_received"] == 4_000_000_000
    assert report["paid"] == paid_total() and report["balance"] == 4_000_000_000 - report["paid"]
    assert report["deposits_held"] == 0 and report["reserved"] == 0
    assert ledger_verify().ok
