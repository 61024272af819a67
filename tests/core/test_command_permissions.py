"""Every staff command that changes data refuses a user whose roles lack the action: run with
``--user auditor`` (auditors read everything and change nothing, DOMAIN.md §2), each exits with
status 2 naming the refusal, and no row of any table changed."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from baesang.cases.models import ClaimHolding, ConsentVerification, CourtDeposit, Offer, PaymentBatch
from baesang.judgments.models import Claim, Person


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
        ["pii", "rotate-key"],
        ["match", "persons"],
        ["match", "register", str(register), "--source", "other"],
    ]


def test_every_staff_command_that_writes_refuses_an_auditor(demo, tmp_path):
    for command in _commands(tmp_path):
        before = _counts()
        with pytest.raises(CommandError) as refused:
            call_command(*command, "--user", "auditor")
        assert refused.value.returncode == 2, command
        assert "auditor is not allowed to" in str(refused.value), (command, str(refused.value))
        assert _counts() == before, f"{' '.join(command)} changed rows although it was refused"
        assert not (tmp_path / "bank.csv").exists()
