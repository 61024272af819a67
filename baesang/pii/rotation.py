"""Rotation of the field key: re-encrypt personal data and recompute blind indexes.

To change ``BAESANG_FIELD_KEY``: put the new secret in ``BAESANG_FIELD_KEY``, the old one in
``BAESANG_FIELD_KEY_OLD`` (comma separated if several), restart, run
``baesang pii rotate-key``, then drop the old secret. Until the command has run, values
still decrypt with the old key and lookups can use
:func:`baesang.pii.crypto.blind_index_candidates`.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.apps import apps
from django.db import models, transaction

from baesang.core.permissions import Actor, permission_require
from baesang.core.progress import Progress, progress_none
from baesang.core.services import audit_record
from baesang.pii.fields import BlindIndexField, EncryptedTextField


def encrypted_models() -> Iterator[tuple[type[models.Model], list[EncryptedTextField], list[BlindIndexField]]]:
    """Every installed model with encrypted or blind-index fields, with those fields."""
    for model in apps.get_models():
        fields = model._meta.concrete_fields
        encrypted = [f for f in fields if isinstance(f, EncryptedTextField)]
        indexes = [f for f in fields if isinstance(f, BlindIndexField)]
        if encrypted or indexes:
            yield model, encrypted, indexes


def field_key_rotate(*, actor: Actor, batch_size: int = 500, progress: Progress = progress_none) -> dict[str, int]:
    """Re-encrypt every encrypted value with the current key and recompute every blind index.

    Runs in batches (one transaction each, rows locked); returns the rows rewritten per model.
    ``progress`` is told (model label, rows rewritten, rows) after each batch.
    """
    permission_require(actor, "rotate_field_key")
    counts: dict[str, int] = {}
    for model, encrypted, indexes in encrypted_models():
        manager = model._base_manager
        loaded = {"pk", *(f.attname for f in encrypted), *(f.source for f in indexes)}
        pks = list(manager.order_by("pk").values_list("pk", flat=True))
        progress(model._meta.label, 0, len(pks))
        for start in range(0, len(pks), batch_size):
            with transaction.atomic():
                chunk = manager.select_for_update().filter(pk__in=pks[start:start + batch_size]).only(*loaded)
                for row in chunk:
                    values = {f.attname: getattr(row, f.attname) for f in encrypted}
                    values.update({f.attname: f.compute(row) for f in indexes})
                    manager.filter(pk=row.pk).update(**values)
            progress(model._meta.label, min(start + batch_size, len(pks)), len(pks))
        counts[model._meta.label] = len(pks)
    with transaction.atomic():
        audit_record(actor=actor, action="pii.field_key.rotate", entity_type="pii.fieldkey", new=counts)
    return counts
