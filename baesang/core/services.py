"""Services shared by every app: writing the audit log."""

from __future__ import annotations

from typing import Any

from django.db import models

from baesang.core.models import AuditEvent


def audit_record(
    *,
    actor: Any,
    action: str,
    entity: models.Model | None = None,
    entity_type: str = "",
    entity_id: str | int = "",
    old: Any = None,
    new: Any = None,
    note: str = "",
) -> AuditEvent:
    """Write one audit row. Call it inside the transaction of the change it records."""
    if entity is not None:
        entity_type = entity_type or entity._meta.label_lower
        entity_id = entity_id or entity.pk
    user = actor if getattr(actor, "pk", None) else None
    label = getattr(actor, "get_username", lambda: "")() if user else (actor if isinstance(actor, str) else "system")
    return AuditEvent.objects.create(
        actor=user,
        actor_label=label or "system",
        action=action,
        entity_type=entity_type,
        entity_id=str(entity_id),
        old=old,
        new=new,
        note=note,
    )
