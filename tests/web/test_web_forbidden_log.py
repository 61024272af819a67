"""An ordinary refusal (403) writes one warning line to the log, without a traceback; a
fault (500) keeps its traceback (issue 14 §4)."""

from __future__ import annotations

import io
import logging

import pytest
from django.test import Client

from baesang.core.logging import ForbiddenWithoutTraceback

pytestmark = pytest.mark.django_db


@pytest.fixture
def log_stream():
    """The stream of the configured console handler (settings.LOGGING), captured."""
    handler = next(h for h in logging.getLogger().handlers
                   if any(isinstance(f, ForbiddenWithoutTraceback) for f in h.filters))
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


def test_a_403_is_logged_in_one_line_without_a_traceback(role_users, sign_in, log_stream):
    client = Client()
    sign_in(client, role_users["norole"])
    assert client.get("/ledger/").status_code == 403
    written = log_stream.getvalue()
    assert "Forbidden" in written and "/ledger/" in written
    assert "Traceback" not in written and "PermissionDenied" not in written


def test_a_500_keeps_its_traceback(log_stream):
    try:
        raise RuntimeError("broken")
    except RuntimeError:
        logging.getLogger("django.request").error("Internal Server Error: /x", exc_info=True,
                                                  extra={"status_code": 500})
    assert "Traceback" in log_stream.getvalue() and "RuntimeError: broken" in log_stream.getvalue()
