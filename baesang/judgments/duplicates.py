"""Probable duplicates of persons and external evidence of who a person is (중복 인물 검토).

The same victim may be registered twice — by two case officers, once in Hangul and once as a
romanized name from a passport — and would then be offered and paid twice. A matching run
(``baesang match persons``, ``baesang.judgments.matching``) proposes pairs of the foundation's
own persons with the identity engine's probability and its explanation (the match weight of
each field, Fellegi–Sunter log2 Bayes factors); case officers decide each pair:

- *same person*: the claims, holdings and documents of one move to the other, which is kept
  as merged-into with the list of what moved (``PersonMerge``), so an administrator can
  reverse it;
- *different persons*: remembered, and never proposed again by a later run.

Entries of an external register or roster (the Korean government's victims register, a
Japanese wartime roster) linked to a person are kept as evidence, with the fields as given.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

OPEN = "open"
SAME = "same"
DIFFERENT = "different"
PAIR_STATES = [(OPEN, "awaiting a decision"), (SAME, "same person (merged)"), (DIFFERENT, "different persons")]
DECISIONS = (SAME, DIFFERENT)


class MatchRun(models.Model):
    """One run of the matcher over the foundation's persons."""

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(auto_now_add=True)
    run_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    backend = models.CharField(max_length=10, default="duckdb")
    threshold = models.FloatField(help_text="lowest match probability put in the review queue")
    persons_count = models.PositiveIntegerField(default=0)
    pairs_found = models.PositiveIntegerField(default=0)
    pairs_new = models.PositiveIntegerField(default=0)
    pairs_skipped = models.PositiveIntegerField(default=0, help_text="already decided, or already in the queue")

    class Meta:
        verbose_name = "person matching run"
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"match run {self.pk}"


class DuplicatePair(models.Model):
    """Two persons that are probably one (ordered ids: ``left_id < right_id``) and the decision."""

    left = models.ForeignKey("judgments.Person", on_delete=models.PROTECT, related_name="+")
    right = models.ForeignKey("judgments.Person", on_delete=models.PROTECT, related_name="+")
    probability = models.FloatField()
    match_weight = models.FloatField()
    explanation = models.JSONField(help_text="match weight of each field, and the prior (log2 Bayes factors)")
    found_at = models.DateTimeField(auto_now_add=True)
    run = models.ForeignKey(MatchRun, null=True, blank=True, on_delete=models.PROTECT, related_name="pairs")
    state = models.CharField(max_length=10, choices=PAIR_STATES, default=OPEN)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        verbose_name = "probable duplicate (중복 후보)"
        ordering = ["-probability", "id"]
        constraints = [
            models.UniqueConstraint(fields=["left", "right"], name="duplicate_pair_unique"),
            models.CheckConstraint(condition=Q(left__lt=models.F("right")), name="duplicate_pair_ordered"),
            models.CheckConstraint(condition=Q(state__in=["open", "same", "different"]),
                                   name="duplicate_pair_state_known"),
            models.CheckConstraint(
                condition=Q(state="open", decided_at__isnull=True)
                | (~Q(state="open") & Q(decided_at__isnull=False)),
                name="duplicate_pair_decided_with_time"),
        ]

    def __str__(self) -> str:
        return f"pair {self.left_id}/{self.right_id} ({self.state})"

    def other(self, person_id: int) -> int:
        return self.right_id if person_id == self.left_id else self.left_id


class PersonMerge(models.Model):
    """``merged`` is the same person as ``kept``: what moved, by whom; reversible."""

    pair = models.ForeignKey(DuplicatePair, null=True, blank=True, on_delete=models.PROTECT, related_name="merges")
    kept = models.ForeignKey("judgments.Person", on_delete=models.PROTECT, related_name="merges_kept")
    merged = models.ForeignKey("judgments.Person", on_delete=models.PROTECT, related_name="merges_into")
    moved = models.JSONField(help_text="ids of the rows that moved: victim_claims, plaintiff_claims, holdings, "
                             "documents, decedent_changes, external_records")
    reason = models.TextField(blank=True)
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    merged_at = models.DateTimeField(auto_now_add=True)
    reversed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    reversed_at = models.DateTimeField(null=True, blank=True)
    reverse_reason = models.TextField(blank=True)

    class Meta:
        verbose_name = "person merge (인물 병합)"
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["merged"], condition=Q(reversed_at__isnull=True),
                                    name="person_merged_once"),
            models.CheckConstraint(condition=~Q(kept=models.F("merged")), name="person_merge_two_persons"),
        ]

    def __str__(self) -> str:
        return f"{self.merged_id} → {self.kept_id}"

    @property
    def active(self) -> bool:
        return self.reversed_at is None


class ExternalRecord(models.Model):
    """An entry of an external register or roster, linked to a person as evidence."""

    GOVERNMENT_REGISTER = "government_register"
    JAPANESE_ROSTER = "japanese_roster"
    OTHER = "other"
    SOURCE_CHOICES = [
        (GOVERNMENT_REGISTER, "Korean government victims register (강제동원 피해자 명부)"),
        (JAPANESE_ROSTER, "Japanese wartime roster (일본 측 명부)"),
        (OTHER, "other register"),
    ]

    source = models.CharField(max_length=30, choices=SOURCE_CHOICES)
    record_id = models.CharField(max_length=80, help_text="the entry's number in its source")
    fields = models.JSONField(help_text="the entry's fields as the source gives them")
    person = models.ForeignKey("judgments.Person", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="external_records")
    probability = models.FloatField(null=True, blank=True, help_text="the matcher's probability, when it linked")
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    linked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "external register entry (외부 명부)"
        ordering = ["source", "record_id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "record_id"], name="external_record_unique"),
            models.CheckConstraint(condition=Q(source__in=["government_register", "japanese_roster", "other"]),
                                   name="external_record_source_known"),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.record_id}"
