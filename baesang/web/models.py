"""Sign-in records of the staff application: second factors and failed-login throttles.

- :class:`SecondFactor` (2단계 인증): a time-based one-time password (TOTP, RFC 6238) secret per
  user. Approvers and administrators must pass it at every sign-in, so that a stolen password
  alone cannot approve a payment or change accounts (four eyes, DOMAIN.md §2).
- :class:`LoginThrottle`: failed sign-ins counted per user name and per client address; after
  too many, sign-in is refused for a while (Personal Information Protection Act safety
  measures: limiting repeated wrong authentication attempts). Keys are stored as keyed
  hashes, so the table holds neither user names typed by mistake nor IP addresses.
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
        constraints = [models.UniqueConstraint(fields=["scope", "key_digest"], name="web_login_throttle_unique_key")]

    def __str__(self) -> str:
        return f"{self.scope} {self.key_digest[:8]}… failures={self.failures} locked_until={self.locked_until}"
