"""EncryptedTextField and BlindIndexField: ciphertext in the database, masks everywhere else.

The database tests build a throw-away table (for this module only) from a model in an
isolated app registry — it is in no migration — and read the stored values back with raw
SQL, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import copy
import json
import logging
from unittest import mock

import pytest
from django import forms
from django.core import checks, serializers
from django.core.exceptions import FieldError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, connection, models, transaction
from django.template import Context, Template
from django.test.utils import isolate_apps
from factories import staff_user

from baesang.core import roles
from baesang.core.models import AuditEvent
from baesang.pii import crypto, rotation
from baesang.pii.fields import (
    BlindIndexField,
    EncryptedTextField,
    KeepStoredWhenBlankMixin,
    Sensitive,
    SensitiveFormField,
)

RRN = "900101-1234567"  # pseudonymous; shape of a resident registration number


@pytest.fixture(autouse=True)
def field_key(settings):
    settings.FIELD_KEY = "fields-test-key-0123456789abcdefghijklmnopqrstuvwxyz"
    settings.FIELD_KEY_OLD = ""


@pytest.fixture(scope="module")
def vault_model(django_db_setup, django_db_blocker):
    """A model with encrypted fields and a unique blind index, and its table, for this module."""
    with isolate_apps("baesang.pii"):

        class Vault(models.Model):
            rrn = EncryptedTextField(blank=True, mask="rrn")
            rrn_index = BlindIndexField(source="rrn", purpose="rrn", unique=True)
            phone = EncryptedTextField(null=True, blank=True, mask="phone")

            class Meta:
                app_label = "pii"
                db_table = "pii_test_vault"

            def __str__(self) -> str:
                return f"vault {self.pk}"

    with django_db_blocker.unblock():
        with connection.schema_editor() as editor:
            editor.create_model(Vault)
        try:
            yield Vault
        finally:
            with connection.schema_editor() as editor:
                editor.delete_model(Vault)


@pytest.fixture
def vault(vault_model, db):
    return vault_model


def _stored(table: str, column: str, pk: int) -> str | None:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])
        return cursor.fetchone()[0]


# --- the value object ---------------------------------------------------------------------

def test_sensitive_shows_only_its_mask():
    value = Sensitive(RRN, "rrn")
    assert str(value) == "900101-1******"
    assert f"{value}" == "900101-1******"
    assert "1234567" not in repr(value) and "900101" not in repr(value)
    assert repr(value) == "<Sensitive rrn>"
    assert value.reveal() == RRN
    assert value == RRN and value == Sensitive(RRN, "phone") and value != "900101-1234568"
    assert hash(value) == hash(Sensitive(RRN))
    assert copy.deepcopy(value) is value
    assert bool(Sensitive("")) is False and len(value) == len(RRN)


def test_sensitive_cannot_slip_into_the_audit_log_json():

    with pytest.raises(TypeError, match="Sensitive"):
        json.dumps({"new": Sensitive(RRN, "rrn")}, cls=DjangoJSONEncoder)


def test_sensitive_refuses_unknown_kinds_and_non_text():
    with pytest.raises(ValueError, match="unknown kind"):
        Sensitive("x", "shoe_size")
    with pytest.raises(TypeError):
        Sensitive(1234)  # type: ignore[arg-type]


def test_templates_show_the_mask_and_cannot_call_reveal():
    rendered = Template("{{ v }}|{{ v.reveal }}|{{ v.masked }}").render(Context({"v": Sensitive(RRN, "rrn")}))
    assert rendered == "900101-1******||900101-1******"


def test_logging_a_value_logs_its_mask(caplog):
    with caplog.at_level(logging.INFO):
        logging.getLogger("baesang.test").info("creditor rrn=%s repr=%r", Sensitive(RRN, "rrn"), Sensitive(RRN, "rrn"))
    assert "1234567" not in caplog.text and "900101-1******" in caplog.text


# --- the field without a database -----------------------------------------------------------

def test_field_prep_and_load_without_a_database():
    field = EncryptedTextField(mask="phone")
    stored = field.get_prep_value("010-1234-5678")
    assert crypto.is_token(stored) and "5678" not in stored
    loaded = field.from_db_value(stored, None, connection)
    assert isinstance(loaded, Sensitive) and loaded.reveal() == "010-1234-5678"
    assert str(loaded) == "010-****-5678"
    assert field.get_prep_value(None) is None and field.from_db_value(None, None, connection) is None
    assert field.get_prep_value("") == "" and field.from_db_value("", None, connection) == ""
    # A token given as text (loaddata, rotation) is decrypted, then stored under the current key.
    again = field.get_prep_value(stored)
    assert again != stored and crypto.decrypt(again) == "010-1234-5678"


def test_field_deconstructs_with_its_mask():
    name, path, args, kwargs = EncryptedTextField(mask="rrn", blank=True).deconstruct()
    assert path == "baesang.pii.fields.EncryptedTextField" and kwargs == {"mask": "rrn", "blank": True}
    _, path, _, kwargs = BlindIndexField(source="rrn", purpose="rrn", unique=True).deconstruct()
    assert kwargs == {"source": "rrn", "purpose": "rrn", "unique": True}
    with pytest.raises(ValueError, match="unknown kind"):
        EncryptedTextField(mask="secret")


def test_form_field_never_renders_the_stored_value():
    form_field = EncryptedTextField(mask="rrn").formfield()
    assert isinstance(form_field, SensitiveFormField)
    assert form_field.prepare_value(Sensitive(RRN, "rrn")) == ""
    html = form_field.widget.render("rrn", form_field.prepare_value(Sensitive(RRN, "rrn")))
    assert "900101" not in html and "1234567" not in html


# --- the field on a real database -------------------------------------------------------------

def test_database_holds_only_ciphertext_and_reads_back(vault):
    row = vault.objects.create(rrn=RRN, phone="010-1234-5678")
    stored_rrn = _stored("pii_test_vault", "rrn", row.pk)
    stored_phone = _stored("pii_test_vault", "phone", row.pk)
    for stored, plain in ((stored_rrn, RRN), (stored_phone, "010-1234-5678")):
        assert stored.startswith("v1:")
        assert plain not in stored and plain.replace("-", "") not in stored
    assert crypto.decrypt(stored_rrn) == RRN
    again = vault.objects.get(pk=row.pk)
    assert isinstance(again.rrn, Sensitive) and again.rrn.reveal() == RRN and str(again.rrn) == "900101-1******"
    assert str(again.phone) == "010-****-5678"
    # The index is the keyed HMAC of the canonical number, not the number.
    assert _stored("pii_test_vault", "rrn_index", row.pk) == crypto.blind_index("9001011234567", "rrn")


def test_assigned_values_are_wrapped_at_once(vault):
    row = vault(rrn=RRN)
    assert isinstance(row.rrn, Sensitive) and repr(row.rrn) == "<Sensitive rrn>"
    row.phone = "02-123-4567"
    assert isinstance(row.phone, Sensitive)
    row.phone = None
    assert row.phone is None


def test_empty_and_null_values(vault):
    row = vault.objects.create(rrn="", phone=None)
    assert _stored("pii_test_vault", "rrn", row.pk) == ""
    assert _stored("pii_test_vault", "phone", row.pk) is None
    assert _stored("pii_test_vault", "rrn_index", row.pk) is None
    again = vault.objects.get(pk=row.pk)
    assert again.rrn == "" and again.phone is None
    assert vault.objects.filter(phone__isnull=True).count() == 1


def test_encrypted_fields_cannot_be_searched(vault):
    vault.objects.create(rrn=RRN)
    with pytest.raises(FieldError, match="BlindIndexField"):
        list(vault.objects.filter(rrn=RRN))
    with pytest.raises(FieldError, match="cannot be searched"):
        list(vault.objects.filter(rrn__contains="900101"))
    found = vault.objects.filter(rrn_index__in=crypto.blind_index_candidates("9001011234567", "rrn"))
    assert found.count() == 1


def test_same_number_registered_twice_is_refused_by_the_blind_index(vault):
    vault.objects.create(rrn=RRN)
    with pytest.raises(IntegrityError), transaction.atomic():
        vault.objects.create(rrn="9001011234567")  # the same number written without the hyphen
    assert vault.objects.count() == 1


def test_saving_recomputes_the_index(vault):
    row = vault.objects.create(rrn=RRN)
    row.rrn = "850505-2345678"
    row.save()
    assert _stored("pii_test_vault", "rrn_index", row.pk) == crypto.blind_index("8505052345678", "rrn")


def test_update_re_encrypts(vault):
    row = vault.objects.create(rrn=RRN)
    before = _stored("pii_test_vault", "rrn", row.pk)
    vault.objects.filter(pk=row.pk).update(rrn=vault.objects.get(pk=row.pk).rrn)
    after = _stored("pii_test_vault", "rrn", row.pk)
    assert before != after and crypto.decrypt(after) == RRN


def test_dumpdata_holds_tokens_and_loaddata_restores(vault):
    row = vault.objects.create(rrn=RRN, phone="010-1234-5678")
    dumped = serializers.serialize("json", vault.objects.all())
    assert "1234567" not in dumped and "5678" not in dumped and '"v1:' in dumped
    # loaddata hands each value to the field's to_python: the token opens again.
    fields = json.loads(dumped)[0]["fields"]
    assert vault._meta.get_field("rrn").to_python(fields["rrn"]).reveal() == RRN
    restored = vault(pk=row.pk, **{k: v for k, v in fields.items() if k != "rrn_index"})
    assert restored.rrn.reveal() == RRN and restored.phone.reveal() == "010-1234-5678"


def test_key_rotation_re_encrypts_and_re_indexes(vault, settings):
    row = vault.objects.create(rrn=RRN, phone="010-1234-5678")
    old_token = _stored("pii_test_vault", "rrn", row.pk)
    old_key = settings.FIELD_KEY
    settings.FIELD_KEY = "rotated-field-key-zyxwvutsrqponmlkjihgfedcba9876543210"
    settings.FIELD_KEY_OLD = old_key
    assert vault.objects.get(pk=row.pk).rrn.reveal() == RRN  # old values still open
    with mock.patch.object(rotation, "encrypted_models", return_value=[
        (vault, [vault._meta.get_field("rrn"), vault._meta.get_field("phone")], [vault._meta.get_field("rrn_index")])
    ]):
        counts = rotation.field_key_rotate(actor=staff_user("admin", roles.ADMINISTRATOR))
    assert counts == {"pii.Vault": 1}
    assert AuditEvent.objects.filter(action="pii.field_key.rotate").count() == 1
    settings.FIELD_KEY_OLD = ""  # the old key is gone: everything must open with the new one
    again = vault.objects.get(pk=row.pk)
    assert again.rrn.reveal() == RRN and again.phone.reveal() == "010-1234-5678"
    assert _stored("pii_test_vault", "rrn", row.pk) != old_token
    assert _stored("pii_test_vault", "rrn_index", row.pk) == crypto.blind_index(RRN, "rrn")


def test_keep_stored_when_blank(vault):

    row = vault.objects.create(rrn=RRN, phone="010-1234-5678")

    class VaultForm(KeepStoredWhenBlankMixin, forms.ModelForm):
        class Meta:
            model = vault
            fields = ["rrn", "phone"]

    form = VaultForm(data={"rrn": "", "phone": "010-9999-8888"}, instance=vault.objects.get(pk=row.pk))
    assert "900101" not in str(form["rrn"]) and "1234567" not in str(form["rrn"])
    assert form.is_valid(), form.errors
    form.save()
    again = vault.objects.get(pk=row.pk)
    assert again.rrn.reveal() == RRN and again.phone.reveal() == "010-9999-8888"


def test_system_check_refuses_unique_encrypted_fields():
    with isolate_apps("baesang.pii"):

        class Wrong(models.Model):
            rrn = EncryptedTextField(unique=True)

            class Meta:
                app_label = "pii"

            def __str__(self) -> str:
                return "wrong"

        errors = Wrong._meta.get_field("rrn").check()
    assert [e.id for e in errors if isinstance(e, checks.Error)] == ["pii.E001"]
