"""The demo foundation: the three 2018 judgments (DOMAIN.md §4), loaded once, reconciling with the ledger."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import F

from baesang.cases.models import BatchLine, ClaimHolding, CourtDeposit, PaymentBatch
from baesang.cases.selectors import claim_figures, fund_report, paid_total
from baesang.core.models import AuditEvent
from baesang.demo.foundation import ANNOUNCEMENT_DATE
from baesang.judgments.models import Claim, ClaimSegment, Document, Judgment, Person
from baesang.judgments.reading import judgments_check
from baesang.ledger.selectors import ledger_verify


@pytest.mark.django_db
def test_demo_load_creates_the_three_judgments_once_and_the_books_agree(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("demo", "load", stdout=StringIO())
    counts = (Judgment.objects.count(), Claim.objects.count(), Person.objects.count(), BatchLine.objects.count())
    call_command("demo", "load", stdout=StringIO())
    assert (Judgment.objects.count(), Claim.objects.count(), Person.objects.count(),
            BatchLine.objects.count()) == counts

    first = {"2013다61381", "2015다45420", "2013다67587"}
    later = {"2020다210133", "2019다246818", "2019다232918", "2020다240021"}
    assert set(Judgment.objects.values_list("case_number", flat=True)) == first | later
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
    of_2018 = list(Claim.objects.filter(judgment__case_number__in=first))
    assert len(of_2018) == 14
    assert sum(f.total_due for f in claim_figures(claims=of_2018, as_of=ANNOUNCEMENT_DATE)) == 3_776_045_000

    states = {state: Claim.objects.filter(judgment__case_number__in=first, state=state).count()
              for state in ("paid", "refused")}
    assert states == {"paid": 10, "refused": 4}
    assert set(PaymentBatch.objects.values_list("state", flat=True)) == {PaymentBatch.SETTLED}
    assert set(CourtDeposit.objects.values_list("state", flat=True)) == {CourtDeposit.OBJECTION_DISMISSED}
    report = fund_report(as_of=date(2023, 12, 31))
    assert report["donations_received"] == 4_000_000_000
    assert report["paid"] == paid_total(as_of=date(2023, 12, 31))
    assert report["balance"] == 4_000_000_000 - report["paid"]
    assert report["deposits_held"] == 0 and report["reserved"] == 0
    assert ledger_verify().ok


@pytest.mark.django_db
def test_demo_later_judgments_are_registered_from_their_texts_and_check_clean(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("demo", "load", stdout=StringIO())
    # Every judgment, the 2018 ones included, agrees with its stored judgment text.
    checks = judgments_check()
    assert len(checks) == 7 and all(check.clean for check in checks), [c.as_json() for c in checks if not c.clean]
    later = Claim.objects.filter(judgment__final_on__gt=ANNOUNCEMENT_DATE)
    assert later.count() == 53
    # registered through the confirmation service, the text kept as the judgment's documents
    assert AuditEvent.objects.filter(action="judgment.register_from_text").count() == 4
    assert Document.objects.filter(kind=Document.JUDGMENT).count() == 14
    # heirs who took over a deceased plaintiff's suit hold claims of their own, rates 5 % then 12 %
    heirs = later.filter(plaintiff__isnull=False)
    assert heirs.count() >= 20
    assert ClaimHolding.objects.filter(claim__in=heirs, holder_id=F("claim__plaintiff_id")).count() == heirs.count()
    assert set(ClaimSegment.objects.filter(claim__in=later).values_list("rate", flat=True)) == {5, 12}
    # April 2025 (DOMAIN.md §1): 67 creditors who won, 22 paid, the others not paid.
    report = fund_report(as_of=date(2025, 4, 1))
    claims = report["claims"]
    assert claims["total"] == 67 and claims["paid"] == 22 and claims["waiting"] == 41
    assert report["owed_waiting"] > report["balance"] > 0  # the donations ran short
    assert report["donations_received"] == 6_000_000_000
    assert ledger_verify().ok
