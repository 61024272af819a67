"""The open-data files as published: made once per ledger head and day, then served from disk.

The ledger is read once, in seq order, a chunk at a time (a server-side cursor on
PostgreSQL), and every published row goes straight to two files — ``transfers.json`` (the
document of :func:`baesang.public.opendata.document`, the same fields and totals) and
``transfers.csv`` — and the figures of the public page (the totals, the chain heads and the
posted amounts per value date for its charts) go to a third, small one. Nothing the size of
the ledger is held in memory. The files are named after their key, the ledger chain head
(last seq and hash) and the day, so a transfer written, or a new day, makes new files: a
published file is never stale, and between two transfers every reader gets the same bytes
(its ETag is the key). One process makes them at a time (a lock file); the others wait and
read what it made. Older files are removed once new ones are in place.

The directory is ``$BAESANG_VAR_DIR/opendata``; several app servers on one machine share it,
app servers on several machines each make their own copy (the same bytes: the files are a
function of the ledger and the day).
"""

from __future__ import annotations

import csv
import fcntl
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.conf import settings

from baesang.ledger.models import Account, LedgerHead, Transfer
from baesang.public import opendata

#: Rows read from the ledger at a time.
CHUNK = 5_000


@dataclass(frozen=True)
class Published:
    """The files of one key and the page's figures read from the small one."""

    key: str
    json_path: Path
    csv_path: Path
    figures: dict


def ledger_head() -> tuple[int, str]:
    """(last seq, last hash) of the ledger chain; (0, 64 zeros) for an empty ledger."""
    head = LedgerHead.objects.filter(pk=1).values_list("seq", "hash").first()
    return (int(head[0]), head[1]) if head else (0, opendata.GENESIS)


def key_of(head: tuple[int, str], as_of: date) -> str:
    return f"{head[0]}-{head[1][:16]}-{as_of.isoformat()}"


def directory() -> Path:
    return Path(settings.VAR_DIR) / "opendata"


def ledger_transfers(up_to: int) -> Iterator[opendata.LedgerTransfer]:
    """The ledger's transfers up to seq ``up_to``, in order, with their accounts resolved."""
    accounts = {pk: (code, type_, purpose) for pk, code, type_, purpose in
                Account.objects.values_list("pk", "code", "type", "purpose")}
    rows = Transfer.objects.filter(seq__lte=up_to).order_by("seq").values_list(
        "seq", "id", "kind", "pending_id", "journal", "value_date", "debit_account_id", "credit_account_id", "amount",
        "hash",
    )
    dates: dict[date, str] = {}
    for seq, id_, kind, pending_id, journal, value_date, debit_id, credit_id, amount, hash_ in rows.iterator(
            chunk_size=CHUNK):
        debit, credit = accounts[debit_id], accounts[credit_id]
        day = dates.get(value_date)
        if day is None:
            day = dates[value_date] = value_date.isoformat()
        yield opendata.LedgerTransfer(
            seq=seq, id=id_, kind=kind, pending_id=pending_id, journal=journal, value_date=day,
            debit_code=debit[0], debit_type=debit[1], debit_purpose=debit[2],
            credit_code=credit[0], credit_type=credit[1], credit_purpose=credit[2], amount=amount, hash=hash_,
        )


def published(*, as_of: date, head: tuple[int, str] | None = None) -> Published:
    """The files for the ledger as it stands (or at ``head``) on ``as_of``, made if missing."""
    head = head or ledger_head()
    key = key_of(head, as_of)
    folder = directory()
    paths = _paths(folder, key)
    if not paths[2].exists():
        folder.mkdir(parents=True, exist_ok=True)
        with open(folder / ".lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                if not paths[2].exists():
                    _make(paths, head=head, as_of=as_of)
                    _remove_older(folder, keep=key)
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)
    figures = json.loads(paths[2].read_text(encoding="utf-8"))
    return Published(key=key, json_path=paths[0], csv_path=paths[1], figures=figures)


def _paths(folder: Path, key: str) -> tuple[Path, Path, Path]:
    return (folder / f"transfers-{key}.json", folder / f"transfers-{key}.csv", folder / f"figures-{key}.json")


def _part(path: Path) -> Path:
    return path.with_name(path.name + ".part")


def _remove_older(folder: Path, *, keep: str) -> None:
    for path in folder.iterdir():
        if path.name.startswith(("transfers-", "figures-")) and f"-{keep}." not in path.name:
            path.unlink(missing_ok=True)


def _make(paths: tuple[Path, Path, Path], *, head: tuple[int, str], as_of: date) -> None:
    """Write the three files under temporary names, then rename them into place (figures last:
    its presence says the others are complete)."""
    json_path, csv_path, figures_path = paths
    rows_part = json_path.with_name(json_path.name + ".rows")
    accumulator = opendata._Accumulator()
    days: dict[str, list[int]] = {}
    fields = opendata.FIELDS
    with open(rows_part, "w", encoding="utf-8") as rows_out, \
            open(_part(csv_path), "w", encoding="utf-8", newline="") as csv_out:
        writer = csv.writer(csv_out, lineterminator="\n")
        writer.writerow(fields)
        separator = "\n"
        for number, row in enumerate(opendata.build_rows(ledger_transfers(head[0])), 1):
            accumulator.add(row, number)
            rows_out.write(separator + json.dumps(row, ensure_ascii=False))
            separator = ",\n"
            writer.writerow(["" if row[name] is None else row[name] for name in fields])
            if row["kind"] in opendata.POSTED_KINDS:
                bank = paid = 0
                amount = row["amount"]
                for side, sign in (("debit", 1), ("credit", -1)):
                    purpose = row[f"{side}_purpose"]
                    if purpose == "bank":
                        bank += sign * amount
                    elif purpose == "judgment_payments":
                        paid += sign * amount
                if bank or paid:
                    day = days.setdefault(row["value_date"], [0, 0])
                    day[0] += bank
                    day[1] += paid
    totals = accumulator.totals
    ledger_head = {"seq": head[0], "hash": head[1]} if totals.transfers else {"seq": 0, "hash": opendata.GENESIS}
    document_head = {"format": opendata.FORMAT, "version": opendata.VERSION, "as_of": as_of.isoformat(),
                     "fields": list(fields), "public_head": totals.public_head, "ledger_head": ledger_head,
                     "totals": totals.as_json()}
    with open(_part(json_path), "w", encoding="utf-8") as out:
        out.write(json.dumps(document_head, ensure_ascii=False)[:-1] + ',\n"transfers": [')
        with open(rows_part, encoding="utf-8") as rows_in:
            while block := rows_in.read(1 << 20):
                out.write(block)
        out.write("\n]}\n")
    rows_part.unlink()
    figures = {
        "key": key_of(head, as_of),
        "transfers": totals.transfers,
        "public_head": totals.public_head,
        "ledger_head": totals.ledger_head,
        "headline": {name: totals.headline(name) for name in opendata.HEADLINE_PURPOSES},
        "reserved": sum(c.pending_credits for c in totals.classes.values() if c.purpose == "bank"),
        "days": sorted([day, bank, paid] for day, (bank, paid) in days.items()),
    }
    os.replace(_part(json_path), json_path)
    os.replace(_part(csv_path), csv_path)
    figures_part = _part(figures_path)
    figures_part.write_text(json.dumps(figures), encoding="utf-8")
    os.replace(figures_part, figures_path)
