"""Services shared by every app: writing the audit log, and the channel the actor came by.

Who acted is only as good as what proved it. Each entry point says how the acting user was
authenticated before it calls a service (:func:`acting_through`): the staff screens by a
signed-in session (``web``), the REST API by a token or a session (``api``), the command line by
an API token (``cli``). :func:`audit_record` writes that channel and credential on every row.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.db import models

from baesang.core.models import AuditEvent

WEB = "web"
API = "api"
CLI = "cli"
CHANNELS = (WEB, API, CLI)


@dataclass(frozen=True)
class Channel:
    """How the acting user reached the system and what proved who they are."""

    name: str
    credential: str = ""


_channel: ContextVar[Channel | None] = ContextVar("baesang_channel", default=None)


def channel_current() -> Channel | None:
    return _channel.get()


def channel_set(channel: Channel | None):
    """Set the channel of the work that follows; returns the token for :func:`channel_reset`."""
    if channel is not None and channel.name not in CHANNELS:
        raise ValueError(f"unknown channel {channel.name!r}")
    return _channel.set(channel)


def channel_reset(token) -> None:
    _channel.reset(token)


@contextmanager
def acting_through(name: str, credential: str = "") -> Iterator[Channel]:
    """Within the block, audit rows name this channel and credential."""
    channel = Channel(name, credential[:80])
    token = channel_set(channel)
    try:
        yield channel
    finally:
        channel_reset(token)


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
    channel = channel_current()
    return AuditEvent.objects.create(
        actor=user,
        actor_label=label or "system",
        action=action,
        entity_type=entity_type,
        entity_id=str(entity_id),
        old=old,
        new=new,
        note=note,
        channel=channel.name if channel else "",
        credential=channel.credential if channel else "",
    )
