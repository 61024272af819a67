"""The dashboard's activity panels show readable labels of audit actions, not raw codes
(issue 14 §4: ``deposit.objection_dismissed`` → 공탁 이의 기각), from a catalogue that names
every action the code records, in Korean and English."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

import baesang
from baesang.cases.models import CourtDeposit, HolderChangeProposal
from baesang.core.audit_actions import AUDIT_ACTIONS, audit_action_label
from baesang.core.services import audit_record

pytestmark = pytest.mark.django_db

PACKAGE = Path(baesang.__file__).resolve().parent
ACTION_LITERAL = re.compile(r"""action=f?"([a-z_.{}()]+)\"""")


def _visible(html: str) -> str:
    """The text of the page without tags and attributes (a code kept in a title= is not shown)."""
    return re.sub(r"<[^>]*>", " ", html)


def test_the_activity_panel_shows_labels_in_the_page_language(role_users, sign_in):
    audit_record(actor=role_users["finance_officer"], action="deposit.objection_dismissed", entity_type="deposit",
                 entity_id=4)
    audit_record(actor=role_users["finance_officer"], action="batch.prepare", entity_type="batch", entity_id=7)
    client = Client()
    sign_in(client, role_users["auditor"])
    text = _visible(client.get("/").content.decode())
    assert "공탁 이의 기각" in text and "지급 배치 준비" in text
    assert "deposit.objection_dismissed" not in text and "batch.prepare" not in text
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    text = _visible(client.get("/").content.decode())
    assert "Objection to the deposit dismissed" in text and "Payment batch prepared" in text


def test_an_action_not_in_the_catalogue_is_shown_as_its_code():
    assert audit_action_label("something.new") == "something.new"
    assert audit_action_label("deposit.objection_dismissed", "en-gb") == "Objection to the deposit dismissed"


def test_every_action_the_code_records_is_in_the_catalogue():
    recorded: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        for code in ACTION_LITERAL.findall(path.read_text(encoding="utf-8")):
            if "." in code:
                recorded.add(code)
    # the actions written from a variable: a deposit's outcome, a proposal's kind
    expanded = {c for c in recorded if "{" not in c}
    expanded |= {f"deposit.{state}" for state, _label in CourtDeposit.STATE_CHOICES if state != CourtDeposit.FILED}
    expanded |= {f"{prefix}.{step}" for prefix in ("holder_change", "account_change") for step in ("approve", "reject")}
    assert len(HolderChangeProposal.KIND_CHOICES) == 2
    assert "batch.prepare" in expanded and "{" not in "".join(expanded)
    missing = sorted(expanded - set(AUDIT_ACTIONS))
    assert not missing, f"audit actions without a label: {missing}"
    assert all(ko and en and ko != en for ko, en in AUDIT_ACTIONS.values())
