"""A logging filter that masks personal data in every log record.

Personal data must never appear in logs (issue 6 §3; Personal Information Protection Act
Art. 29). Code should not log it in the first place — model values of encrypted fields log
only their mask — but a number can still slip into a message, an exception text or a
request path. :class:`RedactPersonalData` rewrites the record before any handler formats
it: resident-registration-number-like, phone-like, account-like and e-mail-like strings
are masked by the rules of :mod:`baesang.pii.masking`.

Wire it into ``LOGGING``::

    "filters": {"redact_pii": {"()": "baesang.pii.logging.RedactPersonalData"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact_pii"]}},

Put it on the handlers (not on a logger) so that records propagated from every logger,
Django's included, pass through it.
"""

from __future__ import annotations

import logging

from baesang.pii.masking import redact_text


class RedactPersonalData(logging.Filter):
    """Mask personal data in the message, its arguments, the exception text and the stack."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: keep what there is, masked
            message = f"{record.msg} {record.args!r}"
        record.msg = redact_text(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact_text(record.exc_text)
        if record.stack_info:
            record.stack_info = redact_text(record.stack_info)
        return True
