"""The bank transfer file never carries a live spreadsheet formula (issue 14 §3; OWASP "CSV
Injection"): a holder's name beginning with =, +, -, @ is written with a leading apostrophe,
while a file whose cells need nothing keeps its bytes (a re-export still matches its SHA-256).
The bank's result file is read with or without a byte-order mark."""

from __future__ import annotations

import csv
import hashlib
import io
from datetime import date

import pytest
from casework_support import accept_all, fund_donate

from baesang.cases import services
from baesang.cases.models import BatchLine, PaymentBatch

pytestmark = pytest.mark.django_db


def _exported(world, *holders) -> tuple[PaymentBatch, services.BankFile]:
    fund_donate(10_000_000_000)
    for holder in holders:
        accept_all(world, world.claim(holder))
    batch = services.batch_prepare(payment_date=date(2023, 4, 10), preparer=world.staff.finance)
    services.batch_approve(batch=batch, approver=world.staff.approver)
    return batch, services.batch_export(batch=batch, actor=world.staff.finance)


def test_a_name_written_as_a_formula_is_neutralised(world):
    names = ['=HYPERLINK("http://evil.example","x")', "+82 김", "-김철수", "@SUM(A1)"]
    batch, bank_file = _exported(world, *(world.person(n, bank_account=f"200-{i}") for i, n in enumerate(names)))
    rows = list(csv.DictReader(io.StringIO(bank_file.content)))
    assert sorted(r["holder"] for r in rows) == sorted("'" + n for n in names)
    assert all(not r["holder"].startswith(("=", "+", "-", "@")) for r in rows)
    # amounts are still numbers a spreadsheet sums
    assert sum(int(r["amount"]) for r in rows) == batch.total_amount
    assert services.batch_export(batch=batch, actor=world.staff.finance).sha256 == bank_file.sha256


def test_a_file_whose_cells_need_nothing_keeps_its_bytes(world):
    batch, bank_file = _exported(world, world.person("박순이", bank_name="국민은행", bank_account="123-456-789012"))
    line = BatchLine.objects.get(batch=batch)
    # the layout written since the first export: plain CSV, "\n" line ends, no byte-order mark
    expected = ("line,reference,claim,holder,bank,account,amount\n"
                f"{line.pk},B{batch.pk}-L{line.pk},{world.judgment.case_number}#1,박순이,국민은행,"
                f"123-456-789012,{line.amount}\n")
    assert bank_file.content == expected
    assert bank_file.sha256 == hashlib.sha256(expected.encode()).hexdigest() == batch.__class__.objects.get(
        pk=batch.pk).export_sha256


def test_a_bank_result_file_is_read_with_or_without_a_byte_order_mark():
    text = "line,amount,status,bank_reference,reason\n7,1000,paid,BANK-7,\n8,2000,failed,,account closed\n"
    expected = [services.BankResult(line=7, amount=1000, status="paid", bank_reference="BANK-7"),
                services.BankResult(line=8, amount=2000, status="failed", reason="account closed")]
    assert services.bank_results_parse(text) == expected
    assert services.bank_results_parse("\ufeff" + text) == expected
    assert services.bank_results_parse("\ufeff" + text.replace("\n", "\r\n")) == expected
