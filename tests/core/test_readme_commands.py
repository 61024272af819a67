"""Every `baesang` command the README shows runs as written on the demo foundation (issue 14 §4:
the README's example `claims list --state waiting` used to fail): the read-only ones as they
are, the ones that change data with the API token the README exports."""

from __future__ import annotations

import io
import os
import re
import shlex
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

from baesang.core.commands import CLI_TOKEN_ENV
from baesang.donations.models import Donation

ROOT = Path(__file__).resolve().parents[2]


def _readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", text, re.S)
    lines = []
    for block in blocks:
        for line in block.splitlines():
            line = line.split("  #", 1)[0].strip()
            if line.startswith(("baesang ", "export BAESANG_CLI_TOKEN=$(baesang ")):
                lines.append(line)
    return lines


def test_the_readme_shows_commands():
    commands = _readme_commands()
    assert len(commands) >= 8 and any(c.startswith("export BAESANG_CLI_TOKEN") for c in commands)


@pytest.mark.django_db(transaction=True)
def test_every_command_of_the_readme_runs(tmp_path, monkeypatch, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    shutil.copytree(ROOT / "docs" / "examples", tmp_path / "docs" / "examples")
    (tmp_path / "var").mkdir()
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(CLI_TOKEN_ENV, raising=False)
    call_command("demo", "load", stdout=io.StringIO())
    for line in _readme_commands():
        export = re.fullmatch(r"export (\w+)=\$\((baesang .*)\)", line)
        argv = shlex.split(export.group(2) if export else line)[1:]
        out = io.StringIO()
        try:
            call_command(*argv, stdout=out, stderr=io.StringIO())
        except SystemExit as exit_:  # a command that ends with sys.exit(0) (e.g. verify) is fine
            assert exit_.code in (0, None), (line, exit_.code)
        if export:
            token = out.getvalue().strip()
            assert token.startswith("bsg_"), line
            os.environ[export.group(1)] = token
    assert os.environ.pop(CLI_TOKEN_ENV, "").startswith("bsg_")
    # the commands that change data did change it, as the operator of the token
    assert Donation.objects.filter(bank_reference="EXAMPLE-KEF-20250320").exists()
    assert (tmp_path / "var" / "baesang-backup.dump").stat().st_size > 0
