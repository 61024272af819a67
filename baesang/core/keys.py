"""How strong a secret key is: length and an entropy estimate (no Django, read by the settings).

The field key encrypts personal data at rest (Personal Information Protection Act, Art. 29 and
its safety-measure standard: encryption of resident registration numbers and account numbers).
A short or repetitive key (``changeme``, ``aaaa…``, a date) can be guessed, so production refuses
one: at least :data:`MIN_LENGTH` characters and an estimated :data:`MIN_ENTROPY_BITS` bits,
estimated as the length times the Shannon entropy of its characters (a key of 43 characters
from ``secrets.token_urlsafe(32)`` has about 200 bits by this estimate).

One secret serves several purposes through :func:`derived_key` (HMAC-SHA256 of a purpose
label under the secret), so a key used to sign, e.g., the ledger's checkpoints is never the
key that encrypts personal data; :func:`key_fingerprint` names a derived key without revealing it.
"""

from __future__ import annotations

import hashlib
import hmac
import math
from collections import Counter

MIN_LENGTH = 32
MIN_ENTROPY_BITS = 128


def entropy_bits(key: str) -> float:
    """Length × Shannon entropy per character of ``key`` (an upper estimate of its strength)."""
    if not key:
        return 0.0
    counts = Counter(key)
    total = len(key)
    per_char = -sum(n / total * math.log2(n / total) for n in counts.values())
    return per_char * total


def key_weakness(key: str) -> str | None:
    """Why ``key`` is too weak to protect personal data, or None when it is strong enough."""
    key = key.strip()
    if len(key) < MIN_LENGTH:
        return f"it has {len(key)} characters; at least {MIN_LENGTH} are needed"
    bits = entropy_bits(key)
    if bits < MIN_ENTROPY_BITS:
        return f"it has about {bits:.0f} bits of entropy; at least {MIN_ENTROPY_BITS} are needed"
    return None


def derived_key(secret: str, purpose: str) -> bytes:
    """A key for one ``purpose`` (e.g. ``"ledger-checkpoint-v1"``), derived from ``secret``."""
    if not secret.strip():
        raise ValueError("an empty secret derives no key")
    return hmac.new(secret.strip().encode(), f"baesang:{purpose}".encode(), hashlib.sha256).digest()


def key_fingerprint(key: bytes) -> str:
    """16 hex digits naming ``key`` (which key signed a record) without revealing it."""
    return hashlib.sha256(b"baesang:fingerprint:" + key).hexdigest()[:16]
