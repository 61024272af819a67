"""Staff accounts (Django app ``staff``): second factors, failed-login throttles and API tokens.

- :class:`SecondFactor` (2단계 인증): a time-based one-time password (TOTP, RFC 6238) secret per
  user. Approvers and administrators must pass it at every sign-in, so that a stolen password
  alone cannot approve a payment or change accounts (four eyes, DOMAIN.md §2).
- :class:`LoginThrottle`: failed sign-ins counted per user name and per client address; after
  too many, sign-in is refused for a while (Personal Information Protection Act safety
  measures: limiting repeated wrong authentication attempts). Keys are stored as keyed
  hashes, so the table holds neither user names typed by mistake nor IP addresses.
- :class:`ApiToken` (API 토큰): a token is shown once, when it is created; the database keeps
  only its SHA-256 digest (the token is 256 random bits, so a fast hash is enough and a stolen
  table reveals no token), a short prefix to recognise it, who it acts as, and when it was
  last used. A revoked token stays on record, so the audit log can still name it.

The tables keep the names they had when these models lived in the ``web`` and ``api`` apps.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from baesang.pii.fields import EncryptedTextField


class SecondFactor(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="second_factor")
    secret = EncryptedTextField(help_text="base32 TOTP secret, encrypted at rest with BAESANG_FIELD_KEY")
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True, help_text="when the user first entered a valid code")
    last_used_step = models.BigIntegerField(
        null=True, blank=True, help_text="time step of the last accepted code; a code is never accepted twice"
    )

    class Meta:
        verbose_name = "second factor (2단계 인증)"
        db_table = "web_secondfactor"

    def __str__(self) -> str:
        state = "confirmed" if self.confirmed_at else "not confirmed"
        return f"second factor of {self.user} ({state})"


class LoginThrottle(models.Model):
    SCOPE_USERNAME = "username"
    SCOPE_ADDRESS = "address"
    SCOPES = [(SCOPE_USERNAME, "user name"), (SCOPE_ADDRESS, "client address")]

    scope = models.CharField(max_length=10, choices=SCOPES)
    key_digest = models.CharField(max_length=64, help_text="HMAC-SHA256 of the user name or address")
    failures = models.PositiveIntegerField(default=0)
    window_started_at = models.DateTimeField(null=True, blank=True)
    locked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "login throttle"
        db_table = "web_loginthrottle"
        constraints = [models.UniqueConstraint(fields=["scope", "key_digest"], name="web_login_throttle_unique_key")]

    def __str__(self) -> str:
        return f"{self.scope} {self.key_digest[:8]}… failures={self.failures} locked_until={self.locked_until}"


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
        db_table = "api_apitoken"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        state = "revoked" if self.revoked_at else "active"
        return f"{self.prefix}… {self.name} ({self.user}, {state})"
