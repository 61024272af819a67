"""The open-data projection of the ledger and its public hash chain, without a database."""

from __future__ import annotations

import hashlib
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from baesang.public import opendata
from baesang.public.opendata import LedgerTransfer, PublicDataError


def transfer(seq, kind, debit, credit, amount, *, id=None, pending_id=None, journal=None, day="2023-03-15"):
    accounts = {
        "1000": ("asset", "bank"), "1100": ("asset", "deposits_held"), "4000": ("income", "donations_income"),
        "5000": ("expense", "judgment_payments"), "2000-C17": ("liability", "creditor_payable"),
        "2000-C18": ("liability", "creditor_payable"), "1200-NS": ("asset", "indemnity_receivable"),
        "3200": ("equity", "indemnity_reserve"),
    }
    return LedgerTransfer(
        seq=seq, id=id or f"t{seq}", kind=kind, pending_id=pending_id, journal=journal or f"j{seq}", value_date=day,
        debit_code=debit, debit_type=accounts[debit][0], debit_purpose=accounts[debit][1],
        credit_code=credit, credit_type=accounts[credit][0], credit_purpose=accounts[credit][1],
        amount=amount, hash=hashlib.sha256(f"ledger{seq}".encode()).hexdigest(),
    )


LEDGER = [
    transfer(1, "posted", "1000", "4000", 4_000_000_000),                    # a donation
    transfer(2, "pending", "5000", "1000", 300_000_000, journal="batch-1"),   # batch approved: reserved
    transfer(3, "pending", "5000", "1000", 200_000_000, journal="batch-1"),
    transfer(4, "post_pending", "5000", "1000", 300_000_000, pending_id="t2"),  # the bank paid line 1
    transfer(5, "void_pending", "5000", "1000", 200_000_000, pending_id="t3"),  # line 2 failed
    transfer(6, "posted", "1200-NS", "3200", 300_000_000),                   # indemnity claim recorded
    transfer(7, "pending", "1100", "1000", 150_000_000),                     # court deposit filed
    transfer(8, "posted", "5000", "2000-C17", 10),                           # through creditor payables
    transfer(9, "posted", "2000-C17", "2000-C18", 4),                        # pooled: moves inside the class
]


def rows():
    return list(opendata.build_rows(LEDGER))


def test_rows_pool_creditor_accounts_and_drop_identifiers():
    published = rows()
    assert [r["seq"] for r in published] == list(range(1, 10))
    assert published[7]["credit"] == "creditor_payables" and published[8]["debit"] == "creditor_payables"
    text = json.dumps(published)
    assert "C17" not in text and "C18" not in text and "batch-1" not in text
    # Journals become public numbers by first appearance; batch-1 holds rows 2 and 3.
    assert published[1]["journal"] == published[2]["journal"] == 2
    assert published[3]["pending_seq"] == 2 and published[4]["pending_seq"] == 3
    assert [r["category"] for r in published[:3]] == ["donation", "judgment_payment", "judgment_payment"]
    assert published[5]["category"] == "indemnity" and published[6]["category"] == "court_deposit"
    assert published[7]["category"] == "judgment_payable" and published[8]["category"] == "creditor_payment"
    assert set(published[0]) == set(opendata.FIELDS)


def test_public_hash_is_sha256_of_content_and_previous_hash():
    published = rows()
    first = published[0]
    content = json.dumps([str(first[f]) if first[f] is not None else "" for f in opendata.CONTENT_FIELDS],
                         separators=(",", ":"), ensure_ascii=False)
    assert first["prev_public_hash"] == "0" * 64
    assert first["public_hash"] == hashlib.sha256((content + "0" * 64).encode()).hexdigest()
    assert published[1]["prev_public_hash"] == first["public_hash"]


def test_totals_by_hand():
    totals = opendata.verify_rows(rows())
    # Bank: +4,000,000,000 donation − 300,000,000 paid; the voided 200,000,000 never left;
    # the deposit of 150,000,000 is still pending.
    bank = totals.classes["1000"]
    assert (bank.debits, bank.credits, bank.balance) == (4_000_000_000, 300_000_000, 3_700_000_000)
    assert bank.pending_credits == 150_000_000
    assert totals.headline("donations_received") == 4_000_000_000
    assert totals.headline("judgment_payments") == 300_000_000 + 10
    assert totals.headline("deposits_held") == 0 and totals.classes["1100"].pending_debits == 150_000_000
    assert totals.classes["creditor_payables"].balance == 10
    assert totals.total_debits == totals.total_credits == 4_000_000_000 + 300_000_000 + 300_000_000 + 10 + 4
    assert totals.transfers == 9 and totals.public_head == rows()[-1]["public_hash"]


def test_document_verifies_and_names_the_row_edited():
    document = opendata.document(rows(), as_of="2025-06-01")
    assert opendata.verify_document(json.loads(json.dumps(document))).rows == 9
    tampered = json.loads(json.dumps(document))
    tampered["transfers"][3]["amount"] = 299_000_000
    with pytest.raises(PublicDataError) as caught:
        opendata.verify_document(tampered)
    assert caught.value.row == 4 and "row 4 (seq 4)" in caught.value.message


def test_rehashing_the_edited_row_breaks_the_next_link_or_the_claimed_totals():
    document = opendata.document(rows(), as_of="2025-06-01")
    row = document["transfers"][0]
    row["amount"] = 3_000_000_000
    row["public_hash"] = opendata.public_hash(row, row["prev_public_hash"])
    with pytest.raises(PublicDataError) as caught:
        opendata.verify_document(document)
    assert caught.value.row == 2 and "prev_public_hash" in caught.value.message
    # Rebuilding the whole chain still leaves the claimed totals and head wrong.
    rebuilt = opendata.document(rows(), as_of="2025-06-01")
    rebuilt["totals"]["donations_received"] = 5_000_000_000
    with pytest.raises(PublicDataError, match="totals.donations_received"):
        opendata.verify_document(rebuilt)


def test_csv_round_trip_and_tamper():
    out = io.StringIO()
    opendata.write_csv(rows(), out)
    text = out.getvalue()
    result = opendata.verify_text(text)
    assert result.rows == 9 and result.claimed is None
    assert result.totals.public_head == rows()[-1]["public_hash"]
    lines = text.splitlines()
    assert lines[7].startswith("7,pending,")  # line 0 is the header
    edited = lines[7].replace(",150000000,", ",150000001,")
    assert edited != lines[7]
    lines[7] = edited
    with pytest.raises(PublicDataError) as caught:
        opendata.verify_text("\n".join(lines) + "\n")
    assert caught.value.row == 7


def test_a_post_must_refer_to_an_open_pending_transfer():
    bad = list(opendata.build_rows([*LEDGER, transfer(10, "void_pending", "5000", "1000", 200_000_000,
                                                      pending_id="t3")]))
    with pytest.raises(PublicDataError) as caught:
        opendata.verify_rows(bad)
    assert caught.value.row == 10 and "not an open pending" in caught.value.message


def test_the_plain_python_recipe_of_the_docs_checks_a_file(tmp_path):
    docs = (Path(__file__).resolve().parents[2] / "docs" / "transparency.md").read_text(encoding="utf-8")
    section = docs[docs.index("### Without baesang"):]
    script = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    (tmp_path / "check.py").write_text(script, encoding="utf-8")
    out = io.StringIO()
    opendata.write_csv(rows(), out)
    (tmp_path / "transfers.csv").write_text(out.getvalue(), encoding="utf-8")
    run = subprocess.run([sys.executable, "check.py", "transfers.csv"], cwd=tmp_path, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert rows()[-1]["public_hash"] in run.stdout
    # Balances by hand (see test_totals_by_hand): bank 3,700,000,000; donations 4,000,000,000.
    assert re.search(r"1000\s+bank\s+3,700,000,000", run.stdout)
    assert re.search(r"4000\s+donations_income\s+4,000,000,000", run.stdout)
    (tmp_path / "transfers.csv").write_text(out.getvalue().replace(",4000000000,", ",4100000000,"), encoding="utf-8")
    run = subprocess.run([sys.executable, "check.py", "transfers.csv"], cwd=tmp_path, capture_output=True, text=True)
    assert run.returncode == 1 and "row 1 (seq 1) breaks the chain" in run.stderr
