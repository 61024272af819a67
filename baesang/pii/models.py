"""The personal-data access log (개인정보 열람 기록): who saw whose personal data, when and why.

Every reveal of a masked value — a resident registration number, bank account, phone number
or address shown in full — writes one :class:`PersonalDataAccess` row in the transaction of
the reveal (Personal Information Protection Act Art. 29; the Personal Information Protection
Commission's safeguard standard, Art. 8, requires access records to be kept and checked).
The table is append-only, enforced by database triggers, so nobody — not even raw SQL —
can edit or erase a record of having looked. Auditors read and export it. The log holds
only identifiers (entity type and id, field name), never the personal data itself.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AccessChannel(models.TextChoices):
    WEB = "web", "web (화면)"
    API = "api", "API"
    CLI = "cli", "command line (명령줄)"


class PersonalDataAccess(models.Model):
    at = models.DateTimeField("when", auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="who", on_delete=models.PROTECT, related_name="+"
    )
    user_label = models.CharField("user name at the time", max_length=150)
    entity_type = models.CharField("whose: kind of record", max_length=80)
    entity_id = models.CharField("whose: record id", max_length=80)
    field = models.CharField("which field", max_length=80)
    kind = models.CharField("kind of personal data", max_length=20)
    reason = models.TextField("why")
    channel = models.CharField(max_length=8, choices=AccessChannel.choices)

    class Meta:
        verbose_name = "personal-data access (개인정보 열람 기록)"
        verbose_name_plural = "personal-data accesses (개인정보 열람 기록)"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["entity_type", "entity_id"], name="pii_access_entity_idx")]
        constraints = [
            models.CheckConstraint(condition=~models.Q(reason=""), name="pii_access_reason_required"),
            models.CheckConstraint(condition=models.Q(channel__in=AccessChannel.values),
                                   name="pii_access_channel_known"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_label} {self.entity_type}:{self.entity_id}.{self.field}"
