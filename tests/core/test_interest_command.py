"""`baesang interest`: the court's figures on stdout, bad input on stderr with exit status 2.

Reference figures: DOMAIN.md §3 (Nippon Steel, 107,452,054.79 won of interest on
2018-11-01) and the Nagoya order computed by hand in tests/calc/test_interest.py.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

NIPPON_STEEL = ["--principal", "100000000", "--segment", "2013-06-19:paid:20", "--as-of", "2018-11-01"]
NAGOYA = ["--principal", "100000000", "--segment", "2015-05-13:2015-06-24:5", "--segment", "2015-06-25:paid:20",
          "--as-of", "2018-11-29"]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "baesang.cli", "interest", *args],
        capture_output=True, text=True, env={**os.environ}, timeout=120,
    )


def test_public_figure_as_a_sheet_in_korean():
    result = run(*NIPPON_STEEL)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "2013-06-19 ~ 2018-06-18" in out and "5년 (1,826일)" in out
    assert "2018-06-19 ~ 2018-11-01" in out and "136일 / 365" in out
    assert "7,452,054.79원" in out and "107,452,054.79원" in out
    assert "107,452,054원" in out and "207,452,054원" in out
    assert "원 미만 버림" in out and "기간식" in out and "2018년 11월 1일" in out
    assert result.stderr == ""


def test_public_figure_as_json():
    result = run(*NIPPON_STEEL, "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["interest"] == 107_452_054 and data["total"] == 207_452_054 and data["principal"] == 100_000_000
    assert data["exact_interest"] == "7844000000/73"  # 100,000,000 + 20,000,000 x 136/365
    assert (data["method"], data["rounding"]) == ("period", "truncate")
    assert [(line["start"], line["end"], line["days"], line["divisor"], line["years"], line["rate"])
            for line in data["lines"]] == [
        ("2013-06-19", "2018-06-18", 1826, None, 5, "20"),
        ("2018-06-19", "2018-11-01", 136, 365, 0, "20"),
    ]


@pytest.mark.parametrize(
    ("args", "argument", "words"),
    [
        (["--principal", "100000000", "--segment", "2015-05-13:2015-06-24:5", "--segment", "2015-06-20:paid:20",
          "--as-of", "2018-11-29"], "--segment 2", "overlap"),
        (["--principal", "0", "--segment", "2013-06-19:paid:20"], "--principal", "greater than zero"),
        (["--principal", "100", "--segment", "2013-06-19:paid:20", "--as-of", "2013-06-18"], "--as-of",
         "before interest starts"),
        (["--principal", "100", "--segment", "2013-06-19:paid"], "--segment 1", "START:END:RATE"),
        (["--principal", "100", "--segment", "2013-06-19:paid:120"], "--segment 1", "0–100"),
        (["--principal", "100", "--segment", "2013-06-19:paid:20", "--method", "simple"], "--method",
         "invalid choice"),
    ],
)
def test_bad_input_exits_2_with_the_argument_and_rule_on_stderr(args, argument, words):
    result = run(*args)
    assert result.returncode == 2
    assert result.stdout == ""
    assert argument in result.stderr and words in result.stderr


def test_call_command_nagoya_in_english():
    out = StringIO()
    call_command("interest", *NAGOYA, "--lang", "en", "--rounding", "half-up", stdout=out)
    text = out.getvalue()
    assert "Segment 1: 5% a year from 2015-05-13 to 2015-06-24" in text
    assert "43 days / 366" in text and "3 years (1,096 days)" in text and "158 days / 365" in text
    assert "KRW 69,244,966" in text and "KRW 169,244,966" in text and "29 Nov 2018" in text


def test_call_command_total_days_json():
    out = StringIO()
    call_command("interest", *NAGOYA, "--method", "days", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["interest"] == 69_301_369 and data["method"] == "days"
    assert [line["days"] for line in data["lines"]] == [43, 1254]


def test_call_command_later_segment_not_started():
    out = StringIO()
    args = NAGOYA[:-1] + ["2015-06-01"]
    call_command("interest", *args, "--lang", "en", stdout=out)
    assert "Starts after the as-of date" in out.getvalue()
    assert "20 days / 366" in out.getvalue()


def test_call_command_error_carries_exit_status_2():
    with pytest.raises(CommandError, match="--segment 2: .*gap") as caught:
        call_command("interest", "--principal", "100", "--segment", "2015-05-13:2015-06-24:5",
                     "--segment", "2015-06-27:paid:20", stdout=StringIO())
    assert caught.value.returncode == 2
