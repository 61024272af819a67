"""`baesang judgment parse` and `POST /api/judgments/parse`: the reader's result as JSON and as a
Korean summary with each creditor's amount due; exit 2 / JSON errors for what cannot be read."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from judgment_samples import EXPECTED, JUDGMENT


@pytest.fixture
def judgment_file(tmp_path):
    path = tmp_path / "판결.txt"
    path.write_text(JUDGMENT, encoding="utf-8")
    return path


def run(*args: str) -> str:
    out = StringIO()
    call_command("judgment", "parse", *args, stdout=out)
    return out.getvalue()


def test_parse_json_is_exact(judgment_file):
    assert json.loads(run(str(judgment_file), "--json")) == EXPECTED


def test_parse_reads_standard_input_in_euc_kr(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(JUDGMENT.encode("euc-kr"))))
    assert json.loads(run("-", "--json")) == EXPECTED


def test_parse_summary_in_korean_with_the_amount_due(judgment_file):
    # DOMAIN.md §3 public check: 100,000,000 won at 20 % from 2013-06-19 to 2018-11-01 is
    # 5 years + 136/365 → 107,452,054.79 won of interest, truncated: 207,452,054 won due
    text = run(str(judgment_file), "--as-of", "2018-11-01")
    assert "사건: 2013다61381" in text and "법원: 대법원" in text and "피고: 일본제철 주식회사" in text
    assert "1. 김갑동  원금 100,000,000원" in text
    assert "2013-06-19부터 다 갚는 날까지 연 20%" in text
    assert "지급할 금액 207,452,054원 (이자 107,452,054원)" in text
    assert "읽지 못한 지급 문장 1개" in text and "이 판결 확정일부터" in text


def test_parse_needs_no_user_and_stores_nothing(judgment_file, django_db_blocker):
    with django_db_blocker.block():  # any database access would fail here
        assert run(str(judgment_file), "--json")


@pytest.mark.parametrize(("content", "name", "message"), [
    (b"", "empty.txt", "is empty"),
    (b"\x89PNG\r\n\x1a\n0000", "scan.png", "PNG image"),
    ("사 건 2013다1\n피고는 원고에게 1원을 지급하라.".encode(), "x.txt", "no operative part"),
    (b"%PDF-1.4 broken", "x.pdf", "damaged or unreadable PDF"),
])
def test_parse_exits_2_with_a_message(tmp_path, content, name, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(CommandError) as refused:
        run(str(path))
    assert refused.value.returncode == 2 and message in str(refused.value)


def test_parse_missing_file_exits_2(tmp_path):
    with pytest.raises(CommandError) as refused:
        run(str(tmp_path / "none.txt"))
    assert refused.value.returncode == 2


def test_the_baesang_command_exits_0_or_2_with_the_message_on_stderr(tmp_path, judgment_file):
    done = subprocess.run([sys.executable, "-m", "baesang.cli", "judgment", "parse", str(judgment_file), "--json"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and json.loads(done.stdout) == EXPECTED
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    done = subprocess.run([sys.executable, "-m", "baesang.cli", "judgment", "parse", str(empty)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "is empty" in done.stderr and done.stdout == ""
