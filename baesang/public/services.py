"""Services of the public app: staff edits of the forecast's pending lawsuits, audited."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction

from baesang.core.errors import DomainError, ValidationFailed
from baesang.core.services import audit_record
from baesang.public.models import PendingLawsuit

FIELDS = ("description", "count", "award_per_claim", "expected_final_on", "interest_from", "rate", "active")


class PendingLawsuitInvalid(ValidationFailed):
    code = "pending_lawsuit_invalid"


def _snapshot(lawsuit: PendingLawsuit) -> dict:
    values = {name: getattr(lawsuit, name) for name in FIELDS}
    values["expected_final_on"] = values["expected_final_on"].isoformat() if values["expected_final_on"] else None
    values["interest_from"] = values["interest_from"].isoformat() if values["interest_from"] else None
    values["rate"] = str(values["rate"]) if values["rate"] is not None else None
    return values


def _check(values: dict[str, Any]) -> None:
    errors = []
    if not str(values.get("description") or "").strip():
        errors.append(DomainError("description: give the court and case number or a short label", field="description"))
    count = values.get("count")
    if type(count) is not int or count < 1:
        errors.append(DomainError(f"count: at least one claim (got {count!r})", field="count"))
    award = values.get("award_per_claim")
    if type(award) is not int or award <= 0:
        errors.append(DomainError(f"award_per_claim: a whole number of won > 0 (got {award!r})",
                                  field="award_per_claim"))
    for name in ("expected_final_on", "interest_from"):
        if not isinstance(values.get(name), date):
            errors.append(DomainError(f"{name}: a date is required", field=name))
    rate = values.get("rate")
    if rate is not None and (not isinstance(rate, Decimal | int) or not 0 <= rate <= 100):
        errors.append(DomainError(f"rate: a percentage from 0 to 100, or blank (got {rate!r})", field="rate"))
    if errors:
        raise PendingLawsuitInvalid(errors)


def pending_lawsuit_save(*, actor: Any, lawsuit: PendingLawsuit) -> PendingLawsuit:
    """Create or change a pending lawsuit from the values set on ``lawsuit``; audited."""
    _check({name: getattr(lawsuit, name) for name in FIELDS})
    with transaction.atomic():
        old = None
        if lawsuit.pk:
            current = PendingLawsuit.objects.select_for_update().get(pk=lawsuit.pk)
            old = _snapshot(current)
        lawsuit.save()
        audit_record(actor=actor, action="pending_lawsuit.create" if old is None else "pending_lawsuit.change",
                     entity=lawsuit, old=old, new=_snapshot(lawsuit))
    return lawsuit


def pending_lawsuit_delete(*, actor: Any, lawsuit: PendingLawsuit) -> None:
    with transaction.atomic():
        current = PendingLawsuit.objects.select_for_update().get(pk=lawsuit.pk)
        audit_record(actor=actor, action="pending_lawsuit.delete", entity=current, old=_snapshot(current))
        current.delete()
