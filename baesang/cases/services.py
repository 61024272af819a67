"""Services of the case work: offers, verified consent, refusals, court deposits, payment
batches and indemnity claims (docs/workflow.md).

Rules:
- Consent is per holder: each holder (the victim, or each heir for their share) is offered
  their part and accepts or refuses it. Acceptance needs a :class:`ConsentVerification`
  (identity check, capacity — the holder, or a guardian or court-appointed proxy with the
  court document —, a witness and the signed form). A holder who cannot decide alone
  (``needs_representative``) can consent only through a representative.
- A refuser's part may be deposited with a court (Art. 487); a refuser may accept later
  once no deposit is live.
- Payment batches: a finance officer prepares, an approver who did not prepare approves
  (reserving the money with pending ledger transfers, all or none), the batch is exported
  for the bank and the bank's result posts or voids each line. Every won paid creates an
  indemnity claim (구상권) against the debtor, limitation ten years (Art. 162(1)).
- Never paid twice: the state machine, a partial unique index on live lines per claim and
  holder, and transfer ids derived from line ids (a re-run books nothing twice).
- Batches are handled set-wise: bulk inserts, one UPDATE per state change, the ledger's
  set-wise journals — never a query per line.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import Any

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from baesang.calc.interest import InterestError
from baesang.cases import bookings
from baesang.cases.errors import (
    AlreadyPaid,
    BankResultInvalid,
    ConsentNotVerified,
    EmptyBatch,
    FourEyesViolation,
    HoldingNotCurrent,
    IllegalTransition,
    InsufficientFund,
    InvalidDeposit,
    RoleRequired,
)
from baesang.cases.models import (
    BatchClaim,
    BatchLine,
    ConsentVerification,
    CourtDeposit,
    IndemnityClaim,
    Offer,
    PaymentBatch,
)
from baesang.core import roles
from baesang.core.services import audit_record
from baesang.judgments.models import Claim, ClaimHolding, Court, Document
from baesang.judgments.orders import claim_amount_due, holder_parts, limitation_date, rounding_policy
from baesang.judgments.services import claims_state_refresh
from baesang.ledger.errors import LimitExceeded

CHUNK = 5000


def _require_role(user: Any, role_names: Sequence[str], action: str) -> None:
    if any(roles.user_has_role(user, role) for role in role_names):
        return
    who = getattr(user, "get_username", lambda: str(user))() if user is not None else "nobody"
    needed = " or ".join(role_names)
    raise RoleRequired(f"{action} needs the {needed} role; {who} does not have it", field="user")


def _username(user: Any) -> str:
    return getattr(user, "get_username", lambda: "system")()


def _current_holding(holding: ClaimHolding) -> ClaimHolding:
    holding = ClaimHolding.objects.select_for_update().select_related("claim", "holder").get(pk=holding.pk)
    if holding.superseded_at is not None:
        raise HoldingNotCurrent(
            f"the holding of {holding.holder} in claim {holding.claim} was replaced on "
            f"{holding.superseded_at:%Y-%m-%d} (holder change {holding.superseded_by_id}); act on the current holders")
    return holding


def holding_part(holding: ClaimHolding, on: date):
    """The holder's part (principal, interest) of the claim's amount due on ``on``, with the
    claim's calculation."""
    claim = holding.claim
    try:
        due = claim_amount_due(claim, on)
    except InterestError as exc:
        raise IllegalTransition(f"claim {claim}: {exc.message}", field="date") from exc
    shares = {pk: Fraction(n, d) for pk, n, d in ClaimHolding.objects.filter(
        claim=claim, superseded_at__isnull=True).values_list("pk", "share_numerator", "share_denominator")}
    return holder_parts(due, shares)[holding.pk], due


# --------------------------------------------------------------------------- offers


@transaction.atomic
def offer_make(*, holding: ClaimHolding, offered_on: date, actor: Any, channel: str = "visit") -> Offer:
    """Offer a holder their part of the judgment money (amount quoted as of the offer date).
    A refuser may be offered again once no court deposit of theirs is live."""
    _require_role(actor, [roles.CASE_OFFICER], "making an offer")
    holding = _current_holding(holding)
    if holding.state not in (ClaimHolding.PENDING, ClaimHolding.REFUSED):
        raise IllegalTransition(
            f"{holding.holder} ({holding.claim}) is {holding.state}: an offer is made to a holder without an answer "
            "yet or to one who refused")
    live = CourtDeposit.objects.filter(holding=holding, state__in=CourtDeposit.LIVE).first()
    if live is not None:
        raise IllegalTransition(
            f"{holding.holder} ({holding.claim}) has a live court deposit ({live.pk}, {live.state}); "
            "record its outcome before a new offer")
    if channel not in {c for c, _ in Offer.CHANNEL_CHOICES}:
        raise IllegalTransition(f"offer channel {channel!r} is not one of visit, letter, phone, lawyer",
                                field="channel")
    part, _ = holding_part(holding, offered_on)
    offer = Offer.objects.create(holding=holding, offered_on=offered_on, channel=channel,
                                 amount_quoted=part.amount, made_by=actor)
    old_state = holding.state
    holding.state = ClaimHolding.OFFERED
    holding.save(update_fields=["state"])
    claims_state_refresh(claim_ids=[holding.claim_id])
    audit_record(actor=actor, action="offer.make", entity=offer, old={"holding_state": old_state},
                 new={"holding": holding.pk, "offered_on": offered_on, "amount_quoted": part.amount,
                      "channel": channel})
    return offer


def claim_offers_make(*, claim: Claim, offered_on: date, actor: Any, channel: str = "visit") -> list[Offer]:
    """Offer every current holder of the claim who has no offer yet their part."""
    with transaction.atomic():
        holdings = list(ClaimHolding.objects.filter(claim=claim, superseded_at__isnull=True,
                                                    state=ClaimHolding.PENDING).order_by("pk"))
        if not holdings:
            raise IllegalTransition(f"claim {claim} has no holder waiting for an offer")
        return [offer_make(holding=h, offered_on=offered_on, actor=actor, channel=channel) for h in holdings]


def _open_offer(offer: Offer) -> Offer:
    offer = Offer.objects.select_for_update().select_related("holding").get(pk=offer.pk)
    if offer.state != Offer.OPEN:
        raise IllegalTransition(f"offer {offer.pk} is {offer.state}, not open")
    return offer


IDENTITY_METHODS = {c for c, _ in ConsentVerification.IDENTITY_CHOICES}
REPRESENTATIVE_DOCUMENT_KINDS = (Document.COURT_DECISION, Document.GUARDIANSHIP)


@transaction.atomic
def offer_accept(
    *, offer: Offer, actor: Any, verified_on: date, identity_method: str, capacity: str, witness_name: str,
    form_document: Document, representative_name: str = "", representative_document: Document | None = None,
) -> ConsentVerification:
    """Record a holder's acceptance with its verification. Nobody accepts for a holder
    without the record: identity checked, capacity (the holder in person, or a guardian or
    court-appointed proxy with the court document), a witness and the signed form."""
    _require_role(actor, [roles.CASE_OFFICER], "recording a consent")
    offer = _open_offer(offer)
    holding = _current_holding(offer.holding)
    holder = holding.holder
    problems: list[str] = []
    if identity_method not in IDENTITY_METHODS:
        problems.append(f"identity check {identity_method!r} is not one of {', '.join(sorted(IDENTITY_METHODS))}")
    if not (witness_name or "").strip():
        problems.append("a witness must be named")
    if form_document is None or form_document.kind != Document.CONSENT_FORM:
        problems.append("the signed consent form (a document of kind consent_form) is required")
    if verified_on < offer.offered_on:
        problems.append(f"verified on {verified_on}, before the offer of {offer.offered_on}")
    if holder.death_date is not None and holder.death_date <= verified_on:
        problems.append(f"{holder} died on {holder.death_date}; their heirs must be recorded as holders first")
    if capacity == ConsentVerification.SELF:
        if holder.needs_representative:
            problems.append(f"{holder} cannot decide alone: only a guardian or a court-appointed proxy may consent")
        if representative_name or representative_document:
            problems.append("a consent in person names no representative")
    elif capacity in (ConsentVerification.GUARDIAN, ConsentVerification.PROXY):
        if not (representative_name or "").strip():
            problems.append(f"the {capacity} must be named")
        if representative_document is None or representative_document.kind not in REPRESENTATIVE_DOCUMENT_KINDS:
            problems.append(f"a {capacity} needs the court document appointing them "
                            "(a document of kind court_decision or guardianship)")
    else:
        problems.append(f"capacity {capacity!r} is not one of self, guardian, proxy")
    if problems:
        raise ConsentNotVerified(
            f"the acceptance of {holder} ({holding.claim}) cannot be recorded: " + "; ".join(problems),
            field="consent")
    consent = ConsentVerification.objects.create(
        offer=offer, holding=holding, verified_on=verified_on, identity_method=identity_method, capacity=capacity,
        representative_name=representative_name.strip(), representative_document=representative_document,
        witness_name=witness_name.strip(), form_document=form_document, verified_by=actor)
    offer.state, offer.answered_on = Offer.ACCEPTED, verified_on
    offer.save(update_fields=["state", "answered_on"])
    holding.state = ClaimHolding.ACCEPTED
    holding.save(update_fields=["state"])
    claims_state_refresh(claim_ids=[holding.claim_id])
    audit_record(actor=actor, action="offer.accept", entity=offer, old={"state": Offer.OPEN}, new={
        "state": Offer.ACCEPTED, "consent": consent.pk, "identity_method": identity_method, "capacity": capacity,
        "form_sha256": form_document.sha256,
        "representative_document_sha256": representative_document.sha256 if representative_document else None})
    return consent


@transaction.atomic
def offer_refuse(*, offer: Offer, actor: Any, refused_on: date, reason: str = "") -> Offer:
    """Record that a holder refused the foundation's money (수령 거부)."""
    _require_role(actor, [roles.CASE_OFFICER], "recording a refusal")
    offer = _open_offer(offer)
    holding = _current_holding(offer.holding)
    if refused_on < offer.offered_on:
        raise IllegalTransition(f"refused on {refused_on}, before the offer of {offer.offered_on}", field="date")
    offer.state, offer.answered_on, offer.refusal_reason = Offer.REFUSED, refused_on, reason
    offer.save(update_fields=["state", "answered_on", "refusal_reason"])
    holding.state = ClaimHolding.REFUSED
    holding.save(update_fields=["state"])
    claims_state_refresh(claim_ids=[holding.claim_id])
    audit_record(actor=actor, action="offer.refuse", entity=offer, old={"state": Offer.OPEN},
                 new={"state": Offer.REFUSED, "refused_on": refused_on}, note=reason)
    return offer


@transaction.atomic
def offer_withdraw(*, offer: Offer, actor: Any, on: date, reason: str) -> Offer:
    _require_role(actor, [roles.CASE_OFFICER], "withdrawing an offer")
    offer = _open_offer(offer)
    holding = _current_holding(offer.holding)
    offer.state, offer.answered_on = Offer.WITHDRAWN, on
    offer.save(update_fields=["state", "answered_on"])
    previous = Offer.objects.filter(holding=holding, state=Offer.REFUSED).exists()
    holding.state = ClaimHolding.REFUSED if previous else ClaimHolding.PENDING
    holding.save(update_fields=["state"])
    claims_state_refresh(claim_ids=[holding.claim_id])
    audit_record(actor=actor, action="offer.withdraw", entity=offer, old={"state": Offer.OPEN},
                 new={"state": Offer.WITHDRAWN}, note=reason)
    return offer


@transaction.atomic
def consent_revoke(*, consent: ConsentVerification, actor: Any, reason: str) -> ConsentVerification:
    """Void a consent found defective (e.g. signed by relatives without the holder's knowledge).
    The holder is back to 'no answer'; a consent behind a payment line in progress or paid
    cannot be revoked here."""
    _require_role(actor, [roles.CASE_OFFICER], "revoking a consent")
    if not (reason or "").strip():
        raise ConsentNotVerified("say why the consent is revoked", field="reason")
    consent = ConsentVerification.objects.select_for_update().get(pk=consent.pk)
    if consent.revoked_at is not None:
        raise IllegalTransition(f"consent {consent.pk} was already revoked")
    holding = _current_holding(consent.holding)
    line = BatchLine.objects.filter(consent=consent, state__in=(BatchLine.PREPARED, *BatchLine.LIVE)).first()
    if line is not None:
        raise IllegalTransition(
            f"consent {consent.pk} is behind payment line {line.pk} (batch {line.batch_id}, {line.state}); "
            "cancel the batch first, or record a recovery if it was paid")
    consent.revoked_at, consent.revoked_reason = timezone.now(), reason.strip()
    consent.save(update_fields=["revoked_at", "revoked_reason"])
    holding.state = ClaimHolding.PENDING
    holding.save(update_fields=["state"])
    claims_state_refresh(claim_ids=[holding.claim_id])
    audit_record(actor=actor, action="consent.revoke", entity=consent, old={"holding_state": ClaimHolding.ACCEPTED},
                 new={"holding_state": ClaimHolding.PENDING}, note=reason)
    return consent


# --------------------------------------------------------------------------- court deposits


def _bank_available() -> int:
    from baesang.ledger.models import Account

    bank = Account.objects.filter(code=bookings.BANK_ACCOUNT).first()
    if bank is None:
        return 0
    return bank.debits_posted - bank.credits_posted - bank.credits_pending


@transaction.atomic
def deposit_file(*, holding: ClaimHolding, court: Court, filed_on: date, actor: Any, deposit_number: str = "",
                 note: str = "") -> CourtDeposit:
    """File a court deposit (변제공탁) of a refusing holder's part, to the day of filing. The
    money is reserved in the ledger until the deposit office decides."""
    _require_role(actor, [roles.CASE_OFFICER, roles.FINANCE_OFFICER], "filing a court deposit")
    holding = _current_holding(holding)
    if holding.state != ClaimHolding.REFUSED:
        raise InvalidDeposit(f"{holding.holder} ({holding.claim}) is {holding.state}: only a refused part is "
                             "deposited with a court")
    live = CourtDeposit.objects.filter(holding=holding, state__in=CourtDeposit.LIVE).first()
    if live is not None:
        raise InvalidDeposit(f"{holding.holder} ({holding.claim}) already has a live deposit ({live.pk}, {live.state})")
    offer = Offer.objects.filter(holding=holding, state=Offer.REFUSED).order_by("-answered_on", "-pk").first()
    if offer is not None and filed_on < offer.answered_on:
        raise InvalidDeposit(f"filed on {filed_on}, before the refusal of {offer.answered_on}", field="filed_on")
    part, due = holding_part(holding, filed_on)
    deposit = CourtDeposit.objects.create(
        holding=holding, offer=offer, court=court, filed_on=filed_on, principal_part=part.principal,
        interest_part=part.interest, amount=part.amount, sheet=due.as_json(), deposit_number=deposit_number,
        note=note, filed_by=actor)
    bookings.chart_ready(user=actor)
    spec = bookings.deposit_reserve(deposit_id=deposit.pk, amount=deposit.amount, value_date=filed_on)
    _book([spec], actor=actor, what=f"court deposit {deposit.pk}")
    deposit.reserve_transfer_id = spec.id
    deposit.save(update_fields=["reserve_transfer_id"])
    audit_record(actor=actor, action="deposit.file", entity=deposit, new={
        "holding": holding.pk, "court": court.name, "filed_on": filed_on, "amount": deposit.amount,
        "principal_part": part.principal, "interest_part": part.interest})
    return deposit


def _book(specs: list, *, actor: Any, what: str) -> None:
    from baesang.ledger.services import transfers_create

    try:
        transfers_create(specs=specs, user=actor if getattr(actor, "pk", None) else None)
    except LimitExceeded as exc:
        total = sum(s.amount for s in specs)
        raise InsufficientFund(
            f"{what}: {total:,} won cannot be reserved — the fund has {_bank_available():,} won available; "
            "nothing was changed", field="amount") from exc


DEPOSIT_TRANSITIONS = {
    CourtDeposit.FILED: {CourtDeposit.ACCEPTED, CourtDeposit.REFUSED},
    CourtDeposit.REFUSED: {CourtDeposit.OBJECTION_FILED},
    CourtDeposit.OBJECTION_FILED: {CourtDeposit.OBJECTION_DISMISSED, CourtDeposit.ACCEPTED},
    CourtDeposit.ACCEPTED: {CourtDeposit.RETURNED},
    CourtDeposit.OBJECTION_DISMISSED: set(),
    CourtDeposit.RETURNED: set(),
}


@transaction.atomic
def deposit_decide(*, deposit: CourtDeposit, outcome: str, decided_on: date, actor: Any,
                   document: Document | None = None, deposit_number: str = "", note: str = "") -> CourtDeposit:
    """Record what the deposit office or court decided, and move the money accordingly:
    accepted (수리) → the reserved money goes to deposits held, the holder's part is settled
    and an indemnity claim is recorded; refused (불수리) → the reservation is released;
    objection filed / dismissed → no money moves; accepted on objection → the money is paid
    in then; returned (회수) → the money comes back and the indemnity claim is cancelled."""
    from baesang.ledger.services import pending_post, pending_void, transfers_create

    _require_role(actor, [roles.CASE_OFFICER, roles.FINANCE_OFFICER], "recording a court deposit's outcome")
    deposit = CourtDeposit.objects.select_for_update().select_related(
        "holding__claim__judgment__debtor", "holding__holder").get(pk=deposit.pk)
    allowed = DEPOSIT_TRANSITIONS.get(deposit.state, set())
    if outcome not in allowed:
        raise IllegalTransition(
            f"court deposit {deposit.pk} is {deposit.state}; it can become "
            f"{', '.join(sorted(allowed)) or 'nothing else'}, not {outcome}", field="outcome")
    if decided_on < deposit.filed_on:
        raise InvalidDeposit(f"decided on {decided_on}, before the filing of {deposit.filed_on}", field="decided_on")
    holding = ClaimHolding.objects.select_for_update().get(pk=deposit.holding_id)
    old_state = deposit.state
    user = actor if getattr(actor, "pk", None) else None
    claim = holding.claim
    if outcome == CourtDeposit.ACCEPTED:
        if old_state == CourtDeposit.FILED:
            pending_post(id=bookings.deposit_transfer_id(deposit.pk, "post"), pending_id=deposit.reserve_transfer_id,
                         user=user, value_date=decided_on)
        else:
            _book([bookings.deposit_pay(deposit_id=deposit.pk, amount=deposit.amount, value_date=decided_on)],
                  actor=actor, what=f"court deposit {deposit.pk}")
        if holding.superseded_at is not None:
            raise HoldingNotCurrent(f"the holding of court deposit {deposit.pk} was replaced; record the holders again")
        holding.state = ClaimHolding.DEPOSITED
        holding.save(update_fields=["state"])
        _indemnity_for_deposit(deposit, claim, holding, decided_on, actor)
    elif outcome == CourtDeposit.REFUSED:
        pending_void(id=bookings.deposit_transfer_id(deposit.pk, "void"), pending_id=deposit.reserve_transfer_id,
                     user=user, value_date=decided_on)
    elif outcome == CourtDeposit.RETURNED:
        transfers_create(specs=[bookings.deposit_return(deposit_id=deposit.pk, amount=deposit.amount,
                                                        value_date=decided_on)], user=user)
        indemnity = IndemnityClaim.objects.select_for_update().filter(
            deposit=deposit, state=IndemnityClaim.OPEN).first()
        if indemnity is not None:
            code = bookings.indemnity_account_code(claim.judgment.debtor, user=user)
            transfers_create(specs=[bookings.indemnity_cancel(
                transfer_id=f"{indemnity.transfer_id}-cancel", account_code=code, amount=indemnity.amount,
                value_date=decided_on, description=f"indemnity of court deposit {deposit.pk} cancelled",
                journal=bookings.deposit_transfer_id(deposit.pk, "indemnity-cancel"))], user=user)
            indemnity.state = IndemnityClaim.CANCELLED
            indemnity.save(update_fields=["state"])
        holding.state = ClaimHolding.REFUSED
        holding.save(update_fields=["state"])
    deposit.state, deposit.decided_on = outcome, decided_on
    if document is not None:
        deposit.decision_document = document
    if deposit_number:
        deposit.deposit_number = deposit_number
    if note:
        deposit.note = f"{deposit.note}\n{note}".strip()
    deposit.save(update_fields=["state", "decided_on", "decision_document", "deposit_number", "note"])
    claims_state_refresh(claim_ids=[claim.pk])
    audit_record(actor=actor, action=f"deposit.{outcome}", entity=deposit, old={"state": old_state},
                 new={"state": outcome, "decided_on": decided_on,
                      "document_sha256": document.sha256 if document else None}, note=note)
    return deposit


def _indemnity_for_deposit(deposit: CourtDeposit, claim: Claim, holding: ClaimHolding, on: date, actor: Any) -> None:
    from baesang.ledger.services import transfers_create

    user = actor if getattr(actor, "pk", None) else None
    debtor = claim.judgment.debtor
    code = bookings.indemnity_account_code(debtor, user=user)
    transfer_id = bookings.deposit_transfer_id(deposit.pk, "indemnity")
    transfers_create(specs=[bookings.indemnity_record(
        transfer_id=transfer_id, account_code=code, amount=deposit.amount, value_date=on,
        description=f"indemnity for court deposit {deposit.pk}", journal=transfer_id)], user=user)
    IndemnityClaim.objects.create(debtor=debtor, claim=claim, holding=holding, deposit=deposit, amount=deposit.amount,
                                  arose_on=on, limitation_on=limitation_date(on), transfer_id=transfer_id)


# --------------------------------------------------------------------------- payment batches


def _bulk_set(model, values: dict[int, Any], column: str, cast: str) -> None:
    """Set ``column`` to a per-row value for many rows in one statement (PostgreSQL), or in
    batched CASE updates elsewhere."""
    if not values:
        return
    if connection.vendor == "postgresql":
        table = model._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET {column} = v.value FROM unnest(%s::bigint[], %s::{cast}[]) AS v(id, value) "
                f"WHERE {table}.id = v.id", [list(values), list(values.values())])
        return
    objects = []
    for pk, value in values.items():
        obj = model(pk=pk)
        setattr(obj, column, value)
        objects.append(obj)
    model.objects.bulk_update(objects, [column], batch_size=500)


def _chunks(items: Sequence, size: int = CHUNK) -> Iterable[Sequence]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


@transaction.atomic
def batch_prepare(*, payment_date: date, preparer: Any, claims: Iterable[Claim] | None = None,
                  limit: int | None = None) -> PaymentBatch:
    """Prepare a batch for ``payment_date``: one line per accepted current holder not yet paid
    nor in another batch — the amount due on that date (principal + interest to the day) of
    the claim, apportioned to the won among all its current holders, with the calculation sheet.

    ``claims`` restricts the batch to some claims; ``limit`` to the first claims in waiting
    order (earliest final judgment first).
    """
    _require_role(preparer, [roles.FINANCE_OFFICER], "preparing a payment batch")
    eligible = ClaimHolding.objects.filter(state=ClaimHolding.ACCEPTED, superseded_at__isnull=True).exclude(
        payment_lines__state__in=(BatchLine.PREPARED, *BatchLine.LIVE))
    if claims is not None:
        eligible = eligible.filter(claim_id__in=[c.pk for c in claims])
    rows = list(eligible.values_list("pk", "claim_id", "holder_id", "share_numerator", "share_denominator"))
    claim_ids = sorted({r[1] for r in rows})
    claim_rows = {c.pk: c for c in Claim.objects.filter(pk__in=claim_ids).select_related("judgment")}
    ordered_ids = sorted(claim_ids, key=lambda i: (claim_rows[i].judgment.final_on, claim_rows[i].judgment_id,
                                                   claim_rows[i].position))
    if limit is not None:
        ordered_ids = ordered_ids[:limit]
    chosen = set(ordered_ids)
    rows = [r for r in rows if r[1] in chosen]
    if not rows:
        raise EmptyBatch(f"no accepted holder is waiting for payment on {payment_date}: nothing to prepare")
    # Holders paid under the same claim before (the database forbids paying them twice).
    holder_claims = {(r[1], r[2]) for r in rows}
    paid_before = set()
    for chunk in _chunks(ordered_ids):
        paid_before |= set(BatchLine.objects.filter(claim_id__in=chunk, state__in=BatchLine.LIVE).values_list(
            "claim_id", "holder_id"))
    conflicts = holder_claims & paid_before
    if conflicts:
        claim_id, holder_id = sorted(conflicts)[0]
        raise AlreadyPaid(f"person {holder_id} was already paid for claim {claim_rows[claim_id]}; "
                          f"{len(conflicts)} such holding(s) cannot be paid again", field="holding")
    consents: dict[int, int] = {}
    holding_ids = [r[0] for r in rows]
    for chunk in _chunks(holding_ids):
        for holding_id, consent_id in ConsentVerification.objects.filter(
                holding_id__in=chunk, revoked_at__isnull=True).values_list("holding_id", "pk"):
            consents[holding_id] = max(consent_id, consents.get(holding_id, 0))
    missing = [h for h in holding_ids if h not in consents]
    if missing:
        raise ConsentNotVerified(f"holding {missing[0]} is accepted but has no valid consent record "
                                 f"({len(missing)} in all); nothing was prepared", field="holding")
    all_shares: dict[int, dict[int, Fraction]] = defaultdict(dict)
    segments: dict[int, list] = defaultdict(list)
    from baesang.judgments.models import ClaimSegment

    for chunk in _chunks(ordered_ids):
        for pk, claim_id, num, den in ClaimHolding.objects.filter(
                claim_id__in=chunk, superseded_at__isnull=True).values_list(
                "pk", "claim_id", "share_numerator", "share_denominator"):
            all_shares[claim_id][pk] = Fraction(num, den)
        for segment in ClaimSegment.objects.filter(claim_id__in=chunk).order_by("claim_id", "position"):
            segments[segment.claim_id].append(segment)
    for claim_id in ordered_ids:
        claim_rows[claim_id]._prefetched_objects_cache = {"segments": segments[claim_id]}

    batch = PaymentBatch.objects.create(payment_date=payment_date, prepared_by=preparer, rounding=rounding_policy())
    sheets: list[BatchClaim] = []
    parts_by_claim = {}
    for claim_id in ordered_ids:
        claim = claim_rows[claim_id]
        try:
            due = claim_amount_due(claim, payment_date)
        except InterestError as exc:
            raise IllegalTransition(f"claim {claim}: {exc.message}", field="payment_date") from exc
        parts_by_claim[claim_id] = holder_parts(due, all_shares[claim_id])
        sheets.append(BatchClaim(batch=batch, claim_id=claim_id, principal=due.principal, interest=due.interest,
                                 total=due.total, sheet=due.as_json()))
    BatchClaim.objects.bulk_create(sheets, batch_size=2000)
    sheet_ids = {s.claim_id: s.pk for s in sheets}
    lines = []
    total = 0
    position = {claim_id: n for n, claim_id in enumerate(ordered_ids)}
    for holding_id, claim_id, holder_id, num, den in sorted(rows, key=lambda r: (position[r[1]], r[0])):
        part = parts_by_claim[claim_id][holding_id]
        if part.amount <= 0:
            continue
        total += part.amount
        lines.append(BatchLine(batch=batch, batch_claim_id=sheet_ids[claim_id], claim_id=claim_id,
                               holding_id=holding_id, holder_id=holder_id, consent_id=consents[holding_id],
                               share_numerator=num, share_denominator=den, principal_part=part.principal,
                               interest_part=part.interest, amount=part.amount))
    BatchLine.objects.bulk_create(lines, batch_size=CHUNK)
    batch.line_count, batch.total_amount = len(lines), total
    batch.save(update_fields=["line_count", "total_amount"])
    audit_record(actor=preparer, action="batch.prepare", entity=batch, new={
        "payment_date": payment_date, "lines": len(lines), "claims": len(ordered_ids), "total": total,
        "rounding": batch.rounding})
    return batch


def _lock_batch(batch: PaymentBatch) -> PaymentBatch:
    return PaymentBatch.objects.select_for_update().get(pk=batch.pk)


@transaction.atomic
def batch_approve(*, batch: PaymentBatch, approver: Any) -> PaymentBatch:
    """Approve a prepared batch (four eyes: never its preparer) and reserve its money with
    pending ledger transfers, set-wise and all or none. Fails as a whole if the available
    fund is short, if a holder changed since preparation, or if a holder was paid meanwhile.
    Two approvers at once: the batch row is locked, the second finds it approved."""
    _require_role(approver, [roles.APPROVER], "approving a payment batch")
    batch = _lock_batch(batch)
    if batch.state != PaymentBatch.PREPARED:
        raise IllegalTransition(f"batch {batch.pk} is {batch.state}; only a prepared batch can be approved")
    if batch.prepared_by_id == getattr(approver, "pk", None):
        raise FourEyesViolation(f"batch {batch.pk} was prepared by {_username(approver)}, who cannot also approve it; "
                                "another approver must", field="approver")
    lines = BatchLine.objects.filter(batch=batch)
    stale = lines.filter(~Q(holding__state=ClaimHolding.ACCEPTED) | Q(holding__superseded_at__isnull=False)
                         | Q(consent__revoked_at__isnull=False))
    first = stale.values_list("pk", "holding_id").first()
    if first is not None:
        raise IllegalTransition(
            f"batch {batch.pk}: line {first[0]} (holding {first[1]}) is no longer an accepted current holder "
            f"({stale.count()} line(s) in all); cancel the batch and prepare a new one")
    elsewhere = BatchLine.objects.filter(claim_id=OuterRef("claim_id"), holder_id=OuterRef("holder_id"),
                                         state__in=BatchLine.LIVE).exclude(batch_id=batch.pk)
    conflict = lines.filter(Exists(elsewhere)).values_list("claim_id", "holder_id").first()
    if conflict is not None:
        raise AlreadyPaid(f"batch {batch.pk}: person {conflict[1]} was already paid or reserved for claim "
                          f"{conflict[0]} in another batch", field="line")
    available = _bank_available()
    if batch.total_amount > available:
        raise InsufficientFund(
            f"batch {batch.pk} needs {batch.total_amount:,} won but the fund has {available:,} won available; "
            "nothing was reserved (prepare a smaller batch or wait for donations)", field="total")
    bookings.chart_ready(user=approver)
    specs = [bookings.payment_reserve(line_id=pk, amount=amount, value_date=batch.payment_date, batch_id=batch.pk)
             for pk, amount in lines.order_by("pk").values_list("pk", "amount")]
    _book(specs, actor=approver, what=f"batch {batch.pk}")
    lines.update(state=BatchLine.RESERVED)
    batch.state, batch.approved_by, batch.approved_at = PaymentBatch.APPROVED, approver, timezone.now()
    batch.save(update_fields=["state", "approved_by", "approved_at"])
    audit_record(actor=approver, action="batch.approve", entity=batch, old={"state": PaymentBatch.PREPARED},
                 new={"state": PaymentBatch.APPROVED, "reserved": batch.total_amount, "lines": len(specs)})
    return batch


EXPORT_COLUMNS = ["line", "reference", "claim", "holder", "bank", "account", "amount"]
RESULT_COLUMNS = ["line", "amount", "status", "bank_reference", "reason"]


@dataclass(frozen=True)
class BankFile:
    batch_id: int
    content: str
    sha256: str
    lines: int


def _bank_file(batch: PaymentBatch) -> BankFile:
    from baesang.pii.fields import reveal

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    count = 0
    query = BatchLine.objects.filter(batch=batch).exclude(state=BatchLine.CANCELLED).order_by("pk").values_list(
        "pk", "claim__judgment__case_number", "claim__position", "holder__name_hangul", "holder__bank_name",
        "holder__bank_account", "amount")
    for pk, case_number, position, name, bank, account, amount in query.iterator(chunk_size=CHUNK):
        writer.writerow([pk, f"B{batch.pk}-L{pk}", f"{case_number}#{position}", name, bank,
                         reveal(account) or "", amount])
        count += 1
    content = out.getvalue()
    return BankFile(batch.pk, content, hashlib.sha256(content.encode()).hexdigest(), count)


@transaction.atomic
def batch_export(*, batch: PaymentBatch, actor: Any) -> BankFile:
    """The bank transfer file (CSV: line, reference, claim, holder, bank, account, amount) of
    an approved batch. Exporting again gives the same file (a retry after a crash)."""
    _require_role(actor, [roles.FINANCE_OFFICER], "exporting a payment batch")
    batch = _lock_batch(batch)
    if batch.state == PaymentBatch.EXPORTED:
        bank_file = _bank_file(batch)
        if bank_file.sha256 != batch.export_sha256:
            raise IllegalTransition(f"batch {batch.pk}: the bank file would differ from the one exported "
                                    f"(sha256 {batch.export_sha256[:12]}…); a holder's bank details changed")
        return bank_file
    if batch.state != PaymentBatch.APPROVED:
        raise IllegalTransition(f"batch {batch.pk} is {batch.state}; only an approved batch is sent to the bank")
    BatchLine.objects.filter(batch=batch, state=BatchLine.RESERVED).update(state=BatchLine.EXPORTED)
    bank_file = _bank_file(batch)
    batch.state, batch.exported_by, batch.exported_at = PaymentBatch.EXPORTED, actor, timezone.now()
    batch.export_sha256 = bank_file.sha256
    batch.save(update_fields=["state", "exported_by", "exported_at", "export_sha256"])
    audit_record(actor=actor, action="batch.export", entity=batch, old={"state": PaymentBatch.APPROVED},
                 new={"state": PaymentBatch.EXPORTED, "sha256": bank_file.sha256, "lines": bank_file.lines})
    return bank_file


@dataclass(frozen=True)
class BankResult:
    line: int
    amount: int
    status: str  # "paid" or "failed"
    bank_reference: str = ""
    reason: str = ""


def bank_results_parse(text: str) -> list[BankResult]:
    """Read a bank result file (CSV with columns line, amount, status, bank_reference, reason).
    All or nothing: every bad row is named."""
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames is None or [f.strip() for f in reader.fieldnames][:3] != RESULT_COLUMNS[:3]:
        raise BankResultInvalid(f"the bank result file must start with the header {','.join(RESULT_COLUMNS)}",
                                field="header")
    results, problems = [], []
    for number, row in enumerate(reader, start=2):
        try:
            status = (row.get("status") or "").strip().lower()
            if status not in ("paid", "failed"):
                raise ValueError(f"status {status!r} is not paid or failed")
            results.append(BankResult(line=int(row["line"]), amount=int(row["amount"]), status=status,
                                      bank_reference=(row.get("bank_reference") or "").strip(),
                                      reason=(row.get("reason") or "").strip()))
        except (ValueError, TypeError, KeyError) as exc:
            problems.append(f"row {number}: {exc}")
    if problems:
        raise BankResultInvalid("the bank result file has errors; nothing was imported:\n" + "\n".join(problems))
    return results


@dataclass(frozen=True)
class ImportSummary:
    batch_id: int
    paid: int
    failed: int
    unchanged: int
    paid_amount: int
    settled: bool


@transaction.atomic
def batch_result_import(*, batch: PaymentBatch, results: Sequence[BankResult], actor: Any,
                        value_date: date | None = None) -> ImportSummary:
    """Import the bank's answer: each paid line's pending transfer is posted and an indemnity
    claim recorded; each failed line's reservation is voided (the holder stays accepted for a
    later batch). Re-importing the same answer changes nothing; a contradicting one is refused.
    When no line is left at the bank, the batch is settled."""
    from baesang.ledger.services import pendings_resolve, transfers_create

    _require_role(actor, [roles.FINANCE_OFFICER], "importing a bank result")
    batch = _lock_batch(batch)
    if batch.state not in (PaymentBatch.EXPORTED, PaymentBatch.SETTLED):
        raise IllegalTransition(f"batch {batch.pk} is {batch.state}; bank results are imported for an exported batch")
    when = value_date or batch.payment_date
    if when < batch.payment_date:
        raise BankResultInvalid(f"value date {when} is before the batch's payment date {batch.payment_date}")
    seen: set[int] = set()
    for result in results:
        if result.line in seen:
            raise BankResultInvalid(f"line {result.line} appears twice in the bank result", field="line")
        seen.add(result.line)
    known: dict[int, tuple] = {}
    for chunk in _chunks(sorted(seen)):
        for row in BatchLine.objects.filter(batch=batch, pk__in=chunk).values_list(
                "pk", "state", "amount", "claim_id", "holding_id", "claim__judgment__debtor_id"):
            known[row[0]] = row
    problems = []
    to_pay: list[BankResult] = []
    to_fail: list[BankResult] = []
    unchanged = 0
    for result in results:
        line = known.get(result.line)
        if line is None:
            problems.append(f"line {result.line} is not in batch {batch.pk}")
            continue
        _, state, amount, *_ = line
        if result.amount != amount:
            problems.append(f"line {result.line}: the bank reports {result.amount:,} won, the batch has {amount:,}")
        elif state == BatchLine.EXPORTED:
            (to_pay if result.status == "paid" else to_fail).append(result)
        elif state == result.status:
            unchanged += 1  # the same answer imported again
        else:
            problems.append(f"line {result.line} is already {state}; the bank now says {result.status}")
    if problems:
        raise BankResultInvalid(f"batch {batch.pk}: the bank result contradicts the batch; nothing was imported:\n"
                                + "\n".join(problems[:20]) + (f"\n… {len(problems) - 20} more" if len(problems) > 20
                                                              else ""))
    user = actor if getattr(actor, "pk", None) else None
    posts = [(bookings.line_transfer_id(r.line, "post"), bookings.line_transfer_id(r.line, "reserve")) for r in to_pay]
    voids = [(bookings.line_transfer_id(r.line, "void"), bookings.line_transfer_id(r.line, "reserve"))
             for r in to_fail]
    if posts or voids:
        pendings_resolve(posts=posts, voids=voids, user=user, value_date=when)
    paid_amount = 0
    if to_pay:
        from baesang.judgments.models import Debtor

        debtors = {d.pk: d for d in Debtor.objects.filter(pk__in={known[r.line][5] for r in to_pay})}
        codes = {pk: bookings.indemnity_account_code(d, user=user) for pk, d in debtors.items()}
        limitation = limitation_date(when)
        indemnities, specs = [], []
        for result in to_pay:
            _, _, amount, claim_id, holding_id, debtor_id = known[result.line]
            transfer_id = bookings.line_transfer_id(result.line, "indemnity")
            specs.append(bookings.indemnity_record(
                transfer_id=transfer_id, account_code=codes[debtor_id], amount=amount, value_date=when,
                description=f"indemnity for batch {batch.pk} line {result.line}", journal=f"batch-{batch.pk}-paid"))
            indemnities.append(IndemnityClaim(debtor_id=debtor_id, claim_id=claim_id, holding_id=holding_id,
                                              line_id=result.line, amount=amount, arose_on=when,
                                              limitation_on=limitation, transfer_id=transfer_id))
            paid_amount += amount
        transfers_create(specs=specs, user=user)
        IndemnityClaim.objects.bulk_create(indemnities, batch_size=CHUNK)
        ids = [r.line for r in to_pay]
        for chunk in _chunks(ids):
            BatchLine.objects.filter(pk__in=chunk).update(state=BatchLine.PAID, resolved_on=when)
            ClaimHolding.objects.filter(payment_lines__pk__in=chunk).update(state=ClaimHolding.PAID)
        _bulk_set(BatchLine, {r.line: r.bank_reference for r in to_pay if r.bank_reference}, "bank_reference", "text")
    if to_fail:
        ids = [r.line for r in to_fail]
        for chunk in _chunks(ids):
            BatchLine.objects.filter(pk__in=chunk).update(state=BatchLine.FAILED, resolved_on=when)
        _bulk_set(BatchLine, {r.line: r.reason[:200] for r in to_fail if r.reason}, "failure_reason", "text")
    claims_state_refresh(claim_ids={known[r.line][3] for r in to_pay})
    settled = not BatchLine.objects.filter(batch=batch, state=BatchLine.EXPORTED).exists()
    if settled and batch.state != PaymentBatch.SETTLED:
        batch.state, batch.settled_at = PaymentBatch.SETTLED, timezone.now()
        batch.save(update_fields=["state", "settled_at"])
    summary = ImportSummary(batch.pk, len(to_pay), len(to_fail), unchanged, paid_amount, settled)
    if to_pay or to_fail:
        audit_record(actor=actor, action="batch.result_import", entity=batch, new={
            "paid": len(to_pay), "failed": len(to_fail), "unchanged": unchanged, "paid_amount": paid_amount,
            "value_date": when, "state": batch.state})
    return summary


@transaction.atomic
def batch_cancel(*, batch: PaymentBatch, actor: Any, reason: str) -> PaymentBatch:
    """Cancel a batch before it reaches the bank; an approved batch's reservations are voided."""
    from baesang.ledger.services import pendings_resolve

    _require_role(actor, [roles.FINANCE_OFFICER, roles.APPROVER], "cancelling a payment batch")
    if not (reason or "").strip():
        raise IllegalTransition("say why the batch is cancelled", field="reason")
    batch = _lock_batch(batch)
    if batch.state not in (PaymentBatch.PREPARED, PaymentBatch.APPROVED):
        raise IllegalTransition(f"batch {batch.pk} is {batch.state}; once exported, the bank's result decides each "
                                "line (import it with failures to release the money)")
    old = batch.state
    if old == PaymentBatch.APPROVED:
        ids = list(BatchLine.objects.filter(batch=batch, state=BatchLine.RESERVED).values_list("pk", flat=True))
        if ids:
            pendings_resolve(posts=[], voids=[(bookings.line_transfer_id(i, "void"),
                                               bookings.line_transfer_id(i, "reserve")) for i in ids],
                             user=actor if getattr(actor, "pk", None) else None, value_date=batch.payment_date)
    BatchLine.objects.filter(batch=batch).update(state=BatchLine.CANCELLED)
    batch.state = PaymentBatch.CANCELLED
    batch.save(update_fields=["state"])
    audit_record(actor=actor, action="batch.cancel", entity=batch, old={"state": old},
                 new={"state": PaymentBatch.CANCELLED}, note=reason)
    return batch


def batch_lines_filter(batch: PaymentBatch, state: str | None = None):
    query = BatchLine.objects.filter(batch=batch)
    return query.filter(state=state) if state else query


__all__ = [
    "BankFile", "BankResult", "ImportSummary", "bank_results_parse", "batch_approve", "batch_cancel", "batch_export",
    "batch_prepare", "batch_result_import", "claim_offers_make", "consent_revoke", "deposit_decide", "deposit_file",
    "holding_part", "offer_accept", "offer_make", "offer_refuse", "offer_withdraw",
]
