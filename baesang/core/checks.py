"""System checks of the core: ``check --deploy`` warns of a weak field key (baesang.core.keys)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Tags, Warning, register

from baesang.core.keys import key_weakness

W_WEAK_FIELD_KEY = "baesang.W001"


@register(Tags.security, deploy=True)
def field_key_strength(app_configs, **kwargs):
    weakness = key_weakness(getattr(settings, "FIELD_KEY", ""))
    if weakness is None:
        return []
    return [Warning(f"BAESANG_FIELD_KEY is weak: {weakness}", hint="set a long random value "
                    "(secrets.token_urlsafe(32)); production refuses to start with it", id=W_WEAK_FIELD_KEY)]
