"""Model fields for personal data: encrypted at rest, masked when shown, indexed blindly.

- :class:`EncryptedTextField` stores a ``v1:`` AES-GCM token (see :mod:`baesang.pii.crypto`)
  and gives back a :class:`Sensitive` value: ``str()``, templates, ``repr()``, the admin
  and Django's error pages see only the masked form (``900101-1******``); the plaintext
  comes out through :meth:`Sensitive.reveal`, which screens call only via
  :func:`baesang.pii.services.pii_reveal` so the reveal is logged (PIPA Art. 29).
  Ciphertexts differ at every save, so the column cannot be searched; only ``isnull``
  lookups are allowed.
- :class:`BlindIndexField` keeps the keyed HMAC of another field of the same model,
  recomputed on every ``save()`` — for equality lookups and duplicate detection.

Example::

    class Creditor(models.Model):
        rrn = EncryptedTextField("주민등록번호", blank=True, mask="rrn")
        rrn_index = BlindIndexField(source="rrn", purpose="rrn", unique=True)

    Creditor.objects.filter(rrn_index__in=blind_index_candidates("900101-1234567", "rrn"))
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core import checks, exceptions
from django.db import models
from django.db.models.query_utils import DeferredAttribute

from baesang.pii import crypto
from baesang.pii.masking import MASKS, mask


class Sensitive:
    """A personal-data value that shows itself only masked.

    ``str()``/``format()`` give the mask of its kind, ``repr()`` gives nothing away, and
    :meth:`reveal` returns the plaintext (templates cannot call it: ``alters_data``).
    Equal to another :class:`Sensitive` or a ``str`` with the same plaintext.
    """

    __slots__ = ("_kind", "_value")

    def __init__(self, value: str, kind: str = "hidden") -> None:
        if isinstance(value, Sensitive):
            value = value.reveal()
        if not isinstance(value, str):
            raise TypeError(f"personal data is text, not {type(value).__name__}")
        if kind not in MASKS:
            raise ValueError(f"unknown kind of personal data {kind!r}; known: {', '.join(MASKS)}")
        self._value = value
        self._kind = kind

    @property
    def kind(self) -> str:
        return self._kind

    def reveal(self) -> str:
        """The plaintext. Show it to a person only through ``pii_reveal`` (access-logged)."""
        return self._value

    reveal.alters_data = True  # Django templates refuse to call it

    def masked(self) -> str:
        return mask(self._value, self._kind)

    def __str__(self) -> str:
        return self.masked()

    def __format__(self, spec: str) -> str:
        return format(self.masked(), spec)

    def __repr__(self) -> str:
        return f"<Sensitive {self._kind}>"

    def __bool__(self) -> bool:
        return bool(self._value)

    def __len__(self) -> int:
        return len(self._value)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sensitive):
            return self._value == other._value
        if isinstance(other, str):
            return self._value == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._value)

    def __copy__(self) -> Sensitive:
        return self

    def __deepcopy__(self, memo: dict) -> Sensitive:
        return self


def reveal(value: Sensitive | str | None) -> str | None:
    """The plaintext of a :class:`Sensitive` or a plain ``str`` (``None`` stays ``None``)."""
    if isinstance(value, Sensitive):
        return value.reveal()
    return value


class _SensitiveAttribute(DeferredAttribute):
    """Wraps every value assigned to the model attribute, so plaintext never sits bare on an instance."""

    def __set__(self, instance: models.Model, value: Any) -> None:
        instance.__dict__[self.field.attname] = self.field.to_python(value)


class SensitiveFormField(forms.CharField):
    """A text input that never renders the stored value back into the page (neither plain nor masked)."""

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Sensitive):
            return ""
        return value


class KeepStoredWhenBlankMixin:
    """For model forms: a blank encrypted field on an existing object keeps the stored value.

    :class:`SensitiveFormField` shows an empty box, so without this mixin saving an edit
    form would erase the value. To clear a value, use a dedicated service.
    """

    def clean(self) -> dict:
        cleaned = super().clean()  # type: ignore[misc]
        instance = getattr(self, "instance", None)
        if instance is None or instance.pk is None:
            return cleaned
        for name, field in self.fields.items():  # type: ignore[attr-defined]
            if isinstance(field, SensitiveFormField) and name in cleaned and not cleaned[name]:
                cleaned[name] = getattr(instance, name)
        return cleaned


class EncryptedTextField(models.TextField):
    """Text encrypted at rest with ``BAESANG_FIELD_KEY``; ``mask`` is the kind of data (``rrn``, ``phone`` …)."""

    descriptor_class = _SensitiveAttribute
    description = "Text encrypted at rest (AES-256-GCM)"

    def __init__(self, *args: Any, mask: str = "hidden", **kwargs: Any) -> None:
        if mask not in MASKS:
            raise ValueError(f"unknown kind of personal data {mask!r}; known: {', '.join(MASKS)}")
        self.mask = mask
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.mask != "hidden":
            kwargs["mask"] = self.mask
        return name, path, args, kwargs

    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        errors = super().check(**kwargs)
        if self.unique or self.db_index:
            errors.append(checks.Error(
                "an encrypted field cannot be unique or indexed: its ciphertext changes at every save",
                hint="add a BlindIndexField(source=..., purpose=...) and put unique/db_index on it",
                obj=self, id="pii.E001",
            ))
        return errors

    def to_python(self, value: Any) -> Sensitive | None:
        if value is None or isinstance(value, Sensitive):
            return value
        if not isinstance(value, str):
            value = str(value)
        if crypto.is_token(value):
            try:
                value = crypto.decrypt(value)
            except crypto.TokenFormatError:
                pass  # text that merely starts with "v1:" is kept as typed
        return Sensitive(value, self.mask)

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Sensitive | None:
        if value is None:
            return None
        if value == "":
            return Sensitive("", self.mask)
        return Sensitive(crypto.decrypt(value), self.mask)

    def get_prep_value(self, value: Any) -> str | None:
        value = self.to_python(value)
        if value is None:
            return None
        plaintext = value.reveal()
        return crypto.encrypt(plaintext) if plaintext else ""

    def get_lookup(self, lookup_name: str):
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        raise exceptions.FieldError(
            f"{self.model.__name__}.{self.name} is encrypted and cannot be searched with '{lookup_name}'; "
            "look it up through its BlindIndexField"
        )

    def get_transform(self, lookup_name: str):
        return None

    def value_to_string(self, obj: models.Model) -> str:
        """Serialised (dumpdata) as a token, never as plaintext; ``loaddata`` decrypts it again."""
        value = self.value_from_object(obj)
        if value is None:
            return ""
        plaintext = value.reveal()
        return crypto.encrypt(plaintext) if plaintext else ""

    def formfield(self, **kwargs: Any) -> forms.Field:
        defaults: dict[str, Any] = {"form_class": SensitiveFormField, "widget": forms.TextInput}
        defaults.update(kwargs)
        return super().formfield(**defaults)


class BlindIndexField(models.CharField):
    """The blind index (keyed HMAC) of the field ``source``, recomputed at every ``save()``.

    Keep it in ``update_fields`` when you save ``source`` with ``update_fields``; bulk
    ``update()`` does not recompute it. Empty source → ``NULL`` (so ``unique=True`` only
    forbids two equal non-empty values).
    """

    description = "Keyed HMAC-SHA256 of another field, for equality lookups"

    def __init__(self, *args: Any, source: str, purpose: str, **kwargs: Any) -> None:
        self.source = source
        self.purpose = purpose
        kwargs.setdefault("max_length", crypto.BLIND_INDEX_LENGTH)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
        if not kwargs.get("unique"):
            kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        kwargs["purpose"] = self.purpose
        for key, default in (("max_length", crypto.BLIND_INDEX_LENGTH), ("editable", False), ("null", True),
                             ("blank", True)):
            if kwargs.get(key, default) == default:
                kwargs.pop(key, None)
        return name, path, args, kwargs

    def compute(self, model_instance: models.Model) -> str | None:
        plaintext = reveal(getattr(model_instance, self.source))
        if not plaintext:
            return None
        return crypto.blind_index(plaintext, self.purpose)

    def pre_save(self, model_instance: models.Model, add: bool) -> str | None:
        value = self.compute(model_instance)
        setattr(model_instance, self.attname, value)
        return value
