"""The message outbox (발송함): one backend per channel, chosen by settings.

A service queues a :class:`~baesang.creditors.models.Message` row inside its transaction and
the message leaves only after the commit (``transaction.on_commit``), so a rolled-back step
sends nothing. Backends, by channel:

- ``BAESANG_OUTBOX_EMAIL``: ``console`` (development: printed), ``file`` (one file per message
  under ``BAESANG_OUTBOX_DIR``), ``memory`` (tests: kept in :data:`SENT`), ``smtp`` (Django's
  e-mail framework: ``EMAIL_HOST``, ``EMAIL_PORT``, ``EMAIL_HOST_USER``, ``EMAIL_HOST_PASSWORD``,
  ``EMAIL_USE_TLS``, ``DEFAULT_FROM_EMAIL``).
- ``BAESANG_OUTBOX_SMS``: ``console``, ``file``, ``memory``, or ``https_json``: a generic SMS
  gateway taking ``POST`` of ``{"to": ..., "text": ..., "sender": ...}`` as JSON to
  ``BAESANG_SMS_URL`` with ``Authorization: Bearer BAESANG_SMS_TOKEN`` and sender
  ``BAESANG_SMS_SENDER``; any 2xx answer counts as accepted (see docs/portal.md).
"""

from __future__ import annotations

import json
import sys
import urllib.request
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from baesang.creditors.models import Message
from baesang.pii.fields import reveal

#: Messages the ``memory`` backend "sent" (tests read and clear it).
SENT: list[dict] = []


class Backend(Protocol):
    name: str

    def send(self, *, channel: str, recipient: str, subject: str, body: str) -> None: ...  # pragma: no cover


class ConsoleBackend:
    name = "console"

    def send(self, *, channel: str, recipient: str, subject: str, body: str) -> None:
        sys.stdout.write(f"[outbox {channel}] to {recipient}: {subject}\n{body}\n")


class MemoryBackend:
    name = "memory"

    def send(self, *, channel: str, recipient: str, subject: str, body: str) -> None:
        SENT.append({"channel": channel, "to": recipient, "subject": subject, "body": body})


class FileBackend:
    name = "file"

    def send(self, *, channel: str, recipient: str, subject: str, body: str) -> None:
        directory = Path(getattr(settings, "BAESANG_OUTBOX_DIR", "") or Path(settings.MEDIA_ROOT) / "outbox")
        directory.mkdir(parents=True, exist_ok=True)
        stamp = timezone.now().strftime("%Y%m%dT%H%M%S%f")
        path = directory / f"{stamp}-{channel}.json"
        path.write_text(json.dumps({"channel": channel, "to": recipient, "subject": subject, "body": body},
                                   ensure_ascii=False), encoding="utf-8")


class SmtpBackend:
    """E-mail through Django's e-mail framework (its SMTP backend unless EMAIL_BACKEND says otherwise)."""

    name = "smtp"

    def send(self, *, channel: str, recipient: str, subject: str, body: str) -> None:
        EmailMessage(subject=subject, body=body, to=[recipient]).send(fail_silently=False)


class HttpsJsonSmsBackend:
    """A generic HTTPS JSON SMS gateway (the one documented SMS provider)."""

    name = "https_json"

    def send(self, *, channel: str, recipient: str, subject: str, body: str) -> None:
        url = getattr(settings, "BAESANG_SMS_URL", "")
        if not url.startswith("https://"):
            raise RuntimeError("BAESANG_SMS_URL must be an https:// address of the SMS gateway")
        payload = json.dumps({"to": recipient, "text": body, "sender": getattr(settings, "BAESANG_SMS_SENDER", "")})
        request = urllib.request.Request(url, data=payload.encode(), method="POST", headers={
            "Content-Type": "application/json",
            "Authorization": f"Bearer {getattr(settings, 'BAESANG_SMS_TOKEN', '')}"})
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 (https checked above)
            if not 200 <= answer.status < 300:
                raise RuntimeError(f"SMS gateway answered {answer.status}")


BACKENDS: dict[str, type] = {"console": ConsoleBackend, "memory": MemoryBackend, "file": FileBackend,
                             "smtp": SmtpBackend, "https_json": HttpsJsonSmsBackend}


def backend_for(channel: str) -> Backend:
    setting = "BAESANG_OUTBOX_EMAIL" if channel == "email" else "BAESANG_OUTBOX_SMS"
    name = getattr(settings, setting, "console") or "console"
    if name not in BACKENDS or (channel == "sms" and name == "smtp") or (channel == "email" and name == "https_json"):
        raise RuntimeError(f"{setting}={name!r} is not a backend for {channel}; known: {', '.join(BACKENDS)}")
    return BACKENDS[name]()


def _deliver(message_id: int) -> None:
    message = Message.objects.get(pk=message_id)
    backend = backend_for(message.channel)
    try:
        backend.send(channel=message.channel, recipient=reveal(message.recipient) or "", subject=message.subject,
                     body=reveal(message.body) or "")
    except Exception as error:  # a failed send is recorded, never raised into the committed step
        Message.objects.filter(pk=message_id).update(state=Message.FAILED, backend=backend.name,
                                                     error=f"{type(error).__name__}: {error}"[:500])
        return
    Message.objects.filter(pk=message_id).update(state=Message.SENT, backend=backend.name, sent_at=timezone.now())


def message_queue(*, account, channel: str, recipient: str, subject: str, body: str, purpose: str) -> Message:
    """Queue a message in the current transaction; it is sent after the commit."""
    message = Message.objects.create(account=account, channel=channel, recipient=recipient, subject=subject,
                                     body=body, purpose=purpose)
    transaction.on_commit(lambda: _deliver(message.pk))
    return message
