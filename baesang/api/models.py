"""API tokens (API 토큰) for integrations.

A token is shown once, when it is created; the database keeps only its SHA-256 digest (the
token is 256 random bits, so a fast hash is enough and a stolen table reveals no token), a
short prefix to recognise it, who it acts as, and when it was last used. A revoked token
stays on record, so the audit log can still name it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="what the integration is, e.g. 'bank-reconciliation'")
    prefix = models.CharField(max_length=12, help_text="first characters of the token, to recognise it")
    digest = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the token (hex)")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "API token (API 토큰)"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        state = "revoked" if self.revoked_at else "active"
        return f"{self.prefix}… {self.name} ({self.user}, {state})"
