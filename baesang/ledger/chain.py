"""The hash chain of the ledger (tamper evidence).

Each transfer's hash is SHA-256 over a canonical serialisation of its content followed by
the previous transfer's hash; the first transfer follows ``GENESIS_HASH`` (64 zeros). The
serialisation is one line of fields separated by ``|``, where every text field is written as
``<length>:<text>`` (a netstring), so no value can pass for another whatever characters it holds:

    v1|seq|len:id|kind|debit_account_id|credit_account_id|amount|len:pending_id|len:journal|
    value_date (ISO)|len:description|user_id or "-"|created_at (UTC ISO, µs)|prev_hash

Account ids (not codes) are hashed because they are what the transfer row holds. This
module is pure Python and used both when writing and by ``ledger verify``.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

CHAIN_VERSION = "v1"
_sha256 = hashlib.sha256


def canonical_time(moment: datetime) -> str:
    """UTC, microseconds, always the same text for the same instant."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def transfer_hash(
    seq: int, id: str, kind: str, debit_account_id: int, credit_account_id: int, amount: int,  # noqa: A002
    pending_id: str | None, journal: str, value_date: str, description: str, user_id: int | None,
    created_at: str, prev_hash: str, /,
) -> str:
    """The hash of one transfer. ``value_date`` is ISO text, ``created_at`` :func:`canonical_time` text."""
    pending_id = pending_id or ""
    payload = (
        f"{CHAIN_VERSION}|{seq}|{len(id)}:{id}|{kind}|{debit_account_id}|{credit_account_id}|{amount}|"
        f"{len(pending_id)}:{pending_id}|{len(journal)}:{journal}|{value_date}|{len(description)}:{description}|"
        f"{'-' if user_id is None else user_id}|{created_at}|{prev_hash}"
    )
    return _sha256(payload.encode()).hexdigest()
