"""`baesang heirs` and `baesang apportion`: output, JSON shape, exit status 2 on bad input."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"


@pytest.fixture
def env(tmp_path) -> dict[str, str]:
    database = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp_path}/db.sqlite3"
    return {**os.environ, "BAESANG_VAR_DIR": str(tmp_path), "DATABASE_URL": database}


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "baesang.cli", *args], capture_output=True, text=True, env=env,
                          timeout=120)


def write(tmp_path: Path, data: dict | str, name: str = "family.json") -> str:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return str(path)


def command_output(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


# Hand-worked shares of the example files (docs/succession.md explains each).
EXAMPLE_SHARES = {
    # Former Art. 1009 (1977): W 1.5, A 1.5, D 0.25 of 3.25; E renounced.
    "1982-household-head.json": ("1979-1990", {"W": "6/13", "A": "6/13", "D": "1/13"}),
    # Arts. 1001, 1003(2), 1010: W 1.5, S's line 1, D 1; in the line SW 1.5, G1 1, G2 1.
    "2010-representation.json": ("1991-", {"W": "3/7", "SW": "6/49", "G1": "4/49", "G2": "4/49", "D": "2/7"}),
    # V 1985: W 3/8, A 3/8, B 1/4; B 2005: BW 3/5, BC 2/5 of B's 1/4.
    "1985-2005-resuccession.json": ("1979-1990", {"W": "3/8", "A": "3/8", "BW": "3/20", "BC": "1/10"}),
    # V 1970: W 0.5, A 1.5, C 0.5, D 0.25 of 2.75; W 1995: A, C, D 1/3 each of W's 2/11.
    "1970-wife-then-1995.json": ("1960-1978", {"A": "20/33", "C": "8/33", "D": "5/33"}),
    # Art. 1043, Supreme Court en banc 2023-03-23, 2020그42: every child renounced, the spouse is sole heir.
    "2024-children-renounce.json": ("1991-", {"W": "1"}),
    # Custom: the head's estate to the eldest son A alone (76그2); A 1985: AW 1.5, B 1.5, C 0.25 of 3.25.
    "1950-household-head-then-1985.json": ("-1959", {"AW": "6/13", "B": "6/13", "C": "1/13"}),
    # Arts. 1003, 1009: W 1.5, N 1, S 1 of 3.5; N in North Korea holds through an administrator.
    "2015-north-korea-heir.json": ("1991-", {"W": "3/7", "N": "2/7", "S": "2/7"}),
}


def test_every_example_file_is_covered():
    assert sorted(p.name for p in EXAMPLES.glob("*.json")) == sorted(EXAMPLE_SHARES)


@pytest.mark.parametrize("name", sorted(EXAMPLE_SHARES))
def test_example_files_give_the_worked_shares(name):
    regime, expected = EXAMPLE_SHARES[name]
    data = json.loads(command_output("heirs", str(EXAMPLES / name), "--json", "--amount", "100000000"))
    assert data["decedent"] == "V" and data["regime"] == regime
    assert data["shares"] == expected
    assert sum(data["amounts"].values()) == 100_000_000
    assert set(data["explanation"]) == set(expected)


def test_json_shape_without_amount_and_in_english():
    data = json.loads(command_output("heirs", str(EXAMPLES / "1982-household-head.json"), "--json", "--lang", "en"))
    assert list(data) == ["decedent", "regime", "shares", "explanation", "notes"]
    assert data["explanation"]["D"][1].startswith("D: child of V")
    assert "former Art. 1009(2)" in data["explanation"]["D"][1]


def test_text_output_in_korean_and_english():
    korean = command_output("heirs", str(EXAMPLES / "1982-household-head.json"), "--amount", "100,000,000")
    assert "V의 상속인" in korean and "46,153,846" in korean and "7,692,308" in korean
    assert "동일가적 내에 없는 여자" in korean and "상속을 포기" in korean
    english = command_output("heirs", str(EXAMPLES / "1982-household-head.json"), "--lang", "en")
    assert "Heirs of V — regime 1979-1990" in english and "6/13" in english and "Amount" not in english


def test_apportion_command_text_and_json():
    data = json.loads(command_output("apportion", "--amount", "100", "--share", "A=1/3", "--share", "B=1/3",
                                     "--share", "C=1/3", "--json"))
    assert data == {"amount": 100, "shares": {"A": "1/3", "B": "1/3", "C": "1/3"},
                    "amounts": {"A": 34, "B": 33, "C": 33}}
    text = command_output("apportion", "--amount", "100000000", "--share", "W=6/13", "--share", "A=6/13",
                          "--share", "D=1/13")
    assert "7,692,308" in text and "100,000,000" in text


BAD_FILES = {
    "unknown id": (lambda g: {**g, "children": [*g["children"], {"parent": "V", "child": "Z"}]}, ["'Z'", "unknown"]),
    "cycle": (lambda g: {**g, "children": [*g["children"], {"parent": "A", "child": "V"}]}, ["cycle"]),
    "living": (lambda g: {**g, "persons": [{"id": "V", "sex": "M"}, *g["persons"][1:]]}, ["V", "no date of death"]),
    "two spouses": (lambda g: {**g, "marriages": [*g["marriages"], {"a": "V", "b": "F"}]}, ["V", "two spouses"]),
    "unknown field": (lambda g: {**g, "persons": [*g["persons"], {"id": "Q", "sex": "M", "name": "Kim"}]},
                      ["person Q", "unknown field", "'name'"]),
    "heir without heirs": (lambda g: {"decedent": "V", "persons": [{"id": "V", "sex": "M", "died": "2000-01-01"},
                                                                   {"id": "S", "sex": "M", "died": "2003-01-01"}],
                                      "children": [{"parent": "V", "child": "S"}]}, ["person S", "nowhere to go"]),
    "before 1960": (lambda g: {**g, "persons": [{"id": "V", "sex": "M", "died": "1955-01-01"}, *g["persons"][1:]]},
                    ["V", "1960", "court or registry document"]),
    "not json": (lambda g: "{not json", ["not valid JSON", "line 1"]),
    "not an object": (lambda g: "[1, 2]", ["JSON object"]),
}


@pytest.mark.parametrize("label", sorted(BAD_FILES))
def test_heirs_bad_files_raise_usage_error_naming_person_and_rule(tmp_path, label):
    make, words = BAD_FILES[label]
    good = json.loads((EXAMPLES / "1982-household-head.json").read_text())
    out = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("heirs", write(tmp_path, make(good)), stdout=out)
    assert caught.value.returncode == 2
    assert out.getvalue() == ""
    for word in words:
        assert word in str(caught.value), (word, str(caught.value))


def test_heirs_exit_status_2_and_nothing_on_stdout(tmp_path, env):
    good = json.loads((EXAMPLES / "1982-household-head.json").read_text())
    bad = write(tmp_path, BAD_FILES["unknown id"][0](good))
    result = run(["heirs", bad, "--json"], env)
    assert result.returncode == 2 and result.stdout == ""
    assert "unknown person id 'Z'" in result.stderr
    path = str(EXAMPLES / "1982-household-head.json")
    result = run(["heirs", path, "--amount", "-5"], env)
    assert result.returncode == 2 and result.stdout == "" and "--amount" in result.stderr
    ok = run(["heirs", path, "--json", "--amount", "1000"], env)
    assert ok.returncode == 0, ok.stderr
    # 1000 × 6/13 = 461 7/13 twice, 1000 × 1/13 = 76 12/13: D first (largest remainder), then A before W (id).
    assert json.loads(ok.stdout)["amounts"] == {"W": 461, "A": 462, "D": 77}


@pytest.mark.parametrize("args", [["--amount", "-5"], ["--amount", "12.5"], ["--amount", "lots"]])
def test_heirs_bad_amount(args):
    with pytest.raises(CommandError) as caught:
        call_command("heirs", str(EXAMPLES / "1982-household-head.json"), *args)
    assert caught.value.returncode == 2 and "--amount" in str(caught.value)


def test_heirs_missing_file(tmp_path):
    with pytest.raises(CommandError) as caught:
        call_command("heirs", str(tmp_path / "missing.json"))
    assert caught.value.returncode == 2 and "cannot read" in str(caught.value)


@pytest.mark.parametrize("shares, words", [
    (["A=1/3", "B=1/2"], "sum to 5/6, not 1"),
    (["A=1/2", "A=1/2"], "given twice"),
    (["A=x"], "expected ID=NUM/DEN"),
    (["A=1/2", "B=0", "C=1/2"], "not positive"),
])
def test_apportion_refuses_bad_shares(shares, words):
    args = ["apportion", "--amount", "100"]
    for share in shares:
        args += ["--share", share]
    with pytest.raises(CommandError) as caught:
        call_command(*args)
    assert caught.value.returncode == 2 and words in str(caught.value)


def test_apportion_exit_status_2_and_nothing_on_stdout(env):
    result = run(["apportion", "--amount", "1", "--share", "A=1/3", "--share", "B=1/2"], env)
    assert result.returncode == 2 and result.stdout == ""
    assert "sum to 5/6, not 1" in result.stderr
