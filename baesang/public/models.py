"""Inputs of the funding forecast that staff edit: lawsuits not yet final (계류 중인 소송).

A pending lawsuit stands for ``count`` claims expected to become final on a date, each for
an expected principal, with delay interest from a start date. When the rate is left blank
the forecast assumes the Litigation Promotion Act rate in force on the interest start date
(소송촉진 등에 관한 특례법 Art. 3(1): 20 % before 2015-10-01, 15 % to 2019-05-31, 12 % from
2019-06-01); the judgment's own wording, once known, is entered instead. Only sums and
counts of these rows are ever shown publicly.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class PendingLawsuit(models.Model):
    description = models.CharField(
        max_length=200, help_text="e.g. court and case number; shown to staff only, never on public pages"
    )
    count = models.PositiveIntegerField(help_text="number of claims (plaintiffs or victims) expected to win")
    award_per_claim = models.BigIntegerField(help_text="expected principal per claim, whole won")
    expected_final_on = models.DateField(help_text="expected date the judgment becomes final (확정)")
    interest_from = models.DateField(help_text="date delay interest starts (지연손해금 기산일)")
    rate = models.DecimalField(
        max_digits=5, decimal_places=2, null=True, blank=True,
        help_text="annual rate in percent; blank: the Litigation Promotion Act rate in force on the interest "
                  "start date (20 / 15 / 12 %)",
    )
    active = models.BooleanField(default=True, help_text="counted in the forecast")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "pending lawsuit (계류 중인 소송)"
        ordering = ["expected_final_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(count__gte=1), name="public_pending_lawsuit_count_positive"),
            models.CheckConstraint(condition=Q(award_per_claim__gt=0), name="public_pending_lawsuit_award_positive"),
            models.CheckConstraint(
                condition=Q(rate__isnull=True) | Q(rate__gte=0, rate__lte=100), name="public_pending_lawsuit_rate"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.description} ({self.count} × {self.award_per_claim:,}원, {self.expected_final_on})"
