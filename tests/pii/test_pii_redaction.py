"""Keeping personal data out of logs and error reports: redact_text, the logging filter, the reporter filter."""

from __future__ import annotations

import io
import logging
import sys

import pytest
from django.test import RequestFactory
from django.views.debug import ExceptionReporter

from baesang.pii.logging import RedactPersonalData
from baesang.pii.masking import mask, mask_email, mask_name, redact_text
from baesang.pii.reporting import RedactingExceptionReporterFilter


@pytest.mark.parametrize(("text", "expected"), [
    ("rrn 900101-1234567 given", "rrn 900101-1****** given"),
    ("rrn 9001011234567", "rrn 900101-1******"),
    ("rrn 900101 - 2234567.", "rrn 900101-2******."),
    ("call 010-1234-5678 today", "call 010-****-5678 today"),
    ("call 01012345678", "call 010-****-5678"),
    ("call +82 10-1234-5678", "call 010-****-5678"),
    ("office 02-123-4567", "office 02-***-4567"),
    ("office 031.123.4567", "office 031-***-4567"),
    ("pay to 110-123-456789 now", "pay to ***-***-**6789 now"),
    ("pay to 1002-345-678901", "pay to ****-***-**8901"),
    ("pay to 12345678901234", "pay to **********1234"),
    ("mail suni.park@example.com", "mail s********@example.com"),
])
def test_redact_text_masks_personal_data(text, expected):
    assert redact_text(text) == expected


@pytest.mark.parametrize("text", [
    "judgment of 2018-10-30, case 2013다61381",  # dates and case numbers stay readable
    "interest 107452055 won",  # nine digits: an amount
    "batch total 4078000000 won",  # ten digits: the billions of a batch, not an account
    "1,500,000,000 won from 2025-03-15",
    "batch 3 of 12; ids 17, 18",
    "version 5.2.19",
    "",
])
def test_redact_text_keeps_ordinary_text(text):
    assert redact_text(text) == text


def test_other_masks():
    assert mask_name("박순이") == "박*이"
    assert mask_name("남궁민수") == "남**수"
    assert mask_name("박순") == "박*"
    assert mask_name("Park Sun-i") == "Park S****"
    assert mask_email("suni@example.com") == "s***@example.com"
    assert mask("anything", "hidden") == "●●●" and mask("", "hidden") == ""
    with pytest.raises(ValueError, match="unknown kind"):
        mask("x", "blood_type")


def _logger_with_filter():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactPersonalData())
    logger = logging.getLogger("baesang.test.redaction")
    logger.handlers = [handler]
    logger.propagate = False
    logger.setLevel(logging.INFO)
    return logger, stream


def test_filter_masks_message_and_arguments():
    logger, stream = _logger_with_filter()
    logger.info("creditor %s phone %s account %s", "900101-1234567", "010-1234-5678", "110-123-456789")
    logger.info("dict args %(rrn)s", {"rrn": "9001011234567"})
    logger.warning("Not Found: /creditors/search?q=900101-1234567")
    output = stream.getvalue()
    assert "1234567" not in output and "1234-5678" not in output and "456789" not in output
    assert "creditor 900101-1****** phone 010-****-5678 account ***-***-**6789" in output
    assert "dict args 900101-1******" in output
    assert "/creditors/search?q=900101-1******" in output


def test_filter_masks_exception_text_and_stack():
    logger, stream = _logger_with_filter()
    try:
        raise ValueError("bad number 900101-1234567")
    except ValueError:
        logger.exception("import failed for 010-1234-5678")
    logger.info("where", stack_info=True)
    output = stream.getvalue()
    assert "Traceback" in output and "ValueError: bad number 900101-1******" in output
    assert "1234567" not in output and "1234-5678" not in output


def test_filter_survives_a_broken_format_string():
    logger, stream = _logger_with_filter()
    logger.info("two %s %s", "900101-1234567")  # one argument short
    assert "1234567" not in stream.getvalue()


def test_error_report_masks_post_data_headers_and_variables():
    request = RequestFactory().post("/creditors/new", {"rrn": "900101-1234567", "name": "박순이"},
                                    HTTP_X_CALLER="010-1234-5678")
    reporter = RedactingExceptionReporterFilter()
    post = reporter.get_post_parameters(request)
    assert post["rrn"] == "900101-1******" and post["name"] == "박순이"
    assert reporter.get_safe_request_meta(request)["HTTP_X_CALLER"] == "010-****-5678"

    def failing(account):
        raise RuntimeError("boom")

    try:
        failing("110-123-456789")
    except RuntimeError:
        traceback = sys.exc_info()[2]
    frame = traceback.tb_next.tb_frame
    variables = dict(reporter.get_traceback_frame_variables(request, frame))
    assert variables["account"] == "***-***-**6789"


def test_error_page_does_not_show_personal_data(settings):

    settings.DEFAULT_EXCEPTION_REPORTER_FILTER = "baesang.pii.reporting.RedactingExceptionReporterFilter"
    # Built at run time: the page also shows source lines, and the number must not be in them.
    digits = str(9001011234566 + 1)
    rrn = f"{digits[:6]}-{digits[6:]}"
    request = RequestFactory().post("/creditors/new", {"rrn": rrn})

    def save_creditor(number):
        raise RuntimeError("could not save")

    try:
        save_creditor(rrn)
    except RuntimeError:
        html = ExceptionReporter(request, *sys.exc_info()).get_traceback_html()
    assert rrn not in html and digits not in html
    assert "900101-1******" in html
