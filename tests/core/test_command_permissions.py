"""Every staff command that changes data refuses a user whose roles lack the action: run with
``--user auditor`` (auditors read everything and change nothing, DOMAIN.md §2), each exits with
status 2 naming the refusal, and no row of any table changed."""

from __future__ import annotations

import hashlib

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from operator_support import operator_env, token_for

from baesang.cases.models import ClaimHolding, ConsentVerification, CourtDeposit, Offer, PaymentBatch
from baesang.donations.models import Donation
from baesang.judgments.models import Claim, Person
from baesang.staff.models import ApiToken
from baesang.staff.tokens import BOOTSTRAP_ACTOR, api_token_revoke


def _counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()
            if model._meta.app_label not in ("sessions", "contenttypes")}


@pytest.fixture
def demo(db, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("demo", "load")


def _commands(tmp_path) -> list[list[str]]:
    form = tmp_path / "form.pdf"
    form.write_bytes(b"signed consent form")
    result = tmp_path / "result.csv"
    result.write_text("line,amount,status,bank_reference,reason\n", encoding="utf-8")
    donations = tmp_path / "donations.csv"
    donations.write_text("value_date,donor,country,brn,kind,public,currency,amount,rate,reference,restricted\n",
                         encoding="utf-8")
    register = tmp_path / "register.csv"
    register.write_text("id,name,birth_date\nR-1,김영수,1925-03-04\n", encoding="utf-8")
    claim = Claim.objects.order_by("pk").first()
    person = Person.objects.order_by("pk").first()
    offer = Offer.objects.order_by("pk").first()
    consent = ConsentVerification.objects.order_by("pk").first()
    batch = PaymentBatch.objects.order_by("pk").first()
    holding = ClaimHolding.objects.filter(state=ClaimHolding.REFUSED).order_by("pk").first()
    deposit = CourtDeposit.objects.order_by("pk").first()
    return [
        ["judgment", "add", "--case-number", "2024다12345", "--court", "대법원", "--debtor", "NSC",
         "--decided", "2024-01-11", "--final", "2024-01-11", "--plaintiffs", "1"],
        ["person", "add", "--hangul", "홍길동"],
        ["claim", "add", "--judgment", claim.judgment.case_number, "--position", "99", "--victim", str(person.pk),
         "--principal", "1000000", "--segment", "2013-06-19:paid:20"],
        ["claim", "holders", str(claim.pk), "--plaintiff"],
        ["claim", "proposals", "account", str(person.pk), "--bank-name", "은행", "--bank-account", "1-2-3"],
        ["claim", "proposals", "approve", "1"],
        ["claim", "proposals", "reject", "1", "--note", "no"],
        ["person", "death", str(person.pk), "--on", "2020-01-01", "--evidence", str(form)],
        ["claim", "offer", str(claim.pk), "--on", "2023-04-01"],
        ["claim", "accept", str(offer.pk), "--on", "2023-04-01", "--identity", "id_card_in_person",
         "--capacity", "self", "--witness", "증인", "--form", str(form)],
        ["claim", "refuse", str(offer.pk), "--on", "2023-04-01"],
        ["claim", "revoke", str(consent.pk), "--reason", "test"],
        ["batch", "prepare", "--date", "2023-05-01"],
        ["batch", "approve", str(batch.pk)],
        ["batch", "export", str(batch.pk), "--out", str(tmp_path / "bank.csv")],
        ["batch", "import", str(batch.pk), str(result)],
        ["batch", "cancel", str(batch.pk), "--reason", "test"],
        ["deposit", "file", "--holding", str(holding.pk), "--court", "광주지방법원", "--on", "2023-07-01"],
        ["deposit", "decide", str(deposit.pk), "--outcome", "accepted", "--on", "2023-08-01"],
        ["donations", "import", str(donations)],
        ["donations", "receipts", "issue"],
        ["donations", "reverse", "propose", Donation.objects.order_by("pk").first().bank_reference, "--reason", "x"],
        ["donations", "reverse", "approve", "1"],
        ["donations", "reverse", "reject", "1", "--note", "no"],
        ["pii", "rotate-key"],
        ["ledger", "checkpoint"],
        ["match", "persons"],
        ["match", "register", str(register), "--source", "other"],
    ]


def test_every_staff_command_that_writes_refuses_an_auditor(demo, tmp_path):
    token = token_for("auditor")
    for command in _commands(tmp_path):
        before = _counts()
        with pytest.raises(CommandError) as refused, operator_env(token):
            call_command(*command, "--user", "auditor")
        assert refused.value.returncode == 2, command
        assert "auditor is not allowed to" in str(refused.value), (command, str(refused.value))
        assert _counts() == before, f"{' '.join(command)} changed rows although it was refused"
        assert not (tmp_path / "bank.csv").exists()


def test_user_alone_is_never_trusted(demo, tmp_path):
    """Issue 14 §2: `batch approve 3 --user approver` without a token exits 2 and changes nothing,
    for every command that writes; it never waits for input (standard input is not a terminal)."""
    for command in _commands(tmp_path):
        before = _counts()
        with pytest.raises(CommandError) as refused, operator_env(None):
            call_command(*command, "--user", "approver")
        assert refused.value.returncode == 2, command
        assert "BAESANG_CLI_TOKEN" in str(refused.value), (command, str(refused.value))
        assert _counts() == before, f"{' '.join(command)} changed rows without a credential"


def test_a_token_of_another_user_or_a_revoked_token_is_refused(demo, tmp_path):
    batch = PaymentBatch.objects.order_by("pk").first()
    with pytest.raises(CommandError) as mismatch, operator_env(token_for("finance")):
        call_command("batch", "cancel", str(batch.pk), "--reason", "x", "--user", "approver")
    assert mismatch.value.returncode == 2 and "acts as 'finance'" in str(mismatch.value)
    raw = token_for("finance")
    api_token_revoke(token=ApiToken.objects.get(digest=hashlib.sha256(raw.encode()).hexdigest()),
                     actor=BOOTSTRAP_ACTOR)
    with pytest.raises(CommandError) as revoked, operator_env(raw):
        call_command("batch", "cancel", str(batch.pk), "--reason", "x")
    assert revoked.value.returncode == 2 and "revoked" in str(revoked.value)
