"""The audit log (감사 기록): who changed what, with old and new values.

Every service that changes state writes one :class:`AuditEvent` in the same
transaction. The table is append-only, enforced by database triggers. Each row names the
channel the actor used (web, API, command line) and the credential that proved who they are
(a session, or an API token by its prefix), so a row can be traced to a sign-in or a token.
"""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models


class AuditEvent(models.Model):
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=150, blank=True, help_text="user name, or 'system'")
    action = models.CharField(max_length=80, db_index=True)
    entity_type = models.CharField(max_length=80, blank=True)
    entity_id = models.CharField(max_length=80, blank=True, db_index=True)
    old = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)
    new = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)
    note = models.TextField(blank=True)
    #: how the actor reached the system: the staff screens, the REST API or the command line
    channel = models.CharField(max_length=10, blank=True, choices=[
        ("web", "staff screens (session)"), ("api", "REST API"), ("cli", "command line")],
        help_text="empty for work done by the system itself (migrations, the demo loader, tests)")
    credential = models.CharField(max_length=80, blank=True,
                                  help_text="what proved who acted: 'session', or 'token bsg_…' (the token's prefix)"
                                  ", with '+otp' when a second factor was checked for this action")

    class Meta:
        verbose_name = "audit event (감사 기록)"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["entity_type", "entity_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.entity_type}:{self.entity_id}"
