"""Encryption at rest of personal data (개인정보의 암호화) and keyed blind indexes.

The Personal Information Protection Act (개인정보 보호법) Art. 24-2(2) requires resident
registration numbers to be kept encrypted, and Art. 29 requires safeguards for all personal
data; the foundation also encrypts bank accounts, phone numbers and addresses (issue 6 §3).
This module is the only place that touches the key.

- **Key.** One secret string, ``settings.FIELD_KEY`` (environment ``BAESANG_FIELD_KEY``).
  Separate 256-bit keys are derived from it with HKDF-SHA256 (RFC 5869), one for
  encryption and one per blind-index purpose, so no key serves two uses.
- **Encryption.** AES-256-GCM (NIST SP 800-38D) with a random 96-bit nonce. A stored value
  is a versioned token ``v1:`` + base64url(nonce ‖ ciphertext ‖ tag). The same plaintext
  encrypts to a different token each time, so equality cannot be seen in the database.
- **Blind index.** HMAC-SHA256 of a normalised value under a purpose-specific derived key:
  equal values give equal indexes (lookups, duplicate detection: the same resident
  registration number registered twice) without decrypting, yet the index cannot be
  reversed without the key.
- **Rotation.** Older secrets listed in ``BAESANG_FIELD_KEY_OLD`` (comma separated, or the
  setting ``FIELD_KEY_OLD``) still decrypt; new tokens always use the current key.
  ``baesang pii rotate-key`` re-encrypts stored values and recomputes blind indexes.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import unicodedata
from collections.abc import Callable
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

from baesang.pii.masking import split_phone

TOKEN_PREFIX = "v1:"
NONCE_BYTES = 12
TAG_BYTES = 16
BLIND_INDEX_LENGTH = 64  # hex digits of an HMAC-SHA256
_ENCRYPTION_INFO = b"baesang/pii/encryption/v1"
_BLIND_INDEX_INFO = b"baesang/pii/blind-index/v1/"
_ASSOCIATED_DATA = b"baesang/pii/v1"


class FieldKeyError(Exception):
    """The field key is missing or cannot decrypt a stored value (wrong or rotated-out key)."""


class TokenFormatError(FieldKeyError):
    """A stored value is not a ``v1:`` token at all (corrupted, or plaintext written by hand)."""


def _current_secret() -> str:

    secret = getattr(settings, "FIELD_KEY", "") or ""
    if not secret.strip():
        raise FieldKeyError("settings.FIELD_KEY is empty: set BAESANG_FIELD_KEY to a long random value")
    return secret.strip()


def _old_secrets() -> tuple[str, ...]:

    configured = getattr(settings, "FIELD_KEY_OLD", None)
    if configured is None:
        configured = os.environ.get("BAESANG_FIELD_KEY_OLD", "")
    if isinstance(configured, str):
        configured = configured.split(",")
    return tuple(s.strip() for s in configured if s and s.strip())


@lru_cache(maxsize=64)
def _derive(secret: str, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(secret.encode("utf-8"))


def _ciphers() -> tuple[AESGCM, ...]:
    """AES-GCM ciphers of the current key first, then the old ones (:func:`_keys_of`), built
    once per set of secrets (a bank file of millions of lines decrypts one account per line)."""
    return _ciphers_of(_current_secret(), _old_secrets())


@lru_cache(maxsize=8)
def _ciphers_of(current: str, old: tuple[str, ...]) -> tuple[AESGCM, ...]:
    return tuple(AESGCM(key) for key in _keys_of(current, old))


@lru_cache(maxsize=8)
def _keys_of(current: str, old: tuple[str, ...]) -> tuple[bytes, ...]:
    # Derived once per set of secrets (decrypting a bank file of millions of lines calls this per line).
    keys: list[bytes] = []
    for secret in (current, *old):
        key = _derive(secret, _ENCRYPTION_INFO)
        if key not in keys:
            keys.append(key)
    return tuple(keys)


def is_token(value: object) -> bool:
    """Whether ``value`` has the shape of an encrypted token (it may still fail to decrypt)."""
    return isinstance(value, str) and value.startswith(TOKEN_PREFIX)


def encrypt(plaintext: str) -> str:
    """Encrypt ``plaintext`` with the current key; return a ``v1:`` token."""
    if not isinstance(plaintext, str):
        raise TypeError(f"only text is encrypted, not {type(plaintext).__name__}")
    nonce = os.urandom(NONCE_BYTES)
    sealed = _ciphers()[0].encrypt(nonce, plaintext.encode("utf-8"), _ASSOCIATED_DATA)
    return TOKEN_PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode("ascii")


def _open(token: str) -> tuple[str, int]:
    """Decrypt ``token``; return the plaintext and the position of the key that opened it."""
    if not is_token(token):
        raise TokenFormatError("stored personal data is not an encrypted v1 token")
    try:
        raw = base64.urlsafe_b64decode(token[len(TOKEN_PREFIX):].encode("ascii"))
    except (binascii.Error, ValueError, UnicodeEncodeError) as exc:
        raise TokenFormatError("stored personal data token is not valid base64") from exc
    if len(raw) < NONCE_BYTES + TAG_BYTES:
        raise TokenFormatError("stored personal data token is too short")
    nonce, sealed = raw[:NONCE_BYTES], raw[NONCE_BYTES:]
    for position, cipher in enumerate(_ciphers()):
        try:
            return cipher.decrypt(nonce, sealed, _ASSOCIATED_DATA).decode("utf-8"), position
        except InvalidTag:
            continue
    raise FieldKeyError(
        "stored personal data cannot be decrypted with BAESANG_FIELD_KEY or any key in "
        "BAESANG_FIELD_KEY_OLD (was the key changed without listing the old one?)"
    )


def decrypt(token: str) -> str:
    """Decrypt a token made by :func:`encrypt` with the current or an old key."""
    return _open(token)[0]


def needs_rotation(token: str) -> bool:
    """Whether ``token`` opens only with an old key (and should be re-encrypted)."""
    return _open(token)[1] != 0


def reencrypt(token: str) -> str:
    """The same plaintext under the current key (a new token even when already current)."""
    return encrypt(decrypt(token))


def normalise(value: str) -> str:
    """The default normalisation before a blind index: NFC, trimmed, case-folded, inner space collapsed."""
    return " ".join(unicodedata.normalize("NFC", value).casefold().split())


def _digits_only(value: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", value) if ch.isdigit())


def _phone_digits(value: str) -> str:

    return "".join(split_phone(unicodedata.normalize("NFKC", value)))


# Canonical form per purpose, so that ``900101-1234567`` and ``9001011234567`` index alike.
CANONICAL_FORMS: dict[str, Callable[[str], str]] = {
    "rrn": _digits_only,
    "bank_account": _digits_only,
    "phone": _phone_digits,
}


def canonical(value: str, purpose: str) -> str:
    """The form of ``value`` that is indexed for ``purpose`` (digits for numbers, else :func:`normalise`)."""
    return normalise(CANONICAL_FORMS.get(purpose, normalise)(value))


def _blind_index_with(secret: str, value: str, purpose: str) -> str:
    if not purpose or not purpose.replace("_", "").replace("-", "").isalnum() or not purpose.isascii():
        raise ValueError(f"blind index purpose must be a short word such as 'rrn', not {purpose!r}")
    key = _derive(secret, _BLIND_INDEX_INFO + purpose.encode("ascii"))
    return hmac.new(key, canonical(value, purpose).encode("utf-8"), hashlib.sha256).hexdigest()


def blind_index(value: str, purpose: str) -> str:
    """Keyed HMAC-SHA256 of ``value`` for equality lookups without decrypting (64 hex digits).

    ``purpose`` ('rrn', 'bank_account', ...) separates the indexes so that equal text in two
    kinds of field gives unrelated indexes. Values are compared in canonical form (a resident
    registration number, bank account and phone number are reduced to their digits first, see
    :data:`CANONICAL_FORMS`; any other purpose gets :func:`normalise`).
    """
    return _blind_index_with(_current_secret(), value, purpose)


def blind_index_candidates(value: str, purpose: str) -> list[str]:
    """Indexes of ``value`` under the current and every old key, for ``__in`` lookups mid-rotation."""
    result: list[str] = []
    for secret in (_current_secret(), *_old_secrets()):
        digest = _blind_index_with(secret, value, purpose)
        if digest not in result:
            result.append(digest)
    return result


def bulk_encrypter() -> Callable[[str], str]:
    """:func:`encrypt` for many values (a bulk load): the same ``v1:`` tokens, a fresh random
    nonce for each value, the key derived and the cipher object built once."""
    cipher = _ciphers()[0]
    urandom, b64 = os.urandom, base64.urlsafe_b64encode

    def encrypt_one(plaintext: str) -> str:
        nonce = urandom(NONCE_BYTES)
        sealed = cipher.encrypt(nonce, plaintext.encode("utf-8"), _ASSOCIATED_DATA)
        return TOKEN_PREFIX + b64(nonce + sealed).decode("ascii")

    return encrypt_one
