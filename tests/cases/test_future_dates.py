"""Event dates against the foundation's clock (issue 14 §3): a birth or death after today, a
batch payment date more than a year ahead (baesang.cases.dates) and a bank result dated after
today are refused with a message naming the field, and nothing is changed."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from casework_support import accept_all, document, fund_donate
from django.utils import timezone

from baesang.cases import services
from baesang.cases.dates import payment_date_latest
from baesang.cases.errors import BankDateInFuture, PaymentDateTooFar
from baesang.cases.models import PaymentBatch
from baesang.core.messages import error_message
from baesang.judgments import services as registry
from baesang.judgments.errors import PersonDateInFuture
from baesang.judgments.models import Person

pytestmark = pytest.mark.django_db


def test_a_birth_or_death_after_today_is_refused(world):
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(PersonDateInFuture, match="birth_date") as refused:
        registry.person_create(name_hangul="미래인", birth_date=tomorrow, actor=world.staff.case)
    assert refused.value.field == "birth_date"
    assert "재단의 오늘" in error_message(refused.value, "ko")
    with pytest.raises(PersonDateInFuture, match="death_date"):
        registry.person_create(name_hangul="미래인", birth_date=date(1925, 1, 1), death_date=date(2099, 1, 1),
                               actor=world.staff.case)
    assert not Person.objects.filter(name_hangul="미래인").exists()
    person = registry.person_create(name_hangul="현재인", birth_date=date(1925, 1, 1), actor=world.staff.case)
    with pytest.raises(PersonDateInFuture):
        registry.person_update(person=person, birth_date=date(2030, 1, 1), actor=world.staff.case)
    evidence = document("other", "basic certificate", world.staff.case)
    with pytest.raises(PersonDateInFuture, match="death_date"):
        registry.person_death_record(person=person, death_date=tomorrow, document=evidence, actor=world.staff.case)
    person.refresh_from_db()
    assert person.birth_date == date(1925, 1, 1) and person.death_date is None
    # today itself is a date that has come
    assert registry.person_death_record(person=person, death_date=timezone.localdate(), document=evidence,
                                        actor=world.staff.case).death_date == timezone.localdate()


def test_a_payment_date_more_than_a_year_ahead_is_refused(world):
    fund_donate(1_000_000_000)
    claim = world.claim()
    accept_all(world, claim)
    latest = payment_date_latest(timezone.localdate())
    with pytest.raises(PaymentDateTooFar, match="payment date 2199-01-01"):
        services.batch_prepare(payment_date=date(2199, 1, 1), preparer=world.staff.finance)
    with pytest.raises(PaymentDateTooFar):
        services.batch_prepare(payment_date=latest + timedelta(days=1), preparer=world.staff.finance)
    assert not PaymentBatch.objects.exists()
    assert services.batch_prepare(payment_date=latest, preparer=world.staff.finance).payment_date == latest


def test_a_bank_result_dated_after_today_is_refused(world):
    fund_donate(1_000_000_000)
    claim = world.claim()
    accept_all(world, claim)
    batch = services.batch_prepare(payment_date=timezone.localdate() + timedelta(days=10),
                                   preparer=world.staff.finance)
    services.batch_approve(batch=batch, approver=world.staff.approver)
    bank_file = services.batch_export(batch=batch, actor=world.staff.finance)
    line = bank_file.content.splitlines()[1].split(",")
    paid = [services.BankResult(line=int(line[0]), amount=int(line[-1]), status="paid")]
    # the payment date (the default value date) has not come: the bank cannot have paid yet
    with pytest.raises(BankDateInFuture) as refused:
        services.batch_result_import(batch=batch, results=paid, actor=world.staff.finance)
    assert refused.value.field == "value_date"
    with pytest.raises(BankDateInFuture):
        services.batch_result_import(batch=batch, results=paid, actor=world.staff.finance,
                                     value_date=timezone.localdate() + timedelta(days=11))
    batch.refresh_from_db()
    assert batch.state == PaymentBatch.EXPORTED
