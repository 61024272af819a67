"""A command whose reader stops early (``baesang report fund | head``) ends quietly: no
BrokenPipe traceback on stderr, exit status 141 (128 + SIGPIPE), as a shell reports it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from baesang.cli import BROKEN_PIPE_STATUS

BAESANG = Path(sys.executable).parent / "baesang"


def test_a_closed_pipe_ends_the_command_without_a_traceback(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    env.pop("BAESANG_ENV", None)
    process = subprocess.Popen([str(BAESANG), "permissions"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               cwd=tmp_path, env=env)
    process.stdout.close()  # the reader is gone before the command writes its first line
    errors = process.stderr.read().decode()
    assert process.wait(timeout=120) == BROKEN_PIPE_STATUS == 141
    assert "Traceback" not in errors and "BrokenPipeError" not in errors


def test_a_reader_that_takes_everything_still_gets_everything(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    done = subprocess.run([str(BAESANG), "permissions"], capture_output=True, cwd=tmp_path, env=env, timeout=120)
    assert done.returncode == 0 and b"approve_batch" in done.stdout and not done.stderr
