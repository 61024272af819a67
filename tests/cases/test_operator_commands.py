"""Who is acting on the command line (issue 14 §2): a command that changes data acts as the user
of the API token in BAESANG_CLI_TOKEN, with a fresh second-factor code where the action needs one;
`--user` alone is never trusted and never makes a command wait for input; the audit row names
the channel and the token. Holder changes from the command line are proposals."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from io import StringIO

import pytest
from casework_support import accept_all, fund_donate
from django.core.management import call_command
from django.core.management.base import CommandError
from operator_support import fresh_code, operator_env, run_as, token_for

from baesang.cases import services
from baesang.cases.models import ClaimHolding, HolderChangeProposal, PaymentBatch
from baesang.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def prepared(world):
    fund_donate(1_000_000_000)
    accept_all(world, world.claim())
    return services.batch_prepare(payment_date=date(2023, 4, 10), preparer=world.staff.finance)


def _approve(batch, **env) -> None:
    call_command("batch", "approve", str(batch.pk), stdout=StringIO(), **env)


def test_batch_approve_with_user_alone_exits_2_and_changes_nothing(prepared):
    # The defect of issue 14: `baesang batch approve 3 --user approver` succeeded with no credential.
    with pytest.raises(CommandError) as refused, operator_env(None):
        call_command("batch", "approve", str(prepared.pk), "--user", "approver")
    assert refused.value.returncode == 2 and "--user approver is not a credential" in str(refused.value)
    prepared.refresh_from_db()
    assert prepared.state == PaymentBatch.PREPARED and prepared.approved_by is None


def test_approval_needs_a_fresh_second_factor_and_records_channel_and_token(prepared):
    token = token_for("approver")
    with pytest.raises(CommandError) as not_enrolled, operator_env(token, "123456"):
        _approve(prepared)
    assert "no confirmed second factor" in str(not_enrolled.value)
    fresh_code("approver")  # enrols the approver's authenticator
    with pytest.raises(CommandError) as missing, operator_env(token):
        _approve(prepared)
    assert missing.value.returncode == 2 and "second-factor" in str(missing.value)
    with pytest.raises(CommandError) as wrong, operator_env(token, "000000"):
        _approve(prepared)
    assert "wrong, expired or was already used" in str(wrong.value)
    prepared.refresh_from_db()
    assert prepared.state == PaymentBatch.PREPARED
    code = fresh_code("approver")
    with operator_env(token):
        call_command("batch", "approve", str(prepared.pk), "--otp", code, stdout=StringIO())
    prepared.refresh_from_db()
    assert prepared.state == PaymentBatch.APPROVED and prepared.approved_by.username == "approver"
    event = AuditEvent.objects.filter(action__startswith="batch.approve").latest("id")
    assert event.channel == "cli" and event.credential == f"token {token[:12]}+otp"


def test_a_command_never_waits_for_input_when_stdin_is_not_a_terminal(tmp_path):
    env = {**os.environ, "BAESANG_VAR_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
           "CI": "true"}
    env.pop("BAESANG_CLI_TOKEN", None)
    subprocess.run([sys.executable, "-m", "baesang.cli", "migrate", "--noinput"], env=env, check=True,
                   capture_output=True, timeout=180)
    # standard input is an open pipe that never ends: a prompt would hang until the timeout
    result = subprocess.run([sys.executable, "-m", "baesang.cli", "batch", "approve", "3", "--user", "approver"],
                            env=env, stdin=subprocess.PIPE, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and "BAESANG_CLI_TOKEN" in result.stderr and result.stdout == ""
    assert "Traceback" not in result.stderr


def test_api_token_create_prints_only_the_token(world):
    out, err = StringIO(), StringIO()
    call_command("api-token", "create", "case", "--name", "cli", stdout=out, stderr=err)
    assert out.getvalue().strip().startswith("bsg_") and len(out.getvalue().split()) == 1
    assert AuditEvent.objects.filter(action="api_token.create").exists()


def test_holders_from_the_command_line_are_a_proposal_approved_by_another(world, tmp_path):
    victim = world.person("정대한", sex="M", death_date=date(2010, 5, 1))
    widow, son = world.person("한순자", sex="F"), world.person("정일남", sex="M")
    claim = world.claim(victim)
    family = {"decedent": "V", "persons": [{"id": "V", "sex": "M", "died": "2010-05-01"}, {"id": "W", "sex": "F"},
                                           {"id": "A", "sex": "M"}],
              "marriages": [{"a": "V", "b": "W"}],
              "children": [{"parent": "V", "child": "A"}, {"parent": "W", "child": "A"}]}
    path = tmp_path / "family.json"
    path.write_text(json.dumps(family), encoding="utf-8")
    printed = run_as("case", "claim", "holders", str(claim.pk), "--family", str(path), "--map", f"V={victim.pk}",
                     "--map", f"W={widow.pk}", "--map", f"A={son.pk}")
    proposal = HolderChangeProposal.objects.get(claim=claim)
    assert f"proposal {proposal.pk}" in printed and "second person" in printed
    assert list(ClaimHolding.objects.filter(claim=claim, superseded_at__isnull=True).values_list("holder", flat=True)) \
        == [victim.pk]
    with pytest.raises(CommandError, match="four eyes"):
        run_as("case", "claim", "proposals", "approve", str(proposal.pk), otp=True)
    assert "1 proposal(s)" in run_as("auditor", "claim", "proposals", "list")
    assert "approved by approver" in run_as("approver", "claim", "proposals", "approve", str(proposal.pk), otp=True)
    current = set(ClaimHolding.objects.filter(claim=claim, superseded_at__isnull=True).values_list("holder", flat=True))
    assert current == {widow.pk, son.pk}


def test_a_death_is_recorded_from_the_command_line_with_its_evidence(world, tmp_path):
    person = world.person("박순이", birth_date=date(1925, 1, 1))
    with pytest.raises(CommandError, match="exactly one of --evidence"):
        run_as("case", "person", "death", str(person.pk), "--on", "2020-02-02")
    certificate = tmp_path / "certificate.pdf"
    certificate.write_bytes(b"basic certificate: died 2020-02-02")
    printed = run_as("case", "person", "death", str(person.pk), "--on", "2020-02-02", "--evidence", str(certificate))
    person.refresh_from_db()
    assert person.death_date == date(2020, 2, 2) and f"document {person.death_document_id}" in printed
    event = AuditEvent.objects.get(action="person.death_record")
    assert event.channel == "cli" and event.credential.startswith("token bsg_") and event.actor_label == "case"
