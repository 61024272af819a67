"""Revealing personal data: roles, the reason, the append-only access log and its export."""

from __future__ import annotations

import csv
import datetime
import io
from unittest import mock

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone

from baesang.core import roles
from baesang.pii.fields import Sensitive
from baesang.pii.models import PersonalDataAccess
from baesang.pii.selectors import access_log_csv, pii_access_log, pii_access_log_for
from baesang.pii.services import (
    AccessLogNotPermitted,
    RevealNotPermitted,
    RevealReasonRequired,
    UnknownChannel,
    can_reveal,
    field_kind,
    pii_reveal,
)

RRN = "900101-1234567"  # pseudonymous
ACCOUNT = "110-123-456789"  # pseudonymous


@pytest.fixture
def make_user(django_user_model):
    roles.ensure_role_groups()

    def make(username: str, *role_names: str, superuser: bool = False):
        user = django_user_model.objects.create_user(username, is_superuser=superuser)
        for role in role_names:
            user.groups.add(Group.objects.get(name=role))
        return user

    return make


def reveal(user, **overrides):
    arguments = {"user": user, "entity_type": "judgments.creditor", "entity_id": "17", "field": "rrn",
                 "reason": "consent form check", "channel": "web", "value": Sensitive(RRN, "rrn")}
    arguments.update(overrides)
    return pii_reveal(**arguments)


@pytest.mark.django_db
def test_case_officer_reveals_a_resident_number_and_it_is_logged(make_user):
    officer = make_user("case", roles.CASE_OFFICER)
    assert reveal(officer) == RRN
    access = PersonalDataAccess.objects.get()
    assert (access.user, access.user_label, access.entity_type, access.entity_id, access.field, access.kind,
            access.reason, access.channel) == (officer, "case", "judgments.creditor", "17", "rrn", "rrn",
                                               "consent form check", "web")
    assert RRN not in str(access.__dict__)


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "kind", "allowed"), [
    # The permission table (docs/permissions.md): administrators manage accounts, not cases,
    # so they see personal data masked like approvers and auditors.
    (roles.ADMINISTRATOR, "rrn", False),
    (roles.CASE_OFFICER, "rrn", True),
    (roles.FINANCE_OFFICER, "rrn", True),
    (roles.APPROVER, "rrn", False),
    (roles.AUDITOR, "rrn", False),
    (roles.ADMINISTRATOR, "bank_account", False),
    (roles.FINANCE_OFFICER, "bank_account", True),
    (roles.CASE_OFFICER, "bank_account", False),
    (roles.APPROVER, "bank_account", False),
    (roles.AUDITOR, "bank_account", False),
    (roles.CASE_OFFICER, "phone", True),
    (roles.CASE_OFFICER, "address", True),
    (roles.AUDITOR, "address", False),
])
def test_permission_matrix(make_user, role, kind, allowed):
    user = make_user("someone", role)
    assert can_reveal(user, kind) is allowed
    value = Sensitive(ACCOUNT if kind == "bank_account" else RRN, kind)
    if allowed:
        assert reveal(user, field=kind, value=value) == value.reveal()
        assert PersonalDataAccess.objects.filter(user=user, kind=kind).count() == 1
    else:
        with pytest.raises(RevealNotPermitted, match="stays masked"):
            reveal(user, field=kind, value=value)
        assert PersonalDataAccess.objects.count() == 0


@pytest.mark.django_db
def test_superuser_counts_as_administrator_and_anonymous_is_refused(make_user):

    with pytest.raises(RevealNotPermitted):  # an administrator, and administrators see masked values
        reveal(make_user("root", superuser=True), field="bank_account", value=ACCOUNT)
    assert not can_reveal(AnonymousUser(), "rrn")
    assert not can_reveal(None, "rrn")


@pytest.mark.django_db
@pytest.mark.parametrize("reason", ["", "   ", None])
def test_a_reason_is_required(make_user, reason):
    with pytest.raises(RevealReasonRequired) as caught:
        reveal(make_user("case", roles.CASE_OFFICER), reason=reason)
    assert caught.value.field == "reason"
    assert PersonalDataAccess.objects.count() == 0


@pytest.mark.django_db
def test_channel_and_entity_are_checked(make_user):
    officer = make_user("case", roles.CASE_OFFICER)
    with pytest.raises(UnknownChannel):
        reveal(officer, channel="email")
    with pytest.raises(Exception, match="entity_id"):
        reveal(officer, entity_id=" ")
    assert PersonalDataAccess.objects.count() == 0


@pytest.mark.django_db
def test_personal_data_typed_into_the_reason_is_masked(make_user):
    reveal(make_user("case", roles.CASE_OFFICER), reason="caller gave 900101-1234567 and 010-1234-5678")
    assert PersonalDataAccess.objects.get().reason == "caller gave 900101-1****** and 010-****-5678"


def test_field_kind_from_names_and_values():
    assert field_kind("bank_account") == "bank_account"
    assert field_kind("heir_account_number") == "bank_account"
    assert field_kind("rrn") == "rrn"
    assert field_kind("mobile_phone") == "phone"
    assert field_kind("home_address") == "address"
    assert field_kind("note") == "hidden"
    assert field_kind("payee", Sensitive(ACCOUNT, "bank_account")) == "bank_account"


@pytest.mark.django_db
def test_kind_of_a_sensitive_value_wins_over_the_field_name(make_user):
    officer = make_user("case", roles.CASE_OFFICER)
    with pytest.raises(RevealNotPermitted):
        reveal(officer, field="payee", value=Sensitive(ACCOUNT, "bank_account"))


@pytest.mark.django_db(transaction=True)
def test_access_log_is_append_only_in_the_database(make_user):
    reveal(make_user("case", roles.CASE_OFFICER))
    access = PersonalDataAccess.objects.get()
    table = PersonalDataAccess._meta.db_table
    for sql in (f"UPDATE {table} SET reason = 'nothing to see' WHERE id = %s", f"DELETE FROM {table} WHERE id = %s"):
        with pytest.raises(DatabaseError, match="append-only"):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, [access.pk])
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic():
            PersonalDataAccess.objects.all().delete()
    access.refresh_from_db()
    assert access.reason == "consent form check"


@pytest.mark.django_db
def test_database_refuses_an_empty_reason_or_unknown_channel(make_user):
    user = make_user("case", roles.CASE_OFFICER)
    base = {"user": user, "user_label": "case", "entity_type": "x", "entity_id": "1", "field": "rrn", "kind": "rrn"}
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonalDataAccess.objects.create(**base, reason="", channel="web")
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonalDataAccess.objects.create(**base, reason="why", channel="fax")


def _accesses_on_days(make_user):
    officer = make_user("case", roles.CASE_OFFICER)
    seoul = timezone.get_default_timezone()
    for day, hour in ((1, 0), (2, 12), (2, 23), (3, 9)):
        moment = datetime.datetime(2025, 3, day, hour, 30, tzinfo=seoul)
        with mock.patch("django.utils.timezone.now", return_value=moment):
            reveal(officer, entity_id=str(day * 100 + hour), reason=f"=HYPERLINK(\"x\") day {day}")
    return officer


@pytest.mark.django_db
def test_selector_filters_by_local_days_inclusive(make_user):
    _accesses_on_days(make_user)
    assert [a.entity_id for a in pii_access_log(date_from=datetime.date(2025, 3, 2),
                                                date_to=datetime.date(2025, 3, 2))] == ["212", "223"]
    assert pii_access_log(date_from=datetime.date(2025, 3, 2)).count() == 3
    assert pii_access_log(date_to=datetime.date(2025, 3, 1)).count() == 1
    assert pii_access_log(entity_type="judgments.creditor", entity_id="309").count() == 1


@pytest.mark.django_db
def test_only_auditors_and_administrators_read_the_log(make_user):
    _accesses_on_days(make_user)
    assert pii_access_log_for(reader=make_user("audit", roles.AUDITOR)).count() == 4
    assert pii_access_log_for(reader=make_user("admin", roles.ADMINISTRATOR)).count() == 4
    for role in (roles.CASE_OFFICER, roles.FINANCE_OFFICER, roles.APPROVER):
        with pytest.raises(AccessLogNotPermitted):
            pii_access_log_for(reader=make_user(f"u-{role}", role))


@pytest.mark.django_db
def test_csv_export_is_spreadsheet_safe(make_user):
    _accesses_on_days(make_user)
    out = io.StringIO()
    assert access_log_csv(pii_access_log(), out) == 4
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [r["entity_id"] for r in rows] == ["100", "212", "223", "309"]
    assert rows[0]["at"] == "2025-03-01T00:30:00+09:00" and rows[0]["user"] == "case"
    assert rows[0]["reason"].startswith("'=HYPERLINK")  # not run as a formula


@pytest.mark.django_db
def test_command_exports_the_log(make_user):
    _accesses_on_days(make_user)
    out = io.StringIO()
    call_command("pii", "access-log", "--from", "2025-03-02", "--to", "2025-03-03", "--csv", stdout=out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [r["entity_id"] for r in rows] == ["212", "223", "309"]
    out = io.StringIO()
    call_command("pii", "access-log", "--to", "2025-03-01", stdout=out)
    text = out.getvalue()
    assert "judgments.creditor:100.rrn (rrn)" in text and text.strip().endswith("1 access(es)")


@pytest.mark.django_db
def test_command_refuses_bad_dates():

    with pytest.raises(CommandError, match="after"):
        call_command("pii", "access-log", "--from", "2025-03-03", "--to", "2025-03-01", stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("pii", "access-log", "--from", "March", stdout=io.StringIO())
