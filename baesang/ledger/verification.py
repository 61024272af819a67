"""Verification of the fund ledger, from the first transfer or from a signed checkpoint.

:func:`verify_from` replays transfers in chain order (``seq``), streamed from the database in
chunks (a server-side cursor on PostgreSQL), so its memory does not grow with the number of
transfers: it holds one running total per account and the pending transfers not yet resolved.
For each transfer it recomputes the hash and its link to the one before, applies the
two-phase rules (a pending transfer is posted or voided once, on the same accounts, for no
more than it reserved) and each account's balance limit after each journal; at the end the
recomputed totals must equal each account's running totals and the chain head must name the
last transfer.

A checkpoint (:class:`~baesang.ledger.models.LedgerCheckpoint`) records the state reached —
the last transfer's ``seq`` and hash, every account's four totals, the pending transfers still
open — signed with HMAC-SHA256 under a key derived from the field key
(:func:`checkpoint_key`). Verifying from a checkpoint first checks its signature, that the
transfer at its ``seq`` still has its hash, and that the open pending transfers it names still
have the content it signed; then only the transfers after it are replayed. What comes before
a checkpoint was verified when the checkpoint was made; a full verification (from the first
transfer) re-proves it.

Verification only reads.
"""

from __future__ import annotations

import hashlib
import hmac
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings

from baesang.core.keys import derived_key, key_fingerprint
from baesang.core.progress import Progress
from baesang.ledger import balances
from baesang.ledger.chain import canonical_time, transfer_hash
from baesang.ledger.models import GENESIS_HASH, Account, LedgerCheckpoint, LedgerHead, Transfer, TransferKind

CHECKPOINT_PURPOSE = "ledger-checkpoint-v1"

_VERIFY_FIELDS = (
    "seq", "id", "kind", "debit_account_id", "credit_account_id", "amount", "pending_id", "journal", "value_date",
    "description", "user_id", "created_at", "prev_hash", "hash",
)

#: Transfers verified between two progress reports.
VERIFY_PROGRESS_EVERY = 10_000
#: Rows fetched from the database at a time (a server-side cursor on PostgreSQL).
VERIFY_CHUNK = 20_000
#: Pending ids looked up per query when a checkpoint is read.
_LOOKUP_CHUNK = 500


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    transfers: int
    accounts: int
    head_hash: str
    first_bad_transfer: str | None = None
    seq: int | None = None
    account: str | None = None
    reason: str = ""
    details: list[str] = field(default_factory=list)
    #: the checkpoint verification started from (None: from the first transfer)
    checkpoint: int | None = None
    #: transfers replayed (all of them, or those after the checkpoint)
    replayed: int = 0


@dataclass
class LedgerState:
    """Where a verification stands: the last transfer verified and what it left."""

    seq: int = 0
    hash: str = GENESIS_HASH
    totals: dict[int, balances.RunningTotals] = field(default_factory=lambda: defaultdict(balances.RunningTotals))
    #: pending transfer id → (debit account id, credit account id, amount, value date)
    open_pendings: dict[str, tuple[int, int, int, date]] = field(default_factory=dict)

    def balances_json(self) -> dict[str, list[int]]:
        return {str(pk): list(t.as_tuple()) for pk, t in sorted(self.totals.items()) if any(t.as_tuple())}


def checkpoint_key() -> bytes:
    """The key that signs checkpoints: derived from ``BAESANG_FIELD_KEY`` for this one purpose."""
    return derived_key(settings.FIELD_KEY, CHECKPOINT_PURPOSE)


def pendings_digest(open_pendings: dict[str, tuple[int, int, int, date]]) -> str:
    """SHA-256 over the open pending transfers (id, accounts, amount, value date), by id."""
    digest = hashlib.sha256()
    for transfer_id in sorted(open_pendings):
        debit, credit, amount, when = open_pendings[transfer_id]
        digest.update(f"{len(transfer_id)}:{transfer_id}|{debit}|{credit}|{amount}|{when.isoformat()}\n".encode())
    return digest.hexdigest()


def checkpoint_payload(*, seq: int, hash_: str, balances_: dict[str, list[int]], pendings: int, digest: str,
                       verified_from: int, created_at: datetime, key_id: str, user_id: int | None) -> bytes:
    """The canonical text a checkpoint's signature covers (one line; accounts by id)."""
    accounts = ";".join(f"{pk}:{':'.join(str(v) for v in balances_[pk])}" for pk in sorted(balances_, key=int))
    return (f"{CHECKPOINT_PURPOSE}|{seq}|{hash_}|{accounts}|{pendings}|{digest}|{verified_from}|"
            f"{canonical_time(created_at)}|{key_id}|{'-' if user_id is None else user_id}").encode()


def checkpoint_sign(payload: bytes, key: bytes) -> str:
    return hmac.new(key, payload, hashlib.sha256).hexdigest()


def latest_checkpoint() -> LedgerCheckpoint | None:
    return LedgerCheckpoint.objects.order_by("-seq", "-pk").first()


def checkpoint_state(checkpoint: LedgerCheckpoint) -> tuple[LedgerState | None, str]:
    """The state a checkpoint signed, or (None, why it cannot be trusted)."""
    key = checkpoint_key()
    name = f"checkpoint {checkpoint.pk} (seq {checkpoint.seq})"
    if checkpoint.key_id != key_fingerprint(key):
        return None, (f"{name} was signed with another key (fingerprint {checkpoint.key_id}, the current key's is "
                      f"{key_fingerprint(key)}); verify in full and record a new checkpoint")
    pending_ids = list(checkpoint.pending_ids or [])
    payload = checkpoint_payload(
        seq=checkpoint.seq, hash_=checkpoint.hash, balances_=checkpoint.balances or {}, pendings=len(pending_ids),
        digest=checkpoint.pendings_digest, verified_from=checkpoint.verified_from, created_at=checkpoint.created_at,
        key_id=checkpoint.key_id, user_id=checkpoint.created_by_id)
    if not hmac.compare_digest(checkpoint_sign(payload, key), checkpoint.signature):
        return None, f"{name}: the signature does not match its content (the checkpoint was edited)"
    if checkpoint.seq:
        stored = Transfer.objects.filter(seq=checkpoint.seq).values_list("hash", flat=True).first()
        if stored != checkpoint.hash:
            return None, (f"{name}: the transfer at seq {checkpoint.seq} no longer has the hash the checkpoint "
                          "signed (transfers up to the checkpoint were changed or removed)")
    elif checkpoint.hash != GENESIS_HASH:
        return None, f"{name}: an empty ledger's checkpoint must name the genesis hash"
    state = LedgerState(seq=checkpoint.seq, hash=checkpoint.hash)
    for start in range(0, len(pending_ids), _LOOKUP_CHUNK):
        for transfer_id, kind, seq, debit, credit, amount, when in Transfer.objects.filter(
                pk__in=pending_ids[start:start + _LOOKUP_CHUNK]).values_list(
                "id", "kind", "seq", "debit_account_id", "credit_account_id", "amount", "value_date"):
            if kind == TransferKind.PENDING and seq <= checkpoint.seq:
                state.open_pendings[transfer_id] = (debit, credit, amount, when)
    if len(state.open_pendings) != len(pending_ids) or pendings_digest(state.open_pendings) != \
            checkpoint.pendings_digest:
        return None, f"{name}: the open pending transfers it names were changed or removed"
    for pk, values in (checkpoint.balances or {}).items():
        totals = state.totals[int(pk)]
        totals.dp, totals.cp, totals.dq, totals.cq = values
    return state, ""


def verify_from(start: LedgerState | None = None, *, checkpoint: int | None = None,
                progress: Progress | None = None) -> tuple[VerifyResult, LedgerState]:
    """Replay the transfers after ``start`` (none: from the first transfer) and check the end
    state against the accounts and the chain head. Returns the verdict and the state reached."""
    state = start or LedgerState()
    head_seq = (LedgerHead.objects.filter(pk=1).values_list("seq", flat=True).first() or 0) if progress else 0
    todo = max(head_seq - state.seq, 0)
    accounts = {pk: (code, type_, limit) for pk, code, type_, limit in
                Account.objects.values_list("pk", "code", "type", "limit")}
    totals = state.totals
    open_pendings = state.open_pendings
    prev = state.hash
    count = state.seq
    journal_key = None
    journal_first: dict[int, str] = {}
    last_time = last_stamp = None
    dates: dict[date, str] = {}

    def bad(transfer_id: str | None, seq: int | None, reason: str, account: str | None = None) -> VerifyResult:
        return VerifyResult(ok=False, transfers=count, accounts=len(accounts), head_hash=prev,
                            first_bad_transfer=transfer_id, seq=seq, account=account, reason=reason,
                            checkpoint=checkpoint, replayed=count - state.seq)

    def limits_broken() -> tuple[str, str] | None:
        for pk, first in journal_first.items():
            code, _type, limit = accounts[pk]
            broken = balances.limit_broken(limit, totals[pk])
            if broken is not None:
                side, other, over = broken
                opposite = "credits" if side == "debits" else "debits"
                return first, f"account {code} breaks its limit {limit}: {side} {other + over:,} > {opposite} {other:,}"
        return None

    for account_id in totals:
        if account_id not in accounts:
            return bad(None, None, f"account id {account_id} of the checkpoint no longer exists"), state
    rows = Transfer.objects.filter(seq__gt=state.seq).order_by("seq").values_list(*_VERIFY_FIELDS).iterator(
        chunk_size=VERIFY_CHUNK)
    for (seq, transfer_id, kind, debit_id, credit_id, amount, pending_id, journal, when, text, user_id, created_at,
         prev_hash, stored_hash) in rows:
        if seq != count + 1:
            return bad(transfer_id, seq, f"sequence gap: expected seq {count + 1}, found {seq} "
                                         f"(a transfer was removed or inserted)"), state
        if prev_hash != prev:
            return bad(transfer_id, seq, "prev_hash does not match the hash of the transfer before it"), state
        if created_at != last_time:
            last_time, last_stamp = created_at, canonical_time(created_at)
        day = dates.get(when)
        if day is None:
            day = dates[when] = when.isoformat()
        digest = transfer_hash(seq, transfer_id, kind, debit_id, credit_id, amount, pending_id, journal, day, text,
                               user_id, last_stamp, prev_hash)
        if digest != stored_hash:
            return bad(transfer_id, seq, "hash does not match the transfer's content (the row was edited)"), state
        if (journal, created_at) != journal_key:
            broken = limits_broken()
            if broken:
                return bad(broken[0], None, broken[1]), state
            journal_key, journal_first = (journal, created_at), {}
        if amount <= 0 or debit_id == credit_id or debit_id not in accounts or credit_id not in accounts:
            return bad(transfer_id, seq, "amount not positive, same account twice, or unknown account"), state
        journal_first.setdefault(debit_id, transfer_id)
        journal_first.setdefault(credit_id, transfer_id)
        debit, credit = totals[debit_id], totals[credit_id]
        if kind == TransferKind.POSTED:
            balances.apply_transfer(debit, credit, kind, amount)
        elif kind == TransferKind.PENDING:
            balances.apply_transfer(debit, credit, kind, amount)
            open_pendings[transfer_id] = (debit_id, credit_id, amount, when)
        elif kind in (TransferKind.POST_PENDING, TransferKind.VOID_PENDING):
            pending = open_pendings.pop(pending_id, None)
            if pending is None:
                # Not open: either resolved before, or never an earlier pending transfer. Asked of
                # the database only here, so no set of every resolved id is kept in memory.
                earlier = Transfer.objects.filter(pk=pending_id, kind=TransferKind.PENDING, seq__lt=seq).exists()
                reason = "resolves a pending transfer twice" if earlier else \
                    "resolves a transfer that is not an earlier pending transfer"
                return bad(transfer_id, seq, reason), state
            p_debit, p_credit, reserved, p_when = pending
            if (p_debit, p_credit) != (debit_id, credit_id) or when < p_when:
                return bad(transfer_id, seq, "accounts or value date differ from the pending transfer's"), state
            if amount > reserved or (kind == TransferKind.VOID_PENDING and amount != reserved):
                return bad(transfer_id, seq, f"amount {amount:,} does not fit the {reserved:,} reserved"), state
            balances.apply_transfer(debit, credit, kind, amount, reserved=reserved)
        else:
            return bad(transfer_id, seq, f"unknown kind {kind!r}"), state
        prev = stored_hash
        count += 1
        if progress is not None and (count - state.seq) % VERIFY_PROGRESS_EVERY == 0:
            progress("transfers", count - state.seq, max(todo, count - state.seq))
    if progress is not None:
        progress("transfers", count - state.seq, max(todo, count - state.seq))
    broken = limits_broken()
    if broken:
        return bad(broken[0], None, broken[1]), state

    head = LedgerHead.objects.filter(pk=1).values_list("seq", "hash").first()
    if count and (head is None or head != (count, prev)):
        return bad(None, None, f"the chain head {head} does not name the last transfer (seq {count}): "
                               f"transfers were removed from the end, or the head was edited"), state
    for pk, dp, cp, dq, cq in Account.objects.values_list(
        "pk", "debits_posted", "credits_posted", "debits_pending", "credits_pending"
    ).order_by("code"):
        rebuilt = totals[pk].as_tuple() if pk in totals else (0, 0, 0, 0)
        if (dp, cp, dq, cq) != rebuilt:
            code = accounts[pk][0]
            return bad(None, None, f"account {code}: running totals (debits {dp:,}, credits {cp:,}, pending "
                                   f"{dq:,}/{cq:,}) differ from the sum of its transfers ({rebuilt[0]:,}, "
                                   f"{rebuilt[1]:,}, pending {rebuilt[2]:,}/{rebuilt[3]:,})", account=code), state
    end = LedgerState(seq=count, hash=prev, totals=totals, open_pendings=open_pendings)
    return VerifyResult(ok=True, transfers=count, accounts=len(accounts), head_hash=prev, checkpoint=checkpoint,
                        replayed=count - state.seq), end


def ledger_verify(*, progress: Progress | None = None, since_checkpoint: bool = False) -> VerifyResult:
    """Verify the ledger: from the first transfer, or (``since_checkpoint``) from the latest
    checkpoint after checking its signature — from the first transfer when there is none."""
    checkpoint = latest_checkpoint() if since_checkpoint else None
    if checkpoint is None:
        return verify_from(progress=progress)[0]
    start, why = checkpoint_state(checkpoint)
    if start is None:
        return VerifyResult(ok=False, transfers=0, accounts=Account.objects.count(), head_hash="",
                            reason=why, checkpoint=checkpoint.seq)
    return verify_from(start, checkpoint=checkpoint.seq, progress=progress)[0]
