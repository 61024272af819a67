"""Encryption at rest (AES-256-GCM, versioned tokens), key rotation and blind indexes."""

from __future__ import annotations

import base64

import pytest
from django.test import override_settings
from hypothesis import given, settings
from hypothesis import strategies as st

from baesang.pii import crypto

KEY = "test-field-key-0123456789-abcdefghijklmnopqrstuvwxyz"
OTHER_KEY = "another-field-key-9876543210-zyxwvutsrqponmlkjihgfedcba"


@pytest.fixture(autouse=True)
def field_key(settings):
    settings.FIELD_KEY = KEY
    settings.FIELD_KEY_OLD = ""


def test_round_trip_and_token_shape():
    token = crypto.encrypt("900101-1234567")
    assert token.startswith("v1:")
    raw = base64.urlsafe_b64decode(token[3:])
    # 12-byte nonce + 14 bytes of ciphertext + 16-byte GCM tag (NIST SP 800-38D)
    assert len(raw) == 12 + len(b"900101-1234567") + 16
    assert "900101" not in token and "1234567" not in token
    assert crypto.decrypt(token) == "900101-1234567"


def test_same_plaintext_encrypts_differently_each_time():
    first, second = crypto.encrypt("010-1234-5678"), crypto.encrypt("010-1234-5678")
    assert first != second
    assert crypto.decrypt(first) == crypto.decrypt(second) == "010-1234-5678"


def test_hangul_round_trip():
    assert crypto.decrypt(crypto.encrypt("서울특별시 종로구 세종대로 209")) == "서울특별시 종로구 세종대로 209"


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=200))
def test_round_trip_property(text):
    assert crypto.decrypt(crypto.encrypt(text)) == text


def test_wrong_key_refuses_to_decrypt():
    token = crypto.encrypt("secret")
    with override_settings(FIELD_KEY=OTHER_KEY), pytest.raises(crypto.FieldKeyError, match="BAESANG_FIELD_KEY_OLD"):
        crypto.decrypt(token)


def test_tampered_token_is_refused():
    token = crypto.encrypt("900101-1234567")
    raw = bytearray(base64.urlsafe_b64decode(token[3:]))
    raw[15] ^= 0x01  # flip one bit of the ciphertext: the GCM tag no longer matches
    forged = "v1:" + base64.urlsafe_b64encode(bytes(raw)).decode()
    with pytest.raises(crypto.FieldKeyError):
        crypto.decrypt(forged)


@pytest.mark.parametrize(
    "value", ["900101-1234567", "v2:abc", "v1:!!!", "v1:" + base64.urlsafe_b64encode(b"x").decode()]
)
def test_non_tokens_are_refused(value):
    with pytest.raises(crypto.TokenFormatError):
        crypto.decrypt(value)


def test_empty_field_key_is_refused(settings):
    settings.FIELD_KEY = "  "
    with pytest.raises(crypto.FieldKeyError, match="BAESANG_FIELD_KEY"):
        crypto.encrypt("x")


def test_old_key_still_decrypts_and_new_tokens_use_the_current_key(settings):
    settings.FIELD_KEY = OTHER_KEY
    old_token = crypto.encrypt("110-123-456789")
    settings.FIELD_KEY = KEY
    settings.FIELD_KEY_OLD = f"unused-key, {OTHER_KEY}"
    assert crypto.decrypt(old_token) == "110-123-456789"
    assert crypto.needs_rotation(old_token)
    fresh = crypto.reencrypt(old_token)
    assert not crypto.needs_rotation(fresh)
    settings.FIELD_KEY_OLD = ""
    assert crypto.decrypt(fresh) == "110-123-456789"
    with pytest.raises(crypto.FieldKeyError):
        crypto.decrypt(old_token)


def test_old_keys_from_the_environment(settings, monkeypatch):
    del settings.FIELD_KEY_OLD
    settings.FIELD_KEY = OTHER_KEY
    old_token = crypto.encrypt("x")
    settings.FIELD_KEY = KEY
    monkeypatch.setenv("BAESANG_FIELD_KEY_OLD", OTHER_KEY)
    assert crypto.decrypt(old_token) == "x"


def test_blind_index_is_deterministic_keyed_and_canonical():
    index = crypto.blind_index("900101-1234567", "rrn")
    assert len(index) == crypto.BLIND_INDEX_LENGTH and int(index, 16) >= 0
    assert crypto.blind_index("9001011234567", "rrn") == index
    assert crypto.blind_index(" 900101 - 1234567 ", "rrn") == index
    assert crypto.blind_index("9001011234568", "rrn") != index
    # The purpose separates indexes: the same digits as an account give another index.
    assert crypto.blind_index("9001011234567", "bank_account") != index
    with override_settings(FIELD_KEY=OTHER_KEY):
        assert crypto.blind_index("9001011234567", "rrn") != index


def test_blind_index_of_phone_and_text():
    assert crypto.blind_index("+82 10-1234-5678", "phone") == crypto.blind_index("01012345678", "phone")
    assert crypto.blind_index("Park  Suni", "name") == crypto.blind_index("park suni", "name")


def test_blind_index_rejects_odd_purposes():
    with pytest.raises(ValueError, match="purpose"):
        crypto.blind_index("x", "")
    with pytest.raises(ValueError, match="purpose"):
        crypto.blind_index("x", "rrn; drop")


def test_blind_index_candidates_cover_old_keys(settings):
    settings.FIELD_KEY = OTHER_KEY
    old_index = crypto.blind_index("9001011234567", "rrn")
    settings.FIELD_KEY = KEY
    settings.FIELD_KEY_OLD = OTHER_KEY
    candidates = crypto.blind_index_candidates("900101-1234567", "rrn")
    assert candidates == [crypto.blind_index("9001011234567", "rrn"), old_index]
