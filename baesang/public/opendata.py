"""The open-data file of the fund ledger and its public hash chain (공개 원장).

Every ledger transfer is published, stripped of personal data: the description is dropped
and replaced by a category derived from the accounts; the accounts of individual creditors
(creditor payables, 미지급 판결금) are pooled into one class, ``creditor_payables``; the
journal reference becomes a public journal number; who entered it is left out. Other
accounts (bank, donations income, judgment payments, court deposits held, indemnity
receivables against debtor companies …) are the foundation's own and keep their code.

Because pooling changes the content, the ledger's own hash chain cannot be recomputed
from the published rows. The file therefore carries a *public* hash chain over exactly
what it publishes::

    content     = JSON array of the text of the CONTENT_FIELDS of the row, in that order
                  (integers in decimal, empty text for none), compact, UTF-8
    public_hash = SHA-256(content + prev_public_hash), hex; the first row follows 64 zeros

and, on each row, the ledger's own transfer hash, so an auditor with access to the ledger
can cross-check row by row, and anyone can compare the last ``ledger_hash`` with the
ledger chain head the foundation publishes.

The totals (per class: posted debits, credits and balance on the class's normal side,
and open pending amounts; donations received, judgment money paid, court deposits held)
are a function of the rows alone: :func:`totals` computes them, :func:`verify_rows`
recomputes chain and totals and names the first row or total that does not hold.
This module imports nothing from Django, so the same code checks a downloaded file.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

FORMAT = "baesang-public-ledger"
VERSION = 1
GENESIS = "0" * 64

CONTENT_FIELDS = (
    "seq", "kind", "pending_seq", "journal", "value_date",
    "debit", "debit_type", "debit_purpose", "credit", "credit_type", "credit_purpose",
    "amount", "category", "ledger_hash",
)
FIELDS = (*CONTENT_FIELDS, "prev_public_hash", "public_hash")
INT_FIELDS = ("seq", "pending_seq", "journal", "amount")

KINDS = ("posted", "pending", "post_pending", "void_pending")
POSTED_KINDS = ("posted", "post_pending")
DEBIT_NORMAL_TYPES = ("asset", "expense")
TYPES = ("asset", "liability", "equity", "income", "expense")

# Accounts held per individual: published pooled under one class.
POOLED_PURPOSES = {"creditor_payable": "creditor_payables"}

# Headline totals: the sum of the balances (normal side) of the classes with this purpose.
HEADLINE_PURPOSES = {
    "donations_received": "donations_income",
    "judgment_payments": "judgment_payments",
    "deposits_held": "deposits_held",
    "bank": "bank",
    "indemnity_receivable": "indemnity_receivable",
}


class PublicDataError(ValueError):
    """A published file does not hold: the message names the row (or total) and the rule."""

    def __init__(self, message: str, *, row: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.row = row


# ---------------------------------------------------------------------------------------
# Building the rows


@dataclass(frozen=True)
class LedgerTransfer:
    """One ledger transfer as the exporter reads it (account attributes resolved)."""

    seq: int
    id: str
    kind: str
    pending_id: str | None
    journal: str
    value_date: str  # ISO date
    debit_code: str
    debit_type: str
    debit_purpose: str
    credit_code: str
    credit_type: str
    credit_purpose: str
    amount: int
    hash: str


def account_class(code: str, purpose: str) -> str:
    """The public class of an account: pooled for per-person accounts, else its code."""
    return POOLED_PURPOSES.get(purpose, code)


def category(debit_purpose: str, credit_purpose: str) -> str:
    """What a transfer is, from the purposes of its accounts (the description is not published).

    The bookings are those of docs/ledger.md: a donation is bank ← donations income; a
    judgment payment is judgment payments ← bank (or ← court deposits held, or through a
    creditor payable); a court deposit is deposits held ← bank and comes back as bank ←
    deposits held; an indemnity claim is indemnity receivable ← indemnity reserve.
    """
    if credit_purpose == "donations_income":
        return "donation"
    if debit_purpose == "donations_income":
        return "donation_reversal"
    if debit_purpose == "judgment_payments":
        return "judgment_payable" if credit_purpose == "creditor_payable" else "judgment_payment"
    if credit_purpose == "judgment_payments":
        return "judgment_payment_reversal"
    if debit_purpose == "creditor_payable":
        return "creditor_payment"
    if debit_purpose == "deposits_held":
        return "court_deposit"
    if credit_purpose == "deposits_held":
        return "court_deposit_return"
    if debit_purpose == "indemnity_receivable":
        return "indemnity"
    if credit_purpose == "indemnity_receivable":
        return "indemnity_reversal"
    if "indemnity_recoveries" in (debit_purpose, credit_purpose):
        return "indemnity_recovery"
    if "opening_balance" in (debit_purpose, credit_purpose):
        return "opening_balance"
    if {"restricted_fund", "unrestricted_fund"} & {debit_purpose, credit_purpose}:
        return "fund_designation"
    return "other"


def canonical(row: Mapping) -> str:
    """The content of a row as hashed: a compact JSON array of texts."""
    values = []
    for name in CONTENT_FIELDS:
        value = row.get(name)
        values.append("" if value is None else str(value))
    return json.dumps(values, ensure_ascii=False, separators=(",", ":"))


def public_hash(row: Mapping, prev_public_hash: str) -> str:
    return hashlib.sha256((canonical(row) + prev_public_hash).encode("utf-8")).hexdigest()


def build_rows(transfers: Iterable[LedgerTransfer]) -> Iterator[dict]:
    """The public rows, in ledger order, with the public chain."""
    journals: dict[str, int] = {}
    pending_seqs: dict[str, int] = {}
    prev = GENESIS
    for t in transfers:
        journal = journals.setdefault(t.journal, len(journals) + 1)
        if t.kind == "pending":
            pending_seqs[t.id] = t.seq
        pending_seq = pending_seqs.pop(t.pending_id, None) if t.pending_id else None
        row = {
            "seq": t.seq,
            "kind": t.kind,
            "pending_seq": pending_seq,
            "journal": journal,
            "value_date": t.value_date,
            "debit": account_class(t.debit_code, t.debit_purpose),
            "debit_type": t.debit_type,
            "debit_purpose": t.debit_purpose,
            "credit": account_class(t.credit_code, t.credit_purpose),
            "credit_type": t.credit_type,
            "credit_purpose": t.credit_purpose,
            "amount": t.amount,
            "category": category(t.debit_purpose, t.credit_purpose),
            "ledger_hash": t.hash,
            "prev_public_hash": prev,
        }
        row["public_hash"] = prev = public_hash(row, prev)
        yield row


# ---------------------------------------------------------------------------------------
# Totals


@dataclass
class ClassTotals:
    cls: str
    type: str
    purpose: str
    debits: int = 0
    credits: int = 0
    pending_debits: int = 0
    pending_credits: int = 0

    @property
    def balance(self) -> int:
        if self.type in DEBIT_NORMAL_TYPES:
            return self.debits - self.credits
        return self.credits - self.debits

    def as_json(self) -> dict:
        return {
            "class": self.cls, "type": self.type, "purpose": self.purpose, "debits": self.debits,
            "credits": self.credits, "balance": self.balance, "pending_debits": self.pending_debits,
            "pending_credits": self.pending_credits,
        }


@dataclass
class Totals:
    classes: dict[str, ClassTotals] = field(default_factory=dict)
    transfers: int = 0
    total_debits: int = 0
    total_credits: int = 0
    last_seq: int = 0
    public_head: str = GENESIS
    ledger_head: str = GENESIS

    def headline(self, name: str) -> int:
        purpose = HEADLINE_PURPOSES[name]
        return sum(c.balance for c in self.classes.values() if c.purpose == purpose)

    def as_json(self) -> dict:
        data: dict = {name: self.headline(name) for name in HEADLINE_PURPOSES}
        data.update({
            "transfers": self.transfers,
            "total_debits": self.total_debits,
            "total_credits": self.total_credits,
            "classes": [self.classes[name].as_json() for name in sorted(self.classes)],
        })
        return data


class _Accumulator:
    """Totals built row by row; :meth:`add` raises :class:`PublicDataError` for a row that
    cannot be a transfer (its chain is checked separately)."""

    def __init__(self) -> None:
        self.totals = Totals()
        self.open_pending: dict[int, tuple[str, str, int]] = {}

    def _class(self, name: str, type_: str, purpose: str, number: int) -> ClassTotals:
        entry = self.totals.classes.get(name)
        if entry is None:
            if type_ not in TYPES:
                raise PublicDataError(f"row {number}: account type {type_!r} is not one of {', '.join(TYPES)}",
                                      row=number)
            entry = self.totals.classes[name] = ClassTotals(name, type_, purpose)
        elif (entry.type, entry.purpose) != (type_, purpose):
            raise PublicDataError(
                f"row {number}: class {name} is {type_}/{purpose} here but {entry.type}/{entry.purpose} "
                "in an earlier row", row=number)
        return entry

    def add(self, row: Mapping, number: int) -> None:
        totals = self.totals
        seq, amount, kind = row["seq"], row["amount"], row["kind"]
        if seq != totals.last_seq + 1:
            raise PublicDataError(f"row {number}: seq {seq} does not follow {totals.last_seq}", row=number)
        if type(amount) is not int or amount <= 0:
            raise PublicDataError(f"row {number}: amount must be a whole number of won > 0, got {amount!r}",
                                  row=number)
        if kind not in KINDS:
            raise PublicDataError(f"row {number}: kind {kind!r} is not one of {', '.join(KINDS)}", row=number)
        if row["debit"] == row["credit"] and row["debit"] not in POOLED_PURPOSES.values():
            raise PublicDataError(f"row {number}: debit and credit are the same account {row['debit']}",
                                  row=number)
        debit = self._class(row["debit"], row["debit_type"], row["debit_purpose"], number)
        credit = self._class(row["credit"], row["credit_type"], row["credit_purpose"], number)
        pending_seq = row.get("pending_seq")
        if kind in ("posted", "pending") and pending_seq is not None:
            raise PublicDataError(f"row {number}: a {kind} transfer refers to pending transfer {pending_seq}",
                                  row=number)
        if kind in ("post_pending", "void_pending"):
            reserved = self.open_pending.pop(pending_seq, None) if pending_seq is not None else None
            if reserved is None:
                raise PublicDataError(
                    f"row {number}: {kind} refers to pending transfer {pending_seq!r}, which is not an open pending "
                    "transfer earlier in the file", row=number)
            debit_cls, credit_cls, reserved_amount = reserved
            if (debit_cls, credit_cls) != (row["debit"], row["credit"]) or amount > reserved_amount:
                raise PublicDataError(
                    f"row {number}: {kind} of pending transfer {pending_seq} must use its accounts and at most its "
                    f"amount ({reserved_amount})", row=number)
            totals.classes[debit_cls].pending_debits -= reserved_amount
            totals.classes[credit_cls].pending_credits -= reserved_amount
        if kind == "pending":
            self.open_pending[seq] = (row["debit"], row["credit"], amount)
            debit.pending_debits += amount
            credit.pending_credits += amount
        elif kind in POSTED_KINDS:
            debit.debits += amount
            credit.credits += amount
            totals.total_debits += amount
            totals.total_credits += amount
        totals.transfers += 1
        totals.last_seq = seq
        totals.public_head = row["public_hash"]
        totals.ledger_head = row["ledger_hash"]


def totals(rows: Iterable[Mapping]) -> Totals:
    accumulator = _Accumulator()
    for number, row in enumerate(rows, 1):
        accumulator.add(row, number)
    return accumulator.totals


# ---------------------------------------------------------------------------------------
# Files


def document(rows: list[dict], *, as_of: str, ledger_head: Mapping | None = None) -> dict:
    """The JSON document: rows, chain heads and the totals it claims."""
    computed = totals(rows)
    return {
        "format": FORMAT,
        "version": VERSION,
        "as_of": as_of,
        "fields": list(FIELDS),
        "public_head": computed.public_head,
        "ledger_head": dict(ledger_head) if ledger_head else {"seq": computed.last_seq, "hash": computed.ledger_head},
        "totals": computed.as_json(),
        "transfers": rows,
    }


def write_csv(rows: Iterable[Mapping], out: io.TextIOBase) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(FIELDS)
    for row in rows:
        writer.writerow(["" if row[name] is None else row[name] for name in FIELDS])


def _typed(row: Mapping, number: int) -> dict:
    """A row read from CSV text: integer fields as int, empty as None."""
    typed = {}
    for name in FIELDS:
        if name not in row:
            raise PublicDataError(f"row {number}: column {name} is missing", row=number)
        value = row[name]
        if name in INT_FIELDS:
            if value in ("", None):
                value = None
            else:
                text = str(value)
                if not text.isdigit():
                    raise PublicDataError(f"row {number}: {name} must be a whole number, got {text!r}", row=number)
                value = int(text)
        typed[name] = value
    return typed


def read_csv(text: str) -> list[dict]:
    reader = csv.DictReader(io.StringIO(text))
    missing = [name for name in FIELDS if name not in (reader.fieldnames or ())]
    if missing:
        raise PublicDataError(f"the CSV header lacks column(s) {', '.join(missing)}")
    return [_typed(row, number) for number, row in enumerate(reader, 1)]


# ---------------------------------------------------------------------------------------
# Verification


@dataclass
class Verification:
    rows: int
    totals: Totals
    claimed: dict | None  # the totals the JSON file claims (None for CSV)


def verify_rows(rows: list[Mapping]) -> Totals:
    """Recompute the public chain and the totals; raise :class:`PublicDataError` naming the
    first row that breaks."""
    prev = GENESIS
    accumulator = _Accumulator()
    for number, row in enumerate(rows, 1):
        if row.get("prev_public_hash") != prev:
            raise PublicDataError(
                f"row {number} (seq {row.get('seq')}): prev_public_hash {row.get('prev_public_hash')!r} is not the "
                f"public_hash of the row before ({prev})", row=number)
        expected = public_hash(row, prev)
        if row.get("public_hash") != expected:
            raise PublicDataError(
                f"row {number} (seq {row.get('seq')}): public_hash does not match its content "
                f"(recomputed {expected}, file says {row.get('public_hash')}); the row was changed after publication",
                row=number)
        for name in INT_FIELDS:
            value = row.get(name)
            if value is not None and type(value) is not int:
                raise PublicDataError(f"row {number}: {name} must be a whole number, got {value!r}", row=number)
        accumulator.add(row, number)
        prev = expected
    return accumulator.totals


def _compare(claimed: object, computed: object, path: str) -> str | None:
    """The first place where the claimed totals differ from the recomputed ones."""
    if isinstance(computed, dict):
        if not isinstance(claimed, dict):
            return f"{path}: expected an object"
        for key in computed:
            if key not in claimed:
                return f"{path}.{key}: missing from the file"
            problem = _compare(claimed[key], computed[key], f"{path}.{key}")
            if problem:
                return problem
        extra = set(claimed) - set(computed)
        return f"{path}: unexpected key(s) {', '.join(sorted(extra))}" if extra else None
    if isinstance(computed, list):
        if not isinstance(claimed, list) or len(claimed) != len(computed):
            return f"{path}: the file lists {len(claimed) if isinstance(claimed, list) else '?'} entries, " \
                   f"recomputed {len(computed)}"
        for index, (a, b) in enumerate(zip(claimed, computed, strict=True)):
            label = b.get("class", index) if isinstance(b, dict) else index
            problem = _compare(a, b, f"{path}[{label}]")
            if problem:
                return problem
        return None
    if claimed != computed or type(claimed) is not type(computed):
        return f"{path}: the file claims {claimed!r}, the rows give {computed!r}"
    return None


def verify_document(data: object) -> Verification:
    """Check a JSON document: its chain, its heads and the totals it claims."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise PublicDataError(f"not a {FORMAT} document (missing or wrong 'format')")
    if data.get("version") != VERSION:
        raise PublicDataError(f"version {data.get('version')!r} is not supported (this tool reads {VERSION})")
    rows = data.get("transfers")
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise PublicDataError("'transfers' must be a list of rows")
    computed = verify_rows(rows)
    if data.get("public_head") != computed.public_head:
        raise PublicDataError(f"public_head {data.get('public_head')!r} is not the last row's public_hash "
                              f"({computed.public_head})")
    head = data.get("ledger_head") or {}
    if head.get("hash") != computed.ledger_head or head.get("seq") != computed.last_seq:
        raise PublicDataError(
            f"ledger_head {head!r} is not the last row's ledger hash and seq ({computed.last_seq}, "
            f"{computed.ledger_head}): the file does not reach the ledger's head")
    problem = _compare(data.get("totals"), computed.as_json(), "totals")
    if problem:
        raise PublicDataError(f"claimed total does not hold: {problem}")
    return Verification(len(rows), computed, data.get("totals"))


def verify_text(text: str, *, name: str = "") -> Verification:
    """Verify a file's text: JSON when it starts with ``{``, else CSV."""
    if text.lstrip().startswith("{"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise PublicDataError(f"{name or 'the file'} is not valid JSON: {exc}") from None
        return verify_document(data)
    rows = read_csv(text)
    return Verification(len(rows), verify_rows(rows), None)
