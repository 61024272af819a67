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
- Never paid twice: the state machine, a partial unique index on live lines per holding (the
  unit of payment; a person's later share of the same claim is another holding), and transfer
  ids derived from line ids (a re-run books nothing twice).
- Batches are handled set-wise: bulk inserts, one UPDATE per state change, the ledger's
  set-wise journals — never a query per line.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import Any, BinaryIO, NamedTuple

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from psycopg.types.json import Jsonb

from baesang.calc.interest import InterestError, JudgmentOrder, Segment
from baesang.calc.limitation import INDEMNITY as LIMITATION_INDEMNITY
from baesang.calc.limitation import JUDGMENT as LIMITATION_JUDGMENT
from baesang.calc.limitation import LimitationError, explain_limitation
from baesang.calc.limitation import LimitationEvent as LimitationEngineEvent
from baesang.cases import bookings
from baesang.cases.dates import payment_date_latest
from baesang.cases.errors import (
    AlreadyPaid,
    BankDateInFuture,
    BankResultInvalid,
    ConsentNotVerified,
    DuplicateUndecided,
    EmptyBatch,
    FourEyesViolation,
    HoldingNotCurrent,
    IllegalTransition,
    InsufficientFund,
    InvalidDate,
    InvalidDeposit,
    InvalidLimitationEvent,
    PaymentDateTooFar,
)
from baesang.cases.holdings import accounts_changed_recently, claims_state_refresh, holder_parts
from baesang.cases.merging import persons_awaiting_duplicate_decision
from baesang.cases.models import (
    BatchClaim,
    BatchLine,
    ClaimHolding,
    ConsentVerification,
    CourtDeposit,
    IndemnityClaim,
    LimitationEvent,
    Offer,
    PaymentBatch,
)
from baesang.cases.selectors import holding_events, waiting_order_by, waiting_policy
from baesang.core.permissions import Actor, actor_name, actor_user, permission_require
from baesang.core.pgarrays import int_array, text_array
from baesang.core.progress import Progress, progress_none
from baesang.core.services import audit_record
from baesang.core.spreadsheets import BOM, neutralise
from baesang.judgments.models import Claim, ClaimSegment, Court, Debtor, Document
from baesang.judgments.orders import (
    OrderMemo,
    claim_amount_due,
    claim_basis,
    limitation_date,
    rounding_policy,
)
from baesang.judgments.services import Upload, _court_ensure, _upload_store
from baesang.judgments.setwise import ids_in
from baesang.ledger.errors import LimitExceeded
from baesang.ledger.models import Account
from baesang.ledger.services import pending_post, pending_void, pendings_resolve, transfers_create
from baesang.pii.fields import reveal
from baesang.pii.masking import redact_text
from baesang.pii.services import pii_reveal

CHUNK = 5000


class PayableHolding(NamedTuple):
    """An accepted current holding that a batch may pay, with its share of the claim."""

    holding_id: int
    claim_id: int
    holder_id: int
    share_numerator: int
    share_denominator: int


class HolderBasis(NamedTuple):
    """A holding's share and the basis of the holder change that made it (for claim_basis)."""

    share: Fraction
    basis: str


class LineAtBank(NamedTuple):
    """A payment line as the bank's answer finds it."""

    line_id: int
    state: str
    amount: int
    claim_id: int
    holding_id: int
    debtor_id: int


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
        raise InvalidDate(f"claim {claim}: {exc.message}", field="date") from exc
    shares = {pk: Fraction(n, d) for pk, n, d in ClaimHolding.objects.filter(
        claim=claim, superseded_at__isnull=True).values_list("pk", "share_numerator", "share_denominator")}
    return holder_parts(due, shares)[holding.pk], due


# --------------------------------------------------------------------------- offers


@transaction.atomic
def offer_make(*, holding: ClaimHolding, offered_on: date, actor: Actor, channel: str = "visit") -> Offer:
    """Offer a holder their part of the judgment money (amount quoted as of the offer date).
    A refuser may be offered again once no court deposit of theirs is live."""
    permission_require(actor, "record_consent")
    holding = _current_holding(holding)
    if holding.state not in (ClaimHolding.PENDING, ClaimHolding.REFUSED):
        raise IllegalTransition(
            f"{holding.holder} ({holding.claim}) is {holding.state}: an offer is made to a holder without an answer "
            "yet or to one who refused")
    if holding.holder.death_date is not None and holding.holder.death_date <= offered_on:
        raise IllegalTransition(
            f"{holding.holder} died on {holding.holder.death_date}: record their heirs as holders of "
            f"{holding.claim} first (claim holders from a family file)")
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


def claim_offers_make(*, claim: Claim, offered_on: date, actor: Actor, channel: str = "visit") -> list[Offer]:
    """Offer their part to every current holder of the claim who has no offer yet, or who
    refused and has no live court deposit (a refuser may accept later)."""
    permission_require(actor, "record_consent")
    with transaction.atomic():
        holdings = list(ClaimHolding.objects.filter(
            claim=claim, superseded_at__isnull=True, state__in=(ClaimHolding.PENDING, ClaimHolding.REFUSED)).exclude(
            deposits__state__in=CourtDeposit.LIVE).order_by("pk"))
        if not holdings:
            raise IllegalTransition(f"claim {claim} has no holder to offer to (every holder has an open offer, "
                                    "accepted, was paid or has a live court deposit)")
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
    *, offer: Offer, actor: Actor, verified_on: date, identity_method: str, capacity: str, witness_name: str,
    form_document: Document | None = None, representative_name: str = "",
    representative_document: Document | None = None, form_upload: Upload | None = None,
    representative_upload: Upload | None = None,
) -> ConsentVerification:
    """Record a holder's acceptance with its verification. Nobody accepts for a holder
    without the record: identity checked, capacity (the holder in person, or a guardian or
    court-appointed proxy with the court document), a witness and the signed form. The signed
    form (and the court document appointing a representative) may be uploaded in the same step;
    they are stored with the consent, or not at all."""
    permission_require(actor, "record_consent")
    offer = _open_offer(offer)
    holding = _current_holding(offer.holding)
    holder = holding.holder
    if form_upload is not None:
        form_document = _upload_store(form_upload, kind=Document.CONSENT_FORM, actor=actor, person=holder)
    if representative_upload is not None:
        representative_document = _upload_store(
            representative_upload, actor=actor,
            kind=Document.GUARDIANSHIP if capacity == ConsentVerification.GUARDIAN else Document.COURT_DECISION)
    problems: dict[str, str] = {}  # code → English detail (the Korean sentence is the catalogue's)
    if identity_method not in IDENTITY_METHODS:
        problems["identity_method"] = (f"identity check {identity_method!r} is not one of "
                                       f"{', '.join(sorted(IDENTITY_METHODS))}")
    if not (witness_name or "").strip():
        problems["witness"] = "a witness must be named"
    if form_document is None or form_document.kind != Document.CONSENT_FORM:
        problems["form"] = "the signed consent form (a document of kind consent_form) is required"
    if verified_on < offer.offered_on:
        problems["before_offer"] = f"verified on {verified_on}, before the offer of {offer.offered_on}"
    if holder.death_date is not None and holder.death_date <= verified_on:
        problems["holder_dead"] = (f"{holder} died on {holder.death_date}; their heirs must be recorded as holders "
                                   "first")
    if capacity == ConsentVerification.SELF:
        if holder.needs_representative:
            problems["needs_representative"] = (f"{holder} cannot decide alone: only a guardian or a court-appointed "
                                                "proxy may consent")
        if representative_name or representative_document:
            problems["self_names_representative"] = "a consent in person names no representative"
    elif capacity in (ConsentVerification.GUARDIAN, ConsentVerification.PROXY):
        if not (representative_name or "").strip():
            problems["representative_name"] = f"the {capacity} must be named"
        if representative_document is None or representative_document.kind not in REPRESENTATIVE_DOCUMENT_KINDS:
            problems["representative_document"] = (f"a {capacity} needs the court document appointing them "
                                                    "(a document of kind court_decision or guardianship)")
    else:
        problems["capacity"] = f"capacity {capacity!r} is not one of self, guardian, proxy"
    if problems:
        raise ConsentNotVerified(
            f"the acceptance of {holder} ({holding.claim}) cannot be recorded: " + "; ".join(problems.values()),
            field="consent", params={"holder": str(holder), "problems": list(problems)})
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
def offer_refuse(*, offer: Offer, actor: Actor, refused_on: date, reason: str = "") -> Offer:
    """Record that a holder refused the foundation's money (수령 거부)."""
    permission_require(actor, "record_consent")
    offer = _open_offer(offer)
    holding = _current_holding(offer.holding)
    if refused_on < offer.offered_on:
        raise InvalidDate(f"refused on {refused_on}, before the offer of {offer.offered_on}", field="date")
    offer.state, offer.answered_on, offer.refusal_reason = Offer.REFUSED, refused_on, reason
    offer.save(update_fields=["state", "answered_on", "refusal_reason"])
    holding.state = ClaimHolding.REFUSED
    holding.save(update_fields=["state"])
    claims_state_refresh(claim_ids=[holding.claim_id])
    audit_record(actor=actor, action="offer.refuse", entity=offer, old={"state": Offer.OPEN},
                 new={"state": Offer.REFUSED, "refused_on": refused_on}, note=reason)
    return offer


@transaction.atomic
def offer_withdraw(*, offer: Offer, actor: Actor, on: date, reason: str) -> Offer:
    permission_require(actor, "record_consent")
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
def consent_revoke(*, consent: ConsentVerification, actor: Actor, reason: str) -> ConsentVerification:
    """Void a consent found defective (e.g. signed by relatives without the holder's knowledge).
    The holder is back to 'no answer'; a consent behind a payment line in progress or paid
    cannot be revoked here."""
    permission_require(actor, "record_consent")
    if not (reason or "").strip():
        raise ConsentNotVerified("say why the consent is revoked", field="reason")
    consent = ConsentVerification.objects.select_for_update().get(pk=consent.pk)
    if consent.revoked_at is not None:
        raise IllegalTransition(f"consent {consent.pk} was already revoked")
    holding = _current_holding(consent.holding)
    line = BatchLine.objects.filter(consent=consent, state__in=BatchLine.LIVE).first()
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
    bank = Account.objects.filter(code=bookings.BANK_ACCOUNT).first()
    if bank is None:
        return 0
    return bank.debits_posted - bank.credits_posted - bank.credits_pending


@transaction.atomic
def deposit_file(*, holding: ClaimHolding, filed_on: date, actor: Actor, court: Court | None = None,
                 court_name: str = "", deposit_number: str = "", note: str = "") -> CourtDeposit:
    """File a court deposit (변제공탁) of a refusing holder's part, to the day of filing. The
    money is reserved in the ledger until the deposit office decides. The deposit office is a
    registered court or, by name, registered in the same step."""
    permission_require(actor, "manage_deposits")
    if court is None:
        court = _court_ensure(name=court_name, actor=actor)
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


def _book(specs: list, *, actor: Actor, what: str) -> None:
    try:
        transfers_create(specs=specs, user=actor_user(actor), returning=False)
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
def deposit_decide(*, deposit: CourtDeposit, outcome: str, decided_on: date, actor: Actor,
                   document: Document | None = None, upload: Upload | None = None, deposit_number: str = "",
                   note: str = "") -> CourtDeposit:
    """Record what the deposit office or court decided, and move the money accordingly:
    accepted (수리) → the reserved money goes to deposits held, the holder's part is settled
    and an indemnity claim is recorded; refused (불수리) → the reservation is released;
    objection filed / dismissed → no money moves; accepted on objection → the money is paid
    in then; returned (회수) → the money comes back and the indemnity claim is cancelled."""
    permission_require(actor, "manage_deposits")
    deposit = CourtDeposit.objects.select_for_update().select_related(
        "holding__claim__judgment__debtor", "holding__holder").get(pk=deposit.pk)
    if upload is not None:
        document = _upload_store(upload, kind=Document.COURT_DECISION, actor=actor, person=deposit.holding.holder)
    allowed = DEPOSIT_TRANSITIONS.get(deposit.state, set())
    if outcome not in allowed:
        raise IllegalTransition(
            f"court deposit {deposit.pk} is {deposit.state}; it can become "
            f"{', '.join(sorted(allowed)) or 'nothing else'}, not {outcome}", field="outcome")
    if decided_on < deposit.filed_on:
        raise InvalidDeposit(f"decided on {decided_on}, before the filing of {deposit.filed_on}", field="decided_on")
    holding = ClaimHolding.objects.select_for_update().get(pk=deposit.holding_id)
    old_state = deposit.state
    user = actor_user(actor)
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
        deposit.accepted_on = decided_on
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
    deposit.save(update_fields=["state", "decided_on", "accepted_on", "decision_document", "deposit_number", "note"])
    claims_state_refresh(claim_ids=[claim.pk])
    audit_record(actor=actor, action=f"deposit.{outcome}", entity=deposit, old={"state": old_state},
                 new={"state": outcome, "decided_on": decided_on,
                      "document_sha256": document.sha256 if document else None}, note=note)
    return deposit


def _indemnity_for_deposit(deposit: CourtDeposit, claim: Claim, holding: ClaimHolding, on: date, actor: Actor) -> None:
    user = actor_user(actor)
    debtor = claim.judgment.debtor
    code = bookings.indemnity_account_code(debtor, user=user)
    transfer_id = bookings.deposit_transfer_id(deposit.pk, "indemnity")
    transfers_create(specs=[bookings.indemnity_record(
        transfer_id=transfer_id, account_code=code, amount=deposit.amount, value_date=on,
        description=f"indemnity for court deposit {deposit.pk}", journal=transfer_id)], user=user)
    IndemnityClaim.objects.create(debtor=debtor, claim=claim, holding=holding, deposit=deposit, amount=deposit.amount,
                                  arose_on=on, limitation_on=limitation_date(on), transfer_id=transfer_id)


# --------------------------------------------------------------------------- limitation


@transaction.atomic
def limitation_event_record(*, actor: Actor, kind: str, on: date, claim: Claim | None = None,
                            debtor: Debtor | None = None, ended_on: date | None = None, failed: bool = False,
                            document: Document | None = None, note: str = "") -> LimitationEvent:
    """Record an event that may interrupt limitation (시효중단, Civil Code Arts. 168-178): of a
    creditor's judgment claim (``claim``; ten years from the judgment becoming final, Art.
    165(1)) or of the foundation's indemnity claims against ``debtor`` (Art. 162(1)). Kinds: a
    new suit (Arts. 170, 178(2)), a seizure (Arts. 175-176), the debtor's acknowledgment (Art.
    177), a demand (Art. 174). The engine (:mod:`baesang.calc.limitation`) checks the event
    against the period before it is stored; what it does to the date is computed on reading."""
    permission_require(actor, "record_limitation")
    if (claim is None) == (debtor is None):
        raise InvalidLimitationEvent("name either the claim or the debtor (for the indemnity claims)", field="claim")
    kinds = [k for k, _ in LimitationEvent.KIND_CHOICES]
    if kind not in kinds:
        raise InvalidLimitationEvent(f"kind {kind!r} is not one of {', '.join(kinds)}", field="kind")
    if ended_on is not None and kind not in (LimitationEvent.SUIT, LimitationEvent.SEIZURE):
        raise InvalidLimitationEvent(f"only a suit or a seizure has an end date (got {kind})", field="ended_on")
    if claim is not None:
        claim = Claim.objects.select_related("judgment").get(pk=claim.pk)
        start, which = claim.judgment.final_on, LIMITATION_JUDGMENT
    else:
        first = IndemnityClaim.objects.filter(debtor=debtor).order_by("arose_on").values_list(
            "arose_on", flat=True).first()
        if first is None:
            raise InvalidLimitationEvent(f"the foundation has no indemnity claim against {debtor}", field="debtor")
        start, which = first, LIMITATION_INDEMNITY
    try:
        explain_limitation(start, [LimitationEngineEvent(kind=kind, on=on, ended_on=ended_on, failed=failed)],
                           claim=which)
    except LimitationError as exc:
        raise InvalidLimitationEvent(exc.message, field=exc.field or "on") from exc
    event = LimitationEvent.objects.create(claim=claim, debtor=debtor, kind=kind, on=on, ended_on=ended_on,
                                           failed=failed, document=document, note=note.strip(), recorded_by=actor)
    audit_record(actor=actor, action="limitation.record", entity=event, new={
        "claim": claim.pk if claim else None, "debtor": debtor.pk if debtor else None, "kind": kind, "on": on,
        "ended_on": ended_on, "failed": failed, "document_sha256": document.sha256 if document else None})
    return event


# --------------------------------------------------------------------------- payment batches


class JsonText(str):
    """A JSON value already written as text (PostgreSQL's COPY takes it as is)."""


def _bulk_insert(model, fields: Sequence[str], rows: Sequence[tuple]) -> None:
    """Insert many rows of plain values (``fields`` are attribute names, e.g. ``claim_id``)
    set-wise: PostgreSQL's COPY, elsewhere batched INSERTs. Ids are not returned (read them
    back by a natural key)."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create((model(**dict(zip(fields, row, strict=True))) for row in rows), batch_size=CHUNK)
        return
    meta = model._meta
    by_attname = {f.attname: f for f in meta.concrete_fields}
    json_at = [i for i, name in enumerate(fields) if by_attname[name].get_internal_type() == "JSONField"]
    names = ", ".join(f'"{by_attname[name].column}"' for name in fields)
    connection.ensure_connection()
    with connection.connection.cursor() as cursor, cursor.copy(f'COPY "{meta.db_table}" ({names}) FROM STDIN') as copy:
        for row in rows:
            if json_at:
                row = list(row)
                for i in json_at:
                    if not isinstance(row[i], JsonText):
                        row[i] = Jsonb(row[i])
            copy.write_row(row)


def _bulk_set(model, ids: Sequence[int], values: dict[str, Any], texts: dict[int, str] | None = None,
              text_column: str = "") -> None:
    """``UPDATE model SET values (and text_column per row from texts) WHERE id IN ids`` in one
    statement on PostgreSQL (the ids as one array), in chunks elsewhere."""
    if not ids:
        return
    table = model._meta.db_table
    if connection.vendor == "postgresql":
        assignments = ", ".join(f'"{column}" = %s' for column in values)
        params: list[Any] = list(values.values())
        with connection.cursor() as cursor:
            if text_column:
                assignments += f', "{text_column}" = COALESCE(v.text, "{table}"."{text_column}")'
                cursor.execute(
                    f'UPDATE "{table}" SET {assignments} FROM unnest(%s::bigint[], %s::text[]) AS v(id, text) '
                    f'WHERE "{table}".id = v.id',
                    [*params, int_array(ids), text_array([(texts or {}).get(i) for i in ids])])
            else:
                cursor.execute(f'UPDATE "{table}" SET {assignments} FROM unnest(%s::bigint[]) AS v(id) '
                               f'WHERE "{table}".id = v.id', [*params, int_array(ids)])
        return
    for chunk in _chunks(list(ids), 500):
        model.objects.filter(pk__in=chunk).update(**values)
    if text_column and texts:
        objects = []
        for pk, text in texts.items():
            obj = model(pk=pk)
            setattr(obj, text_column, text)
            objects.append(obj)
        model.objects.bulk_update(objects, [text_column], batch_size=500)


def _chunks(items: Sequence, size: int = CHUNK) -> Iterable[Sequence]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


@transaction.atomic
def batch_prepare(*, payment_date: date, preparer: Actor, claims: Iterable[Claim] | None = None,
                  limit: int | None = None, policy: str | None = None,
                  progress: Progress = progress_none) -> PaymentBatch:
    """Prepare a batch for ``payment_date``: one line per accepted current holder not yet paid
    nor in another open batch — the amount due on that date (principal + interest to the day)
    of the claim, apportioned to the won among all its current holders, with the calculation
    sheet. A fixed number of queries whatever the size.

    ``claims`` restricts the batch to some claims; ``limit`` to the first claims in waiting
    order (``policy``, by default ``BAESANG_WAITING_POLICY``: earliest final judgment first, or
    oldest living victim first). ``progress`` is told ("amounts", claims done, claims) and
    ("lines", lines written, lines).
    """
    permission_require(preparer, "prepare_batch")
    today = timezone.localdate()
    if payment_date > payment_date_latest(today):
        raise PaymentDateTooFar(
            f"payment date {payment_date.isoformat()} is more than a year after today ({today.isoformat()}); "
            f"the latest allowed is {payment_date_latest(today).isoformat()}", field="payment_date",
            params={"latest": payment_date_latest(today).isoformat(), "today": today.isoformat()})
    in_a_batch = BatchLine.objects.filter(holding_id=OuterRef("pk"), state=BatchLine.OPEN)
    eligible = ClaimHolding.objects.filter(state=ClaimHolding.ACCEPTED, superseded_at__isnull=True).exclude(
        Exists(in_a_batch))
    # The claims, in waiting order, with at least one holder to pay (limited in the database).
    chosen = Claim.objects.filter(Exists(eligible.filter(claim_id=OuterRef("pk")))).order_by(
        *waiting_order_by(policy or waiting_policy()))
    if claims is not None:
        chosen = chosen.filter(ids_in("pk", [c.pk for c in claims]))
    if limit is not None:
        chosen = chosen[:limit]
    info = {pk: (principal, method) for pk, principal, method in chosen.values_list("pk", "principal", "method")}
    ordered_ids = list(info)
    if not ordered_ids:
        raise EmptyBatch(f"no accepted holder is waiting for payment on {payment_date}: nothing to prepare")
    # Every current holding of those claims (the shares apportion the claim among all of them).
    all_shares: dict[int, dict[int, Fraction]] = defaultdict(dict)
    bases: dict[int, list[HolderBasis]] = defaultdict(list)
    rows: list[PayableHolding] = []
    fractions: dict[tuple[int, int], Fraction] = {}  # the few distinct shares, each built once (a gcd apiece)
    for pk, claim_id, holder_id, num, den, state, in_batch, change_basis in ClaimHolding.objects.filter(
            ids_in("claim_id", ordered_ids), superseded_at__isnull=True).annotate(in_batch=Exists(in_a_batch)) \
            .order_by().values_list("pk", "claim_id", "holder_id", "share_numerator", "share_denominator", "state",
                                    "in_batch", "change__basis"):
        share = fractions.get((num, den))
        if share is None:
            share = fractions[num, den] = Fraction(num, den)
        all_shares[claim_id][pk] = share
        bases[claim_id].append(HolderBasis(share, change_basis))
        if state == ClaimHolding.ACCEPTED and not in_batch:
            rows.append(PayableHolding(pk, claim_id, holder_id, num, den))
    # Never paid twice, with the holding as the unit (a person may hold a later share of the
    # same claim by another holding): no holding with a live line is paid again. The partial
    # unique index line_never_paid_twice refuses it in the database as well.
    paid_before = set(BatchLine.objects.filter(ids_in("holding_id", [r.holding_id for r in rows]),
                                               state__in=BatchLine.LIVE).order_by()
                      .values_list("holding_id", flat=True))
    paid = [r for r in rows if r.holding_id in paid_before]
    if paid:
        raise AlreadyPaid(f"holding {paid[0].holding_id} (person {paid[0].holder_id}, claim {paid[0].claim_id}) was "
                          f"already paid; {len(paid)} such holding(s) cannot be paid again; nothing was prepared",
                          field="holding")
    consents: dict[int, int] = {}
    for holding_id, consent_id in ConsentVerification.objects.filter(
            ids_in("holding_id", [r.holding_id for r in rows]), revoked_at__isnull=True).order_by().values_list(
            "holding_id", "pk"):
        consents[holding_id] = max(consent_id, consents.get(holding_id, 0))
    undecided = persons_awaiting_duplicate_decision(r.holder_id for r in rows)
    if undecided:
        named = ", ".join(f"person {pk} (pair {pair.pk})" for pk, pair in sorted(undecided.items())[:10])
        raise DuplicateUndecided(
            f"{len(undecided)} holder(s) may be the same person as someone already paid or in this batch: {named}; "
            "decide each pair in the duplicates queue first; nothing was prepared", field="holding",
            params={"persons": len(undecided)})
    missing = [r.holding_id for r in rows if r.holding_id not in consents]
    if missing:
        raise ConsentNotVerified(f"holding {missing[0]} is accepted but has no valid consent record "
                                 f"({len(missing)} in all); nothing was prepared", field="holding")
    segments: dict[int, list[Segment]] = defaultdict(list)
    for claim_id, start, end, rate in ClaimSegment.objects.filter(ids_in("claim_id", ordered_ids)).order_by(
            "claim_id", "position").values_list("claim_id", "start", "end", "rate"):
        segments[claim_id].append(Segment(start, end, rate))

    # A claim held whole by one holder carries that holder's earlier events (a refused or
    # withdrawn deposit changes nothing, Arts. 487-489; a part payment is applied by Art. 479).
    single = [next(iter(all_shares[c])) for c in ordered_ids if list(all_shares[c].values()) == [1]]
    events = holding_events(single, payment_date)
    rounding = rounding_policy()
    batch = PaymentBatch.objects.create(payment_date=payment_date, prepared_by=preparer, rounding=rounding)
    sheets: list[tuple] = []
    parts_by_claim = {}
    # Claims with the same order (principal, interest segments, method, basis) and no earlier
    # payment or deposit have the same amount due and sheet on the payment date: the engine
    # runs once per distinct order (the plaintiffs of one judgment mostly share theirs), and
    # its result is reused as is — the same inputs give the same output.
    memo = OrderMemo(payment_date)  # the engine once per distinct order (judgments.orders.OrderMemo)
    sheet_texts: dict[int, Any] = {}  # per amount due computed, its sheet as stored
    postgres = connection.vendor == "postgresql"
    for done, claim_id in enumerate(ordered_ids):
        if done % BATCH_PROGRESS_EVERY == 0:
            progress("amounts", done, len(ordered_ids))
        principal, method = info[claim_id]
        payments, deposits = ((), ())
        if list(all_shares[claim_id].values()) == [1]:
            payments, deposits = events.get(next(iter(all_shares[claim_id])), ((), ()))
        basis = claim_basis(bases[claim_id])
        try:
            due = memo.amount_due(JudgmentOrder(principal, tuple(segments[claim_id])), method=method,
                                  payments=payments, deposits=deposits, basis=basis)
        except InterestError as exc:
            raise InvalidDate(f"claim {claim_id}: {exc.message}", field="payment_date") from exc
        sheet = sheet_texts.get(id(due))
        if sheet is None:
            sheet = JsonText(json.dumps(due.as_json())) if postgres else due.as_json()
            if not (payments or deposits):  # the memo keeps this due alive: its id stays its own
                sheet_texts[id(due)] = sheet
        parts_by_claim[claim_id] = holder_parts(due, all_shares[claim_id])
        sheets.append((batch.pk, claim_id, due.principal, due.interest, due.total, sheet))
    progress("amounts", len(ordered_ids), len(ordered_ids))
    _bulk_insert(BatchClaim, ["batch_id", "claim_id", "principal", "interest", "total", "sheet"], sheets)
    sheet_ids = dict(BatchClaim.objects.filter(batch=batch).order_by().values_list("claim_id", "pk"))
    lines: list[tuple] = []
    total = 0
    position = {claim_id: n for n, claim_id in enumerate(ordered_ids)}
    for holding_id, claim_id, holder_id, num, den in sorted(rows, key=lambda r: (position[r.claim_id], r.holding_id)):
        part = parts_by_claim[claim_id][holding_id]
        if part.amount <= 0:
            continue
        total += part.amount
        lines.append((batch.pk, sheet_ids[claim_id], claim_id, holding_id, holder_id, consents[holding_id], num, den,
                      part.principal, part.interest, part.amount, BatchLine.OPEN, True, "", ""))
    _bulk_insert(BatchLine, ["batch_id", "batch_claim_id", "claim_id", "holding_id", "holder_id", "consent_id",
                             "share_numerator", "share_denominator", "principal_part", "interest_part", "amount",
                             "state", "live", "bank_reference", "failure_reason"], lines)
    progress("lines", len(lines), len(lines))
    batch.line_count, batch.total_amount = len(lines), total
    batch.save(update_fields=["line_count", "total_amount"])
    audit_record(actor=preparer, action="batch.prepare", entity=batch, new={
        "payment_date": payment_date, "lines": len(lines), "claims": len(ordered_ids), "total": total,
        "rounding": rounding})
    return batch


#: Claims between two progress reports of a batch's preparation.
BATCH_PROGRESS_EVERY = 1_000


def _lock_batch(batch: PaymentBatch) -> PaymentBatch:
    return PaymentBatch.objects.select_for_update().get(pk=batch.pk)


@transaction.atomic
def batch_approve(*, batch: PaymentBatch, approver: Actor, progress: Progress = progress_none) -> PaymentBatch:
    """Approve a prepared batch (four eyes: never its preparer) and reserve its money with
    pending ledger transfers, set-wise and all or none. Fails as a whole if the available
    fund is short, if a holder changed since preparation, or if a holder was paid meanwhile.
    Two approvers at once: the batch row is locked, the second finds it approved. ``progress``
    is told ("reserve", lines reserved, lines)."""
    permission_require(approver, "approve_batch")
    batch = _lock_batch(batch)
    if batch.state != PaymentBatch.PREPARED:
        raise IllegalTransition(f"batch {batch.pk} is {batch.state}; only a prepared batch can be approved")
    if batch.prepared_by_id == getattr(approver, "pk", None):
        raise FourEyesViolation(f"batch {batch.pk} was prepared by {actor_name(approver)}, who cannot also approve it; "
                                "another approver must", field="approver")
    lines = BatchLine.objects.filter(batch=batch)
    stale = lines.filter(~Q(holding__state=ClaimHolding.ACCEPTED) | Q(holding__superseded_at__isnull=False)
                         | Q(consent__revoked_at__isnull=False))
    first = stale.values_list("pk", "holding_id", named=True).first()
    if first is not None:
        raise IllegalTransition(
            f"batch {batch.pk}: line {first.pk} (holding {first.holding_id}) is no longer an accepted current holder "
            f"({stale.count()} line(s) in all); cancel the batch and prepare a new one")
    # No other batch can hold an open or paid line for the same holding: the
    # database's partial unique index (line_never_paid_twice) refused it when it was prepared.
    available = _bank_available()
    if batch.total_amount > available:
        raise InsufficientFund(
            f"batch {batch.pk} needs {batch.total_amount:,} won but the fund has {available:,} won available; "
            "nothing was reserved (prepare a smaller batch or wait for donations)", field="total")
    bookings.chart_ready(user=approver)
    specs = [bookings.payment_reserve(line_id=pk, amount=amount, value_date=batch.payment_date, batch_id=batch.pk)
             for pk, amount in lines.order_by("pk").values_list("pk", "amount")]
    progress("reserve", 0, len(specs))
    _book(specs, actor=approver, what=f"batch {batch.pk}")
    progress("reserve", len(specs), len(specs))
    batch.state, batch.approved_by, batch.approved_at = PaymentBatch.APPROVED, approver, timezone.now()
    batch.save(update_fields=["state", "approved_by", "approved_at"])
    flagged = accounts_changed_recently(
        lines.filter(state=BatchLine.OPEN).values_list("holder_id", flat=True), batch.payment_date)
    audit_record(actor=approver, action="batch.approve", entity=batch, old={"state": PaymentBatch.PREPARED},
                 new={"state": PaymentBatch.APPROVED, "reserved": batch.total_amount, "lines": len(specs),
                      "recent_account_changes": {str(pk): day for pk, day in sorted(flagged.items())}})
    return batch


EXPORT_COLUMNS = ["line", "reference", "claim", "holder", "bank", "account", "amount"]
RESULT_COLUMNS = ["line", "amount", "status", "bank_reference", "reason"]


@dataclass(frozen=True)
class BankFile:
    """A bank transfer file as written: its batch, SHA-256, line count and the binary file holding
    its bytes (UTF-8), positioned at its start. A large file is read with :meth:`text_lines` or
    streamed from ``file``; :attr:`content` reads it whole (a small batch: the demo, tests)."""

    batch_id: int
    sha256: str
    lines: int
    file: BinaryIO

    def text_lines(self) -> Iterator[str]:
        """The file's lines as text (each with its ``\n``), read one at a time from the start."""
        self.file.seek(0)
        for line in self.file:
            yield line.decode("utf-8")

    @property
    def content(self) -> str:
        self.file.seek(0)
        return self.file.read().decode("utf-8")


def _bank_file_write(batch: PaymentBatch, out: BinaryIO, progress: Progress) -> tuple[str, int]:
    """Write the bank file of ``batch`` to ``out`` :data:`CHUNK` lines at a time (the lines from a
    server-side cursor on PostgreSQL, their bank accounts decrypted a chunk at a time), its SHA-256
    computed as written: memory stays flat whatever the batch's size. Returns (sha256, lines)."""
    digest = hashlib.sha256()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    count = 0

    def flush() -> None:
        data = buffer.getvalue().encode("utf-8")
        digest.update(data)
        out.write(data)
        buffer.seek(0)
        buffer.truncate()

    query = BatchLine.objects.filter(batch=batch, state=BatchLine.OPEN).order_by("pk").values_list(
        "pk", "claim__judgment__case_number", "claim__position", "holder__name_hangul", "holder__bank_name",
        "holder__bank_account", "amount")
    for pk, case_number, position, name, bank, account, amount in query.iterator(chunk_size=CHUNK):
        # A text cell beginning with =, +, -, @ gets a leading apostrophe (never a live formula);
        # every other cell is written as before, so a file re-exported is byte for byte the same.
        # (the same as core.spreadsheets.cell_value of each cell, with the types known: ids and
        # amounts are integers, the reference starts with a letter, the other cells are text).
        writer.writerow((pk, f"B{batch.pk}-L{pk}", neutralise(f"{case_number}#{position}"), neutralise(name or ""),
                         neutralise(bank or ""), neutralise(reveal(account) or ""), amount))
        count += 1
        if count % CHUNK == 0:
            flush()
            progress("export", count, batch.line_count)
    flush()
    out.flush()
    return digest.hexdigest(), count


def _log_bank_accounts_read(batch: PaymentBatch, actor: Actor, lines: int, channel: str) -> None:
    """The bank file holds every holder's account in full: one access-log row per export
    (Personal Information Protection Act Art. 29; only roles allowed bank accounts may export)."""
    pii_reveal(user=actor, entity_type="cases.paymentbatch", entity_id=str(batch.pk), field="bank_account",
               reason=f"bank transfer file of payment batch {batch.pk} ({lines} lines)", channel=channel, value="",
               kind="bank_account")


def batch_export(*, batch: PaymentBatch, actor: Actor, channel: str = "cli", progress: Progress = progress_none,
                 target: BinaryIO | None = None) -> BankFile:
    """The bank transfer file (CSV: line, reference, claim, holder, bank, account, amount) of
    an approved batch, written to ``target`` (a binary file; by default an anonymous temporary
    file, gone once closed) a chunk of lines at a time, never held whole in memory. Exporting
    again gives the same file (a retry after a crash) and is refused if it would differ. Each
    export is recorded in the personal-data access log. A text cell that a spreadsheet would
    run as a formula (a holder named ``=HYPERLINK(…)``) is written with a leading apostrophe
    (:func:`baesang.core.spreadsheets.cell_value`). ``progress`` is told ("export", lines
    written, lines). A caller writing a file for others (the command line's ``--out``) writes
    to a temporary file and moves it in place once the transaction commits."""
    permission_require(actor, "execute_batch")
    out = target if target is not None else tempfile.TemporaryFile()  # noqa: SIM115 (handed to the caller)
    try:
        bank_file = _batch_export(batch=batch, actor=actor, channel=channel, progress=progress, out=out)
    except BaseException:
        if target is None:
            out.close()
        raise
    if target is None:
        out.seek(0)
    return bank_file


@transaction.atomic
def _batch_export(*, batch: PaymentBatch, actor: Actor, channel: str, progress: Progress, out: BinaryIO
                  ) -> BankFile:
    batch = _lock_batch(batch)
    if batch.state not in (PaymentBatch.APPROVED, PaymentBatch.EXPORTED):
        raise IllegalTransition(f"batch {batch.pk} is {batch.state}; only an approved batch is sent to the bank")
    progress("export", 0, batch.line_count)
    sha256, lines = _bank_file_write(batch, out, progress)
    progress("export", lines, lines)
    bank_file = BankFile(batch.pk, sha256, lines, out)
    if batch.state == PaymentBatch.EXPORTED:
        if sha256 != batch.export_sha256:
            raise IllegalTransition(f"batch {batch.pk}: the bank file would differ from the one exported "
                                    f"(sha256 {batch.export_sha256[:12]}…); a holder's bank details changed")
        _log_bank_accounts_read(batch, actor, lines, channel)
        return bank_file
    _log_bank_accounts_read(batch, actor, lines, channel)
    batch.state, batch.exported_by, batch.exported_at = PaymentBatch.EXPORTED, actor, timezone.now()
    batch.export_sha256 = sha256
    batch.save(update_fields=["state", "exported_by", "exported_at", "export_sha256"])
    audit_record(actor=actor, action="batch.export", entity=batch, old={"state": PaymentBatch.APPROVED},
                 new={"state": PaymentBatch.EXPORTED, "sha256": sha256, "lines": lines})
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
    All or nothing: every bad row is named. A byte-order mark before the header (a file saved
    by Excel) is ignored."""
    # newline="": the csv reader itself ends rows at \n, \r\n or a lone \r (a file saved with old
    # Mac line ends); a line the csv module cannot read at all refuses the file like any bad row.
    reader = csv.DictReader(io.StringIO(text.removeprefix(BOM), newline=""))
    try:
        fieldnames = reader.fieldnames
        if fieldnames is None or [f.strip() for f in fieldnames][:3] != RESULT_COLUMNS[:3]:
            raise BankResultInvalid(f"the bank result file must start with the header {','.join(RESULT_COLUMNS)}",
                                    field="header")
        rows = list(reader)
    except csv.Error as exc:
        raise BankResultInvalid(f"the bank result file is not readable CSV (line {reader.line_num}: {exc}); "
                                "nothing was imported") from None
    results, problems = [], []
    for number, row in enumerate(rows, start=2):
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


def indemnity_bookings(batch: PaymentBatch, lines: list[LineAtBank], when: date, user: Any = None
                       ) -> tuple[list, list]:
    """The ledger transfers (one per debtor, a summary posting) and the indemnity claim rows (one
    per line) for paid ``lines``. Transfer ids derive from the batch, the debtor and the lines: a
    re-run books nothing twice."""
    by_debtor: dict[int, list[LineAtBank]] = defaultdict(list)
    for line in lines:
        by_debtor[line.debtor_id].append(line)
    debtors = {d.pk: d for d in Debtor.objects.filter(pk__in=list(by_debtor))}
    limitation = limitation_date(when)
    journal = "batch-{}-paid-{}".format(batch.pk, hashlib.sha256(
        ",".join(str(i) for i in sorted(line.line_id for line in lines)).encode()).hexdigest()[:16])
    specs, rows = [], []
    for debtor_id, debtor_lines in sorted(by_debtor.items()):
        debtor = debtors[debtor_id]
        line_ids = sorted(line.line_id for line in debtor_lines)
        digest = hashlib.sha256(",".join(map(str, line_ids)).encode()).hexdigest()[:16]
        transfer_id = f"batch-{batch.pk}-indemnity-{debtor.code}-{digest}"
        specs.append(bookings.indemnity_record(
            transfer_id=transfer_id, account_code=bookings.indemnity_account_code(debtor, user=user),
            amount=sum(line.amount for line in debtor_lines), value_date=when,
            description=f"indemnity against {debtor.code}: {len(line_ids)} line(s), batch {batch.pk}",
            journal=journal))
        rows.extend((debtor_id, line.claim_id, line.holding_id, line.line_id, None, line.amount, when, limitation,
                     transfer_id,
                     IndemnityClaim.OPEN) for line in debtor_lines)
    return specs, rows


def _indemnities_for_lines(batch: PaymentBatch, lines: list[LineAtBank], when: date, user: Any) -> int:
    specs, rows = indemnity_bookings(batch, lines, when, user)
    transfers_create(specs=specs, user=user, returning=False)
    _bulk_insert(IndemnityClaim, ["debtor_id", "claim_id", "holding_id", "line_id", "deposit_id", "amount",
                                  "arose_on", "limitation_on", "transfer_id", "state"], rows)
    return sum(line.amount for line in lines)


@transaction.atomic
def batch_result_import(*, batch: PaymentBatch, results: Sequence[BankResult], actor: Actor,
                        value_date: date | None = None, progress: Progress = progress_none) -> ImportSummary:
    """Import the bank's answer: each paid line's pending transfer is posted and an indemnity
    claim recorded; each failed line's reservation is voided (the holder stays accepted for a
    later batch). Re-importing the same answer changes nothing; a contradicting one is refused.
    When no line is left at the bank, the batch is settled. ``progress`` is told ("check",
    results checked, results) and ("book", lines booked, lines)."""
    permission_require(actor, "reconcile_batch")
    batch = _lock_batch(batch)
    if batch.state not in (PaymentBatch.EXPORTED, PaymentBatch.SETTLED):
        raise IllegalTransition(f"batch {batch.pk} is {batch.state}; bank results are imported for an exported batch")
    when = value_date or batch.payment_date
    if when < batch.payment_date:
        raise BankResultInvalid(f"value date {when} is before the batch's payment date {batch.payment_date}")
    today = timezone.localdate()
    if when > today:
        raise BankDateInFuture(
            f"batch {batch.pk}: the bank result is dated {when.isoformat()}, after today ({today.isoformat()}); "
            "import it once the bank has paid, or give its value date", field="value_date",
            params={"field": "value_date", "today": today.isoformat()})
    seen: set[int] = set()
    for result in results:
        if result.line in seen:
            raise BankResultInvalid(f"line {result.line} appears twice in the bank result", field="line")
        seen.add(result.line)
    known: dict[int, LineAtBank] = {}
    for row in BatchLine.objects.filter(ids_in("pk", seen), batch=batch).order_by().values_list(
            "pk", "state", "amount", "claim_id", "holding_id", "claim__judgment__debtor_id"):
        known[row[0]] = LineAtBank(*row)
    problems = []
    to_pay: list[BankResult] = []
    to_fail: list[BankResult] = []
    unchanged = 0
    progress("check", 0, len(results))
    for result in results:
        line = known.get(result.line)
        if line is None:
            problems.append(f"line {result.line} is not in batch {batch.pk}")
            continue
        state, amount = line.state, line.amount
        if result.amount != amount:
            problems.append(f"line {result.line}: the bank reports {result.amount:,} won, the batch has {amount:,}")
        elif state == BatchLine.OPEN:
            (to_pay if result.status == "paid" else to_fail).append(result)
        elif state == result.status:
            unchanged += 1  # the same answer imported again
        else:
            problems.append(f"line {result.line} is already {state}; the bank now says {result.status}")
    if problems:
        raise BankResultInvalid(f"batch {batch.pk}: the bank result contradicts the batch; nothing was imported:\n"
                                + "\n".join(problems[:20]) + (f"\n… {len(problems) - 20} more" if len(problems) > 20
                                                              else ""))
    progress("check", len(results), len(results))
    progress("book", 0, len(to_pay) + len(to_fail))
    user = actor_user(actor)
    posts = [(bookings.line_transfer_id(r.line, "post"), bookings.line_transfer_id(r.line, "reserve")) for r in to_pay]
    voids = [(bookings.line_transfer_id(r.line, "void"), bookings.line_transfer_id(r.line, "reserve"))
             for r in to_fail]
    if posts or voids:
        pendings_resolve(posts=posts, voids=voids, user=user, value_date=when)
    paid_amount = 0
    if to_pay:
        paid_amount = _indemnities_for_lines(batch, [known[r.line] for r in to_pay], when, user)
        _bulk_set(BatchLine, [r.line for r in to_pay], {"state": BatchLine.PAID, "resolved_on": when},
                  {r.line: r.bank_reference for r in to_pay if r.bank_reference}, "bank_reference")
        _bulk_set(ClaimHolding, [known[r.line].holding_id for r in to_pay], {"state": ClaimHolding.PAID})
    if to_fail:
        _bulk_set(BatchLine, [r.line for r in to_fail], {"state": BatchLine.FAILED, "live": False, "resolved_on": when},
                  {r.line: r.reason[:200] for r in to_fail if r.reason}, "failure_reason")
    claims_state_refresh(claim_ids={known[r.line].claim_id for r in to_pay})
    progress("book", len(to_pay) + len(to_fail), len(to_pay) + len(to_fail))
    settled = not BatchLine.objects.filter(batch=batch, state=BatchLine.OPEN).exists()
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
def batch_cancel(*, batch: PaymentBatch, actor: Actor, reason: str) -> PaymentBatch:
    """Cancel a batch before it reaches the bank; an approved batch's reservations are voided."""
    permission_require(actor, "cancel_batch")
    if not (reason or "").strip():
        raise IllegalTransition("say why the batch is cancelled", field="reason")
    batch = _lock_batch(batch)
    if batch.state not in (PaymentBatch.PREPARED, PaymentBatch.APPROVED):
        raise IllegalTransition(f"batch {batch.pk} is {batch.state}; once exported, the bank's result decides each "
                                "line (import it with failures to release the money)")
    old = batch.state
    if old == PaymentBatch.APPROVED:
        ids = list(BatchLine.objects.filter(batch=batch, state=BatchLine.OPEN).values_list("pk", flat=True))
        if ids:
            pendings_resolve(posts=[], voids=[(bookings.line_transfer_id(i, "void"),
                                               bookings.line_transfer_id(i, "reserve")) for i in ids],
                             user=actor_user(actor), value_date=batch.payment_date)
    BatchLine.objects.filter(batch=batch, state=BatchLine.OPEN).update(state=BatchLine.CANCELLED, live=False)
    batch.state = PaymentBatch.CANCELLED
    batch.save(update_fields=["state"])
    audit_record(actor=actor, action="batch.cancel", entity=batch, old={"state": old},
                 new={"state": PaymentBatch.CANCELLED}, note=reason)
    return batch


@transaction.atomic
def statement_disclose(*, claim: Claim, actor: Actor, reason: str, channel: str, as_of: date, reference: str,
                       sha256: str, outstanding: int, holders: int, lang: str) -> None:
    """Record that a creditor's statement of ``claim`` was handed out: a personal-data
    disclosure (access log, with the reason; refused for a role that may not see personal data)
    and an audit row with the SHA-256 of the file given out, in one transaction."""
    permission_require(actor, "print_statement")
    pii_reveal(user=actor, entity_type="judgments.claim", entity_id=str(claim.pk), field="statement",
               reason=reason, channel=channel, value="", kind="name")
    audit_record(actor=actor, action="statement.issue", entity=claim, new={
        "as_of": as_of.isoformat(), "reference": reference, "sha256": sha256, "outstanding": outstanding,
        "holders": holders, "lang": lang}, note=redact_text(" ".join(reason.split()))[:200])


def batch_lines_filter(batch: PaymentBatch, state: str | None = None):
    query = BatchLine.objects.filter(batch=batch)
    return query.filter(state=state) if state else query


__all__ = [
    "BankFile", "BankResult", "ImportSummary", "bank_results_parse", "batch_approve", "batch_cancel", "batch_export",
    "batch_prepare", "batch_result_import", "claim_offers_make", "consent_revoke", "deposit_decide", "deposit_file",
    "holding_part", "offer_accept", "offer_make", "offer_refuse", "offer_withdraw",
]
