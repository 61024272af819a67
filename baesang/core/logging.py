"""A logging filter that keeps ordinary refusals out of the error log's tracebacks.

A 403 — a signed-in person opening a page their roles do not allow — is expected traffic,
not a fault: Django logs it as "Forbidden (Permission denied): /path" with the
``PermissionDenied`` exception attached, so every refusal wrote a full traceback.
:class:`ForbiddenWithoutTraceback` keeps the one warning line (who asked for what stays
visible) and drops the traceback of records with status 403. A 500 keeps its traceback.

Put it on the handlers, like :class:`baesang.pii.logging.RedactPersonalData`, so records
propagated from ``django.request`` pass through it.
"""

from __future__ import annotations

import logging

#: Responses whose log record loses its traceback.
QUIET_STATUSES = frozenset({403})


class ForbiddenWithoutTraceback(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) in QUIET_STATUSES:
            record.exc_info = None
            record.exc_text = None
            record.stack_info = None
        return True
