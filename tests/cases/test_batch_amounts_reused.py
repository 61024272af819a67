"""A batch runs the interest engine once per distinct judgment order and reuses the result for
every claim with the same order (batch_prepare): each claim's sheet must still be exactly what
the engine gives for that claim alone."""

from __future__ import annotations

import random
from datetime import date

import pytest
from casework_support import HALF, accept_all, fund_donate

from baesang.cases import services
from baesang.cases.models import BatchClaim, BatchLine
from baesang.judgments.models import Claim
from baesang.judgments.orders import claim_amount_due, claim_basis

SEGMENTS = [("2013-06-19:paid:20",), ("2015-06-25:paid:20",), ("2013-06-19:2015-06-24:5", "2015-06-25:paid:20"),
            ("2018-12-01:paid:12",)]
PRINCIPALS = [80_000_000, 100_000_000, 33_333_333]


@pytest.mark.django_db
def test_every_claims_sheet_is_the_engines_for_that_claim(world):
    rng = random.Random(20261129)
    fund_donate(50_000_000_000)
    claims = []
    for _ in range(14):  # 14 claims over 12 orders: some orders shared, by plaintiffs and by heirs
        heirs = None
        if rng.random() < 0.4:
            heirs = {world.person(f"상속인{len(claims)}-{k}").pk: HALF for k in range(2)}
        claim = world.claim(principal=rng.choice(PRINCIPALS), segments=rng.choice(SEGMENTS), heirs=heirs)
        accept_all(world, claim)
        claims.append(claim)
    payment_date = date(2024, 9, 2)
    batch = services.batch_prepare(payment_date=payment_date, preparer=world.staff.finance)
    sheets = {s.claim_id: s for s in BatchClaim.objects.filter(batch=batch)}
    assert len(sheets) == len(claims)
    orders = set()
    for claim in Claim.objects.filter(pk__in=[c.pk for c in claims]).prefetch_related("segments", "holdings"):
        basis = claim_basis([type("H", (), {"share": h.share, "basis": h.change.basis})()
                             for h in claim.holdings.filter(superseded_at__isnull=True)])
        due = claim_amount_due(claim, payment_date, basis=basis)
        sheet = sheets[claim.pk]
        assert (sheet.principal, sheet.interest, sheet.total) == (due.principal, due.interest, due.total)
        assert sheet.sheet == due.as_json()
        orders.add((claim.principal, tuple((s.start, s.end, s.rate) for s in claim.segments.all()), basis))
        assert sum(BatchLine.objects.filter(batch=batch, claim=claim).values_list("amount", flat=True)) == due.total
    assert len(orders) < len(claims)  # the reuse was exercised
