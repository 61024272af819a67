"""Production start (issue 14 §2): a weak field key is refused (length and entropy), `check
--deploy` warns of one, and a missing secret is one line on stderr without a traceback."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

import pytest
from django.core.checks import run_checks

from baesang.core.checks import W_WEAK_FIELD_KEY
from baesang.core.keys import MIN_ENTROPY_BITS, entropy_bits, key_weakness


def test_entropy_of_a_key_by_hand():
    # "abab": two characters, each half the time → 1 bit per character, 4 bits in all.
    assert entropy_bits("abab") == 4
    assert entropy_bits("aaaa") == 0 and entropy_bits("") == 0
    # 32 distinct characters: log2(32) = 5 bits each → 160 bits.
    assert entropy_bits("abcdefghijklmnopqrstuvwxyz012345") == 160


def test_weak_keys_are_named_and_a_random_key_passes():
    assert "32 are needed" in key_weakness("changeme")
    assert "bits of entropy" in key_weakness("a" * 64)
    # a date written four times: 40 characters but only 6 symbols → about 90 bits
    assert "bits of entropy" in key_weakness("2023-03-06" * 4)
    assert key_weakness(secrets.token_urlsafe(32)) is None
    assert entropy_bits(secrets.token_urlsafe(32)) > MIN_ENTROPY_BITS


def test_check_deploy_warns_of_a_weak_field_key(settings):
    settings.FIELD_KEY = "changeme"
    found = [m for m in run_checks(include_deployment_checks=True) if m.id == W_WEAK_FIELD_KEY]
    assert found and "8 characters" in found[0].msg
    settings.FIELD_KEY = secrets.token_urlsafe(32)
    assert not [m for m in run_checks(include_deployment_checks=True) if m.id == W_WEAK_FIELD_KEY]


def _start(tmp_path, **env) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith("BAESANG_")}
    base.update({"BAESANG_VAR_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
                 "BAESANG_ENV": "production", "BAESANG_ALLOWED_HOSTS": "example.org", **env})
    return subprocess.run([sys.executable, "-m", "baesang.cli", "check"], env=base, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=120)


@pytest.mark.parametrize(("env", "named"), [
    ({}, "BAESANG_SECRET_KEY is not set"),
    ({"BAESANG_SECRET_KEY": secrets.token_urlsafe(40)}, "BAESANG_FIELD_KEY is not set"),
    ({"BAESANG_SECRET_KEY": secrets.token_urlsafe(40), "BAESANG_FIELD_KEY": "changeme"},
     "BAESANG_FIELD_KEY is too weak"),
])
def test_production_start_refuses_in_one_line_without_a_traceback(tmp_path, env, named):
    result = _start(tmp_path, **env)
    assert result.returncode == 2
    assert named in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
