"""``baesang match``: end to end on DuckDB — exit codes, bad input, output format."""

import csv
import os
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from baesang.identity import synthetic
from baesang.identity.management.commands.match import OUTPUT_HEADER
from baesang.identity.model import DEFAULT_THRESHOLD


@pytest.fixture(scope="module")
def link_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("match")
    left, right = synthetic.link_set(300, 200, seed=5)
    synthetic.write_csv(left.records, folder / "left.csv")
    synthetic.write_csv(right.records, folder / "right.csv")
    return folder, left, right


def _read(path):
    with open(path, encoding="utf-8") as handle:
        return list(csv.reader(handle))


def test_link_writes_pairs_sorted_by_probability(link_files):
    folder, left, right = link_files
    out = folder / "pairs.csv"
    call_command("match", "link", str(folder / "left.csv"), str(folder / "right.csv"), "--out", str(out))
    rows = _read(out)
    assert rows[0][:3] == ["left_id", "right_id", "probability"]
    assert rows[0] == OUTPUT_HEADER
    probabilities = [float(r[2]) for r in rows[1:]]
    assert probabilities == sorted(probabilities, reverse=True)
    assert all(p >= DEFAULT_THRESHOLD for p in probabilities)
    left_ids = {r.id for r in left.records}
    right_ids = {r.id for r in right.records}
    assert all(r[0] in left_ids and r[1] in right_ids for r in rows[1:])
    # Most true pairs are found (a loose floor: the quality test measures it properly).
    truth = synthetic.true_pairs(left, right)
    found = {(r[0], r[1]) for r in rows[1:]}
    assert len(found & truth) >= 0.7 * len(truth)
    # The match weights of the fields and the prior add up to the pair's match weight.
    for row in rows[1:20]:
        assert float(row[3]) == pytest.approx(sum(float(x) for x in row[4:]), abs=0.01)


def test_dedupe_with_threshold(tmp_path):
    truth = synthetic.dedupe_set(300, seed=6)
    source = tmp_path / "intake.csv"
    synthetic.write_csv(truth.records, source)
    out = tmp_path / "pairs.csv"
    call_command("match", "dedupe", str(source), "--out", str(out), "--threshold", "0.5")
    rows = _read(out)[1:]
    assert rows and all(r[0] < r[1] for r in rows)
    assert all(float(r[2]) >= 0.5 for r in rows)


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("name,birth_date\n박순이,1921\n", "'id'"),
        ("id,name\n1,박순이\n1,김정웅\n", "row 3"),
        ("id,name,birth_date\n1,박순이,1921-05-03\n2,김정웅,someday\n", "row 3, field 'birth_date'"),
    ],
)
def test_bad_input_exits_2_and_writes_nothing(tmp_path, text, named):
    source = tmp_path / "bad.csv"
    source.write_text(text, encoding="utf-8")
    out = tmp_path / "pairs.csv"
    with pytest.raises(CommandError) as caught:
        call_command("match", "dedupe", str(source), "--out", str(out))
    assert caught.value.returncode == 2
    assert named in str(caught.value)
    assert not out.exists()


def test_console_command_exit_status(tmp_path):
    source = tmp_path / "bad.csv"
    source.write_text("id,name\n1,박순이\n1,김정웅\n", encoding="utf-8")
    out = tmp_path / "pairs.csv"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "baesang.settings"}
    result = subprocess.run(
        [sys.executable, "-m", "baesang.cli", "match", "dedupe", str(source), "--out", str(out)],
        capture_output=True, text=True, env=env, check=False,
    )
    assert result.returncode == 2
    assert "row 3" in result.stderr and "id" in result.stderr
    assert not out.exists()
    listing = subprocess.run(
        [sys.executable, "-m", "baesang.cli"], capture_output=True, text=True, env=env, check=False
    )
    assert "match" in listing.stdout


def test_a_file_of_a_few_records_uses_the_starting_values(tmp_path):
    # Too few records to train: the model's starting values still find 박순이 = Park Sun-i.
    source = tmp_path / "few.csv"
    source.write_text("id,name,birth_date\n1,박순이,1921-02-30\n2,Park Sun-i,1921\n3,김정웅,\n", encoding="utf-8")
    out = tmp_path / "pairs.csv"
    call_command("match", "dedupe", str(source), "--out", str(out))
    assert [r[:2] for r in _read(out)[1:]] == [["1", "2"]]
