"""`baesang serve` runs the real server: gunicorn's master with ``--workers`` worker processes,
serving pages (from the database) and static files, and stopping on SIGTERM."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from baesang.core.management.commands.serve import available_cores, default_workers


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _children(pid: int) -> list[int]:
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":\t", 1) for line in status.read_text().splitlines() if ":\t" in line)
        except OSError:  # the process ended while we looked
            continue
        if fields.get("PPid", "").strip() == str(pid):
            found.append(int(status.parent.name))
    return found


def _get(url: str) -> tuple[int, str, bytes]:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.status, response.headers.get("Content-Type", ""), response.read()


def test_default_workers_follow_the_cores():
    # gunicorn's advice (docs, "How many workers?"): (2 x num_cores) + 1
    assert default_workers() == 2 * available_cores() + 1


def test_serve_with_two_workers_serves_pages_and_static_files(tmp_path):
    env = {**os.environ, "BAESANG_VAR_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3"}
    env.pop("BAESANG_SECRET_KEY", None)
    cli = [sys.executable, "-m", "baesang.cli"]
    migrate = subprocess.run([*cli, "migrate", "--noinput"], env=env, capture_output=True, text=True, timeout=300)
    assert migrate.returncode == 0, migrate.stderr
    port = _free_port()
    server = subprocess.Popen([*cli, "serve", "--workers", "2", "--host", "127.0.0.1", "--port", str(port)],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                status, content_type, body = _get(f"{base}/accounts/login/")
                break
            except OSError:
                assert server.poll() is None, server.communicate()
                assert time.monotonic() < deadline, "the server did not answer within 60 s"
                time.sleep(0.3)
        assert status == 200 and content_type.startswith("text/html")
        assert b'name="username"' in body
        status, content_type, body = _get(f"{base}/public/")  # a page read from the database
        assert status == 200 and content_type.startswith("text/html")
        status, content_type, body = _get(f"{base}/static/web/baesang.css")
        source = (Path(__file__).resolve().parents[2] / "baesang" / "web" / "static" / "web" / "baesang.css")
        assert status == 200 and content_type.startswith("text/css")
        assert body == source.read_bytes()
        assert len(_children(server.pid)) == 2  # the master forked two workers
    finally:
        server.send_signal(signal.SIGTERM)
        out, err = server.communicate(timeout=60)
    assert server.returncode == 0, err
    assert f"http://127.0.0.1:{port}/ with 2 worker processes" in out


def test_serve_refuses_no_worker():
    with pytest.raises(CommandError, match="at least 1"):
        call_command("serve", "--workers", "0")
