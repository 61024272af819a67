"""Refusals are read in the reader's language: every error class of baesang has a Korean and an
English sentence in the catalogue (baesang/core/messages.py), the API answers by
``Accept-Language``, and the HTTP status comes from the error's class."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from django.test import Client
from factories import staff_user

import baesang
from baesang.api.errors import domain_error_status
from baesang.core import roles
from baesang.core.errors import DomainError, InputError, PermissionDenied, RecordNotFound
from baesang.core.messages import CATALOGUE, error_message, error_text, language_of
from baesang.staff.tokens import api_token_bootstrap


def _all_error_classes() -> set[type]:
    for module in pkgutil.walk_packages(baesang.__path__, "baesang."):
        if ".migrations" in module.name or module.name.endswith(("wsgi", "settings")):
            continue
        importlib.import_module(module.name)
    found, todo = set(), [DomainError]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            if sub not in found:
                found.add(sub)
                todo.append(sub)
    return found | {DomainError}


def test_every_error_class_has_a_korean_and_an_english_sentence():
    missing = sorted(f"{cls.__module__}.{cls.__name__} ({cls.code})" for cls in _all_error_classes()
                     if cls.code not in CATALOGUE)
    assert not missing, f"error codes without a catalogue entry: {missing}"
    for code, (korean, english) in CATALOGUE.items():
        assert korean and english and korean != english, code
        assert any("\uac00" <= ch <= "\ud7a3" for ch in korean), f"{code}: the Korean sentence has no Hangul"


def test_status_comes_from_the_class_not_the_code():
    assert domain_error_status(InputError("x", code="looks_like_not_found")) == 400
    assert domain_error_status(RecordNotFound("x", code="anything")) == 404
    assert domain_error_status(PermissionDenied("x", code="illegal_transition")) == 403
    assert domain_error_status(DomainError("x", field="date")) == 409


def test_the_sentence_follows_the_language_and_keeps_the_detail_in_english():
    error = InputError("row 3: amount -5 must be above 0", code="invalid_donation")
    assert error_text(error, "ko") == CATALOGUE["invalid_donation"][0]
    assert error_message(error, "ko") == CATALOGUE["invalid_donation"][0]  # no English on a Korean page
    assert "row 3: amount -5" in error_message(error, "en")


@pytest.mark.parametrize(("header", "language"), [
    ("ko-KR,ko;q=0.9,en;q=0.8", "ko"), ("en-US,en;q=0.9", "en"), ("ja, ko;q=0.5", "ko"), ("", "en"),
    ("en;q=0.2, ko;q=0.8", "ko"), ("fr", "en")])
def test_accept_language_is_read_with_its_qualities(header, language):
    assert language_of(header) == language


@pytest.mark.django_db
def test_the_api_answers_a_refusal_in_the_language_asked_for():
    auditor = staff_user("api-reader", roles.AUDITOR)
    token = api_token_bootstrap(user=auditor, name="messages")[1]
    client = Client()
    body = {"payment_date": "2023-04-10"}
    korean = client.post("/api/batches", body, content_type="application/json",
                         HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ACCEPT_LANGUAGE="ko")
    english = client.post("/api/batches", body, content_type="application/json",
                          HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ACCEPT_LANGUAGE="en")
    assert korean.status_code == english.status_code == 403
    assert any("\uac00" <= ch <= "\ud7a3" for ch in korean.json()["message"])
    assert not any("\uac00" <= ch <= "\ud7a3" for ch in english.json()["message"].split("(")[0])
