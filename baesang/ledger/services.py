"""Writes to the fund ledger: accounts, transfers, two-phase transfers.

Rules (TigerBeetle's model, STYLE.md §Money):

- A transfer moves one whole-won amount (> 0) from a debit account to a credit account.
- Its id is chosen by the caller. A retry with the same id and the same content returns the
  first result and changes nothing; the same id with other content raises
  :class:`TransferIdConflict`. Ids are never reused.
- The transfers of one call form a journal: all are recorded or none is.
- A pending transfer reserves its amount (it counts against the available balance and the
  limits); it is later posted (fully or a part; the rest is released) or voided, exactly once.
- Balance limits (``debits_must_not_exceed_credits`` / ``credits_must_not_exceed_debits``) hold
  for posted plus pending amounts after every journal; a journal that would break one is
  refused with :class:`LimitExceeded` naming the account, and nothing changes.
- Every journal extends the hash chain under a lock on the chain head, so writers are
  serialised; accounts are then locked in id order. Each journal writes one audit row.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from itertools import islice
from typing import NamedTuple

from django.db import IntegrityError, transaction
from django.db.models.base import ModelState
from django.utils import timezone

from baesang.core.keys import key_fingerprint
from baesang.core.permissions import Actor, permission_require
from baesang.core.services import audit_record
from baesang.ledger import balances, store
from baesang.ledger.chain import canonical_time, transfer_hash
from baesang.ledger.errors import (
    AccountConflict,
    AccountExists,
    AccountNotFound,
    InvalidAccount,
    InvalidTransfer,
    LedgerError,
    LedgerNotVerified,
    LimitExceeded,
    PendingAlreadyResolved,
    PendingAmountExceeded,
    PendingNotFound,
    TransferIdConflict,
)
from baesang.ledger.models import (
    Account,
    AccountPurpose,
    AccountType,
    BalanceLimit,
    LedgerCheckpoint,
    Transfer,
    TransferKind,
)
from baesang.ledger.verification import (
    checkpoint_key,
    checkpoint_payload,
    checkpoint_sign,
    checkpoint_state,
    latest_checkpoint,
    pendings_digest,
    verify_from,
)

__all__ = [
    "TransferSpec", "account_create", "account_ensure", "transfer_create", "transfers_create", "pending_post",
    "pending_void", "pendings_resolve", "LedgerError", "InvalidAccount", "AccountExists", "AccountConflict",
    "AccountNotFound", "InvalidTransfer", "TransferIdConflict", "LimitExceeded", "PendingNotFound",
    "PendingAlreadyResolved", "PendingAmountExceeded", "ledger_checkpoint_create", "LedgerNotVerified",
    "JournalWritten", "journal_stream_create",
]

ACCOUNT_CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:\-]{0,63}$")
MAX_ID = 128
MAX_DESCRIPTION = 500
MAX_AMOUNT = 2**63 - 1
_CHUNK = 2000  # rows hashed, then handed to the database, at a time


class TransferRow(NamedTuple):
    """One transfer of a journal, resolved to account ids, before it is hashed and stored."""

    id: str
    kind: str
    debit_id: int
    credit_id: int
    amount: int
    pending_id: str | None
    value_date: date
    description: str

POSTED = TransferKind.POSTED.value
PENDING = TransferKind.PENDING.value
POST_PENDING = TransferKind.POST_PENDING.value
VOID_PENDING = TransferKind.VOID_PENDING.value


@dataclass(frozen=True, slots=True)
class TransferSpec:
    """One transfer to create; ``debit`` and ``credit`` are account codes, ``amount`` whole won."""

    id: str
    debit: str
    credit: str
    amount: int
    value_date: date
    description: str = ""
    journal: str = ""
    pending: bool = False


# ---------------------------------------------------------------- accounts


def _account_check(*, code: str, name: str, type: str, purpose: str, debtor: str, limit: str) -> None:
    if not isinstance(code, str) or not ACCOUNT_CODE_RE.match(code):
        raise InvalidAccount(
            f"account code {code!r}: 1–64 letters, digits or . _ : -, starting with a letter or digit",
            field="code",
        )
    if not name or not name.strip():
        raise InvalidAccount(f"account {code}: a name is required", field="name")
    if type not in AccountType.values:
        raise InvalidAccount(f"account {code}: type {type!r} is not one of {', '.join(AccountType.values)}",
                             field="type")
    if purpose not in AccountPurpose.values:
        raise InvalidAccount(f"account {code}: purpose {purpose!r} is not one of {', '.join(AccountPurpose.values)}",
                             field="purpose")
    if limit not in BalanceLimit.values:
        raise InvalidAccount(f"account {code}: limit {limit!r} is not one of "
                             f"{', '.join(v for v in BalanceLimit.values if v)} (or empty)", field="limit")
    if len(debtor) > 64:
        raise InvalidAccount(f"account {code}: debtor code is longer than 64 characters", field="debtor")


def account_create(
    *, code: str, name: str, type: str, purpose: str, debtor: str = "", limit: str = "", restricted: bool = False,
    user: Actor | None = None,
) -> Account:
    """Open an account. Its code is unique and never changes; it starts with zero totals."""
    _account_check(code=code, name=name, type=type, purpose=purpose, debtor=debtor, limit=limit)
    try:
        with transaction.atomic():
            account = Account.objects.create(
                code=code, name=name.strip(), type=type, purpose=purpose, debtor=debtor, limit=limit,
                restricted=restricted,
            )
            audit_record(actor=user, action="ledger.account_create", entity=account,
                         entity_id=account.code, new=_account_attributes(account))
    except IntegrityError as exc:
        if Account.objects.filter(code=code).exists():
            raise AccountExists(f"account {code} exists already", field="code") from exc
        raise
    return account


def _account_attributes(account: Account) -> dict:
    return {"code": account.code, "name": account.name, "type": account.type, "purpose": account.purpose,
            "restricted": account.restricted, "debtor": account.debtor, "limit": account.limit}


def account_ensure(
    *, code: str, name: str, type: str, purpose: str, debtor: str = "", limit: str = "", restricted: bool = False,
    user: Actor | None = None,
) -> Account:
    """Get the account with this code, or create it. Differing attributes raise :class:`AccountConflict`."""
    account = Account.objects.filter(code=code).first()
    if account is None:
        try:
            return account_create(code=code, name=name, type=type, purpose=purpose, debtor=debtor, limit=limit,
                                  restricted=restricted, user=user)
        except AccountExists:  # created concurrently by another writer
            account = Account.objects.get(code=code)
    wanted = {"type": type, "purpose": purpose, "debtor": debtor, "limit": limit, "restricted": restricted}
    differing = {k: (getattr(account, k), v) for k, v in wanted.items() if getattr(account, k) != v}
    if differing:
        details = ", ".join(f"{k} is {old!r}, not {new!r}" for k, (old, new) in differing.items())
        raise AccountConflict(f"account {code} exists with other attributes: {details}", field="code")
    return account


# ---------------------------------------------------------------- transfers


def _check_id(value, what: str, row: int | None) -> None:
    if not isinstance(value, str) or not value or len(value) > MAX_ID or value != value.strip():
        raise InvalidTransfer(f"{what} {value!r}: an id is a non-empty text of at most {MAX_ID} characters "
                              f"without surrounding spaces", field="id", row=row)


def _check_amount(amount, transfer_id: str, row: int | None) -> None:
    if type(amount) is not int or not 0 < amount <= MAX_AMOUNT:
        raise InvalidTransfer(f"transfer {transfer_id}: amount {amount!r} must be a whole number of won > 0",
                              field="amount", row=row)


def _check_date(value, transfer_id: str, row: int | None) -> None:
    if not isinstance(value, date) or isinstance(value, datetime):
        raise InvalidTransfer(f"transfer {transfer_id}: value_date {value!r} must be a date", field="value_date",
                              row=row)


def _check_description(value, transfer_id: str, row: int | None) -> None:
    if not isinstance(value, str) or len(value) > MAX_DESCRIPTION:
        raise InvalidTransfer(f"transfer {transfer_id}: description must be a text of at most {MAX_DESCRIPTION} "
                              f"characters", field="description", row=row)


def transfer_create(*, spec: TransferSpec, user: Actor | None = None) -> Transfer:
    """Create one transfer (a journal of one)."""
    return transfers_create(specs=[spec], user=user)[0]


def transfers_create(*, specs: Sequence[TransferSpec], user: Actor | None = None,
                     returning: bool = True) -> list[Transfer]:
    """Create the transfers of one journal, all or none, set-wise.

    The journal reference is the one the specs name (they must agree), else the first id.
    A retry of the whole journal returns the transfers recorded the first time. With
    ``returning=False`` no model instances are built and an empty list is returned (a journal
    of millions of payments, whose caller needs none).
    """
    permission_require(user, "book_ledger")
    if not specs:
        raise InvalidTransfer("a journal needs at least one transfer")
    journals = {spec.journal for spec in specs}
    if len(journals) > 1:
        raise InvalidTransfer(f"the transfers of one call form one journal; they name {len(journals)}: "
                              f"{', '.join(sorted(journals)[:5])}", field="journal")
    journal = next(iter(journals)) or specs[0].id
    if len(journal) > MAX_ID:
        raise InvalidTransfer(f"journal {journal[:40]!r}…: at most {MAX_ID} characters", field="journal")
    ids: set[str] = set()
    codes: set[str] = set()
    for row, spec in enumerate(specs, start=1):
        if not isinstance(spec, TransferSpec):
            raise InvalidTransfer(f"item {row} is not a TransferSpec", row=row)
        _check_id(spec.id, "transfer id", row)
        if spec.id in ids:
            raise InvalidTransfer(f"transfer {spec.id} appears twice in one journal", field="id", row=row)
        ids.add(spec.id)
        _check_amount(spec.amount, spec.id, row)
        if spec.debit == spec.credit:
            raise InvalidTransfer(f"transfer {spec.id}: debit and credit are the same account {spec.debit}",
                                  field="credit", row=row)
        _check_date(spec.value_date, spec.id, row)
        _check_description(spec.description, spec.id, row)
        codes.add(spec.debit)
        codes.add(spec.credit)

    with transaction.atomic():
        head = store.lock_head()
        states = store.lock_accounts(codes=codes)
        by_code = {s.code: s for s in states}
        missing = sorted(codes - by_code.keys())
        if missing:
            raise AccountNotFound(f"no account with code {', '.join(missing[:10])}", field="debit")
        rows = [
            TransferRow(s.id, PENDING if s.pending else POSTED, by_code[s.debit].id, by_code[s.credit].id, s.amount,
                        None, s.value_date, s.description)
            for s in specs
        ]
        return _commit(rows=rows, journal=journal, states=states, pendings={}, loose_dates=frozenset(), user=user,
                       action="ledger.transfers_create", head=head, returning=returning)


def pending_post(
    *, id: str, pending_id: str, amount: int | None = None, user: Actor | None = None, value_date: date | None = None,
    description: str = "",
) -> Transfer:
    """Post a pending transfer, fully (``amount=None``) or in part; the rest of the reservation is released."""
    permission_require(user, "book_ledger")
    return _resolve(posts=[(id, pending_id, amount)], voids=[], user=user, value_date=value_date,
                    description=description)[0]


def pending_void(*, id: str, pending_id: str, user: Actor | None = None, value_date: date | None = None,
                 description: str = "") -> Transfer:
    """Void a pending transfer: its whole reservation is released, nothing is posted."""
    permission_require(user, "book_ledger")
    return _resolve(posts=[], voids=[(id, pending_id)], user=user, value_date=value_date, description=description)[0]


def pendings_resolve(
    *, posts: Sequence[tuple], voids: Sequence[tuple], user: Actor | None = None, value_date: date | None = None
) -> None:
    """Post and void many pending transfers in one journal, all or none.

    ``posts`` holds ``(id, pending_id)`` (post in full) or ``(id, pending_id, amount)``;
    ``voids`` holds ``(id, pending_id)``.
    """
    permission_require(user, "book_ledger")
    _resolve(posts=[(p[0], p[1], p[2] if len(p) > 2 else None) for p in posts],
             voids=[(v[0], v[1]) for v in voids], user=user, value_date=value_date, description="", returning=False)


def _resolve(*, posts: list[tuple], voids: list[tuple], user, value_date: date | None,
             description: str, returning: bool = True) -> list[Transfer]:
    requests = [(i, p, POST_PENDING, a) for i, p, a in posts] + [(i, p, VOID_PENDING, None) for i, p in voids]
    if not requests:
        raise InvalidTransfer("nothing to post or void")
    if value_date is not None:
        _check_date(value_date, requests[0][0], None)
    _check_description(description, requests[0][0], None)
    seen_ids: set[str] = set()
    seen_pendings: set[str] = set()
    for row, (transfer_id, pending_id, _kind, amount) in enumerate(requests, start=1):
        _check_id(transfer_id, "transfer id", row)
        _check_id(pending_id, "pending id", row)
        if transfer_id in seen_ids:
            raise InvalidTransfer(f"transfer {transfer_id} appears twice in one journal", field="id", row=row)
        if pending_id in seen_pendings:
            raise InvalidTransfer(f"pending transfer {pending_id} is posted or voided twice in one journal",
                                  field="pending_id", row=row)
        seen_ids.add(transfer_id)
        seen_pendings.add(pending_id)
        if amount is not None:
            _check_amount(amount, transfer_id, row)
    journal = requests[0][0]
    today = timezone.localdate()

    with transaction.atomic():
        head = store.lock_head()
        pendings = store.fetch_transfers(sorted(seen_pendings))
        rows = []
        loose: set[str] = set()
        for row, (transfer_id, pending_id, kind, amount) in enumerate(requests, start=1):
            pending = pendings.get(pending_id)
            if pending is None:
                raise PendingNotFound(f"{kind} {transfer_id}: no transfer with id {pending_id}", field="pending_id",
                                      row=row)
            if pending.kind != PENDING:
                raise InvalidTransfer(f"{kind} {transfer_id}: transfer {pending_id} is {pending.kind}, not pending",
                                      field="pending_id", row=row)
            reserved = pending.amount
            if amount is None:
                amount = reserved
            elif amount > reserved:
                raise PendingAmountExceeded(
                    f"post {transfer_id}: amount {amount:,} won exceeds the {reserved:,} won reserved by "
                    f"pending transfer {pending_id}", field="amount", row=row)
            if kind == VOID_PENDING:
                amount = reserved
            when = value_date
            if when is None:
                when = max(today, pending.value_date)
                loose.add(transfer_id)
            elif when < pending.value_date:
                raise InvalidTransfer(f"{kind} {transfer_id}: value date {when} is before the value date "
                                      f"{pending.value_date} of pending transfer {pending_id}", field="value_date",
                                      row=row)
            rows.append(TransferRow(transfer_id, kind, pending.debit_id, pending.credit_id, amount, pending_id, when,
                                    description))
        states = store.lock_accounts(ids={r.debit_id for r in rows} | {r.credit_id for r in rows})
        return _commit(rows=rows, journal=journal, states=states, pendings=pendings, loose_dates=frozenset(loose),
                       user=user, action="ledger.pendings_resolve", head=head, returning=returning)


def _commit(*, rows: list[TransferRow], journal: str, states: list[store.AccountState],
            pendings: dict[str, store.StoredTransfer],
            loose_dates: frozenset[str], user, action: str, head: tuple[int, str],
            returning: bool = True) -> list[Transfer]:
    """Record resolved rows ``(id, kind, debit_id, credit_id, amount, pending_id, value_date, description)``.

    Runs inside the caller's atomic block with the head and the accounts locked.
    """
    # A retry repeats a whole journal, so its first id exists. Any other id used before is
    # caught by the primary key when the rows are inserted (below).
    if store.fetch_transfers([rows[0].id]):
        existing = store.fetch_transfers([r.id for r in rows])
        return _replay(rows=rows, journal=journal, existing=existing, loose_dates=loose_dates, returning=returning)

    if pendings:
        resolved = store.resolved_pending_ids([r.pending_id for r in rows])
        for row_number, r in enumerate(rows, start=1):
            if r.pending_id in resolved:
                raise PendingAlreadyResolved(
                    f"{r.kind} {r.id}: pending transfer {r.pending_id} was already resolved by transfer "
                    f"{resolved[r.pending_id]}", field="pending_id", row=row_number)

    by_id = {s.id: s for s in states}
    for _id, kind, debit_id, credit_id, amount, pending_id, _when, _text in rows:
        debit, credit = by_id[debit_id], by_id[credit_id]
        debit.touched = credit.touched = True
        balances.apply_transfer(debit, credit, kind, amount,
                                reserved=pendings[pending_id].amount if pending_id else 0)
    for state in states:
        if state.touched:
            _limit_check(state, journal)

    seq, prev = head
    created_at = timezone.now()
    stamp = canonical_time(created_at)
    user_id = getattr(user, "pk", None)
    first = last = None  # the first and last rows written, for the audit row
    written = amount_sum = 0
    instances: list[Transfer] = []
    dates: dict[date, str] = {}
    try:
        with transaction.atomic(), store.transfer_inserter(created_at) as write:
            for start in range(0, len(rows), _CHUNK):
                chunk = []
                append = chunk.append
                for transfer_id, kind, debit_id, credit_id, amount, pending_id, when, text in \
                        rows[start:start + _CHUNK]:
                    seq += 1
                    day = dates.get(when)
                    if day is None:
                        day = dates[when] = when.isoformat()
                    digest = transfer_hash(seq, transfer_id, kind, debit_id, credit_id, amount, pending_id, journal,
                                           day, text, user_id, stamp, prev)
                    append((transfer_id, seq, kind, debit_id, credit_id, amount, pending_id, journal, when, text,
                            user_id, created_at, prev, digest))
                    prev = digest
                write(chunk)
                if chunk:
                    first = first or chunk[0]
                    last = chunk[-1]
                    written += len(chunk)
                    amount_sum += sum(r[5] for r in chunk)
                if returning:
                    instances += _instances(chunk)  # built while the database inserts the chunk
    except IntegrityError as exc:
        used = store.fetch_transfers([r.id for r in rows])
        if used:
            transfer_id, stored = next(iter(used.items()))
            raise TransferIdConflict(
                f"transfer id {transfer_id} was used before (seq {stored.seq}, journal {stored.journal}); an id is "
                f"never reused, and a journal is retried whole or not at all", field="id") from exc
        raise
    store.update_accounts(states)
    store.set_head(seq, prev)
    audit_record(
        actor=user, action=action, entity_type="ledger.journal", entity_id=journal[:80],
        new={"journal": journal, "transfers": written, "amount": amount_sum,
             "first": first[0], "last": last[0], "seq": [first[1], last[1]], "head": prev},
    )
    return instances


def _limit_check(state: store.AccountState, journal: str) -> None:
    broken = balances.limit_broken(state.limit, state)
    if broken is not None:
        side, other, over = broken
        raise LimitExceeded(
            f"account {state.code} ({state.name}): limit {state.limit} — journal {journal} would bring {side} "
            f"posted and pending to {over + other:,} won against {'credits' if side == 'debits' else 'debits'} "
            f"posted of {other:,} won ({over:,} won over); nothing was posted",
            account=state.code, limit=state.limit)
    if min(state.dp, state.cp, state.dq, state.cq) < 0:  # cannot happen: a pending is released once
        raise LedgerError(f"account {state.code}: a running total would become negative; nothing was posted")


def _replay(*, rows: list[TransferRow], journal: str, existing: dict[str, store.StoredTransfer],
            loose_dates: frozenset[str], returning: bool = True
            ) -> list[Transfer]:
    """A retry: every id must exist with the same content; return what was recorded."""
    for transfer_id, kind, debit_id, credit_id, amount, pending_id, when, text in rows:
        stored = existing.get(transfer_id)
        if stored is None:
            raise TransferIdConflict(
                f"journal {journal}: some of its transfer ids exist already and {transfer_id} does not; "
                f"a journal is retried whole or not at all", field="id")
        wanted = (kind, debit_id, credit_id, amount, pending_id or None, journal, when, text)
        have = (stored.kind, stored.debit_id, stored.credit_id, stored.amount, stored.pending_id, stored.journal,
                stored.value_date, stored.description)
        if transfer_id in loose_dates:
            wanted, have = wanted[:6] + wanted[7:], have[:6] + have[7:]
        if wanted != have:
            names = ("kind", "debit account", "credit account", "amount", "pending id", "journal", "value date",
                     "description")
            if transfer_id in loose_dates:
                names = names[:6] + names[7:]
            differs = [n for n, a, b in zip(names, wanted, have, strict=True) if a != b]
            raise TransferIdConflict(
                f"transfer id {transfer_id} was used before (seq {stored.seq}) with another "
                f"{', '.join(differs)}; an id is never reused", field="id")
    if not returning:
        return []
    recorded = Transfer.objects.in_bulk([r.id for r in rows])
    return [recorded[r.id] for r in rows]


def _instances(out: list[tuple]) -> list[Transfer]:
    """Model instances of the rows just written, built without a query.

    Django's ``Model.from_db`` runs ``__init__`` and its descriptors for every field (≈ 20 µs a
    row); a journal of 100,000 payments would spend seconds there. The rows are complete and in
    the model's field order (``store.TRANSFER_COLUMNS``, held so by a test), so the instances are
    built the way the ORM's own loaders see them: attribute values plus a saved ``ModelState``.
    """
    alias = transaction.get_connection().alias
    names = _ATTNAMES
    new = Transfer.__new__
    instances = []
    for row in out:
        instance = new(Transfer)
        values = dict(zip(names, row, strict=True))
        state = ModelState()
        state.adding, state.db = False, alias
        values["_state"] = state
        instance.__dict__ = values
        instances.append(instance)
    return instances


_ATTNAMES = tuple(field.attname for field in Transfer._meta.concrete_fields)


@transaction.atomic
def ledger_checkpoint_create(*, actor: Actor, full: bool = False, progress=None) -> LedgerCheckpoint:
    """Verify the ledger and record a signed checkpoint of the state reached (append-only).

    The chain head is locked meanwhile, so no transfer is appended between the verification
    and the record. Verification continues from the latest checkpoint (its signature checked
    first), or runs from the first transfer when there is none or ``full`` is asked; a ledger
    that does not verify — or a latest checkpoint that cannot be trusted, unless ``full`` — gets
    no checkpoint (:class:`LedgerNotVerified`). ``progress`` is told ("transfers", done, total).
    """
    permission_require(actor, "checkpoint_ledger")
    store.lock_head()
    previous = None if full else latest_checkpoint()
    start = None
    if previous is not None:
        start, why = checkpoint_state(previous)
        if start is None:
            raise LedgerNotVerified(f"{why}; no checkpoint was recorded (a full verification, --full, may record one)")
    result, state = verify_from(start, checkpoint=previous.seq if previous else None, progress=progress)
    if not result.ok:
        where = f" at transfer {result.first_bad_transfer}" if result.first_bad_transfer else ""
        raise LedgerNotVerified(f"the ledger does not verify{where}: {result.reason}; no checkpoint was recorded")
    key = checkpoint_key()
    balances_ = state.balances_json()
    pending_ids = sorted(state.open_pendings)
    digest = pendings_digest(state.open_pendings)
    created_at = timezone.now()
    user = actor if getattr(actor, "pk", None) is not None else None
    verified_from = previous.seq if previous is not None else 0
    key_id = key_fingerprint(key)
    signature = checkpoint_sign(checkpoint_payload(
        seq=state.seq, hash_=state.hash, balances_=balances_, pendings=len(pending_ids), digest=digest,
        verified_from=verified_from, created_at=created_at, key_id=key_id, user_id=getattr(user, "pk", None)), key)
    checkpoint = LedgerCheckpoint.objects.create(
        seq=state.seq, hash=state.hash, balances=balances_, pending_ids=pending_ids, pendings_digest=digest,
        verified_from=verified_from, key_id=key_id, signature=signature, created_at=created_at, created_by=user)
    audit_record(actor=actor, action="ledger.checkpoint", entity=checkpoint, new={
        "seq": state.seq, "hash": state.hash, "accounts": len(balances_), "open_pendings": len(pending_ids),
        "verified_from": verified_from, "replayed": result.replayed, "key_id": key_id})
    return checkpoint


@dataclass(frozen=True)
class JournalWritten:
    """What :func:`journal_stream_create` recorded: the journal, its size and its place in the chain."""

    journal: str
    transfers: int
    amount: int
    first_seq: int
    last_seq: int
    head: str


#: Transfers read from the iterable before a COPY of them opens (the iterable may read the
#: database, which it cannot do while a COPY is open).
_STREAM_CHUNK = 50_000


def journal_stream_create(*, transfers: Iterable[TransferSpec], journal: str, accounts: Sequence[str],
                          user: Actor | None = None, progress: Callable[[int], None] | None = None
                          ) -> JournalWritten:
    """Create one journal of posted transfers read from an iterable, all or none, holding only
    a chunk of them in memory at a time (an import of a million donations).

    The same rules as :func:`transfers_create` for each transfer (id, whole-won amount, two
    accounts, a date, description length, the one journal; balance limits checked once for
    the whole journal before anything is committed), except that it is not a retry: an id
    used before refuses the whole journal with :class:`TransferIdConflict` (callers leave out
    what they booked before). ``accounts`` are the codes the transfers may use, locked in id
    order before the first one is written; ``progress(written)`` is told after each chunk.

    A chunk of :data:`_STREAM_CHUNK` transfers is read from the iterable, then checked and
    hashed :data:`_CHUNK` at a time into one COPY; on PostgreSQL its writer thread sends
    each piece while the next is hashed, so the server inserts while Python hashes.
    """
    permission_require(user, "book_ledger")
    if not journal or len(journal) > MAX_ID:
        raise InvalidTransfer(f"journal {journal[:40]!r}: 1 to {MAX_ID} characters", field="journal")
    with transaction.atomic():
        head = store.lock_head()
        states = store.lock_accounts(codes=accounts)
        by_code = {s.code: s for s in states}
        missing = sorted(set(accounts) - by_code.keys())
        if missing:
            raise AccountNotFound(f"no account with code {', '.join(missing[:10])}", field="debit")
        seq, prev = head
        first_seq = seq + 1
        created_at = timezone.now()
        stamp = canonical_time(created_at)
        user_id = getattr(user, "pk", None)
        dates: dict[date, str] = {}
        count = total = 0
        source = iter(transfers)
        try:
            while chunk := list(islice(source, _STREAM_CHUNK)):
                with transaction.atomic(), store.transfer_inserter(created_at) as write:
                    for start in range(0, len(chunk), _CHUNK):
                        rows: list[tuple] = []
                        append = rows.append
                        for row, spec in enumerate(chunk[start:start + _CHUNK], start=count + 1):
                            transfer_id, amount, when, text = spec.id, spec.amount, spec.value_date, spec.description
                            _check_id(transfer_id, "transfer id", row)
                            _check_amount(amount, transfer_id, row)
                            if spec.pending or spec.journal not in ("", journal):
                                raise InvalidTransfer(f"transfer {transfer_id}: a streamed journal holds posted "
                                                      f"transfers of journal {journal} only", field="journal",
                                                      row=row)
                            debit, credit = by_code.get(spec.debit), by_code.get(spec.credit)
                            if debit is None or credit is None:
                                raise AccountNotFound(f"transfer {transfer_id}: account {spec.debit} or "
                                                      f"{spec.credit} is not among the accounts of the journal",
                                                      field="debit", row=row)
                            if debit is credit:
                                raise InvalidTransfer(f"transfer {transfer_id}: debit and credit are the same "
                                                      f"account {spec.debit}", field="credit", row=row)
                            day = dates.get(when)
                            if day is None:
                                _check_date(when, transfer_id, row)
                                day = dates[when] = when.isoformat()
                            if len(text) > MAX_DESCRIPTION:
                                _check_description(text, transfer_id, row)
                            seq += 1
                            digest = transfer_hash(seq, transfer_id, POSTED, debit.id, credit.id, amount, None,
                                                   journal, day, text, user_id, stamp, prev)
                            append((transfer_id, seq, POSTED, debit.id, credit.id, amount, None, journal, when,
                                    text, user_id, created_at, prev, digest))
                            prev = digest
                            debit.dp += amount
                            credit.cp += amount
                            debit.touched = credit.touched = True
                            total += amount
                        count += len(rows)
                        write(rows)
                if progress is not None:
                    progress(count)
        except IntegrityError as exc:
            raise TransferIdConflict(
                f"journal {journal}: a transfer id of it was used before; an id is never reused, and a journal is "
                f"retried whole or not at all", field="id") from exc
        if count == 0:
            raise InvalidTransfer("a journal needs at least one transfer")
        for state in states:
            if state.touched:
                _limit_check(state, journal)
        store.update_accounts(states)
        store.set_head(seq, prev)
        audit_record(
            actor=user, action="ledger.transfers_create", entity_type="ledger.journal", entity_id=journal[:80],
            new={"journal": journal, "transfers": count, "amount": total, "seq": [first_seq, seq], "head": prev},
        )
        if progress is not None:
            progress(count)
    return JournalWritten(journal=journal, transfers=count, amount=total, first_seq=first_seq, last_seq=seq,
                          head=prev)
