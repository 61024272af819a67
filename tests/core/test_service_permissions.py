"""Every service that writes obeys the permission table (baesang/core/permissions.py).

For each writing service and each staff role (and no user, and a user without a role), the
service is called with nothing else of use: a role the table refuses must get
``ActionNotPermitted`` and change nothing (no audit row, no access-log row); a role the table
allows must get past the check (whatever else the empty call then breaks). A second test finds
every public function of the services modules that takes an acting user and fails for one
that is neither walked here nor listed as a building block with its reason — so a new service
cannot skip the table unnoticed.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable

import pytest
from factories import staff_user

from baesang.cases import holdings, merging, reading
from baesang.cases import services as cases
from baesang.core.models import AuditEvent
from baesang.core.permissions import MATRIX, ROLE_ORDER, ActionNotPermitted
from baesang.creditors import passkeys as creditor_passkeys
from baesang.creditors import services as creditors
from baesang.creditors.errors import PortalNotPermitted
from baesang.donations import services as donations
from baesang.judgments import matching
from baesang.judgments import services as registry
from baesang.ledger import services as ledger
from baesang.pii import rotation
from baesang.pii import services as pii
from baesang.pii.models import PersonalDataAccess
from baesang.staff import signin, tokens

#: (service, action of the table, name of its acting-user argument, extra arguments)
SERVICES: list[tuple[Callable, str, str, dict]] = [
    (registry.court_ensure, "manage_judgments", "actor", {}),
    (registry.debtor_ensure, "manage_judgments", "actor", {}),
    (registry.judgment_create, "manage_judgments", "actor", {}),
    (registry.judgment_register, "manage_judgments", "actor", {}),
    (registry.person_create, "manage_judgments", "actor", {}),
    (registry.person_update, "manage_judgments", "actor", {}),
    (registry.claim_create, "manage_judgments", "actor", {}),
    (registry.claim_register, "manage_judgments", "actor", {}),
    (registry.document_store, "store_document", "actor", {}),
    (registry.document_file, "store_document", "actor", {}),
    (holdings.claim_register, "manage_judgments", "actor", {}),
    (holdings.claim_holders_plaintiff, "manage_judgments", "actor", {}),
    (reading.judgment_register_from_text, "manage_judgments", "actor", {}),
    (holdings.holders_propose_family, "propose_holder_change", "actor", {}),
    (holdings.holders_propose_document, "propose_holder_change", "actor", {}),
    (holdings.account_change_propose, "propose_holder_change", "actor", {}),
    (holdings.holder_change_approve, "approve_holder_change", "actor", {}),
    (holdings.holder_change_reject, "approve_holder_change", "actor", {}),
    (registry.person_death_record, "record_death", "actor", {}),
    (matching.persons_match, "match_persons", "actor", {}),
    (matching.register_entries_link, "match_persons", "actor", {}),
    (merging.persons_merge, "decide_duplicates", "actor", {}),
    (merging.persons_merge_reverse, "reverse_person_merge", "actor", {}),
    (merging.duplicate_pair_decide, "decide_duplicates", "actor", {}),
    (cases.offer_make, "record_consent", "actor", {}),
    (cases.claim_offers_make, "record_consent", "actor", {}),
    (cases.offer_accept, "record_consent", "actor", {}),
    (cases.offer_refuse, "record_consent", "actor", {}),
    (cases.offer_withdraw, "record_consent", "actor", {}),
    (cases.consent_revoke, "record_consent", "actor", {}),
    (cases.deposit_file, "manage_deposits", "actor", {}),
    (cases.deposit_decide, "manage_deposits", "actor", {}),
    (cases.limitation_event_record, "record_limitation", "actor", {}),
    (cases.batch_prepare, "prepare_batch", "preparer", {}),
    (cases.batch_approve, "approve_batch", "approver", {}),
    (cases.batch_export, "execute_batch", "actor", {}),
    (cases.batch_result_import, "reconcile_batch", "actor", {}),
    (cases.batch_cancel, "cancel_batch", "actor", {}),
    (cases.statement_disclose, "print_statement", "actor", {}),
    (donations.donor_create, "record_donation", "user", {}),
    (donations.pledge_create, "record_donation", "user", {}),
    (donations.pledge_withdraw, "record_donation", "user", {}),
    (donations.donations_import, "record_donation", "user", {}),
    (donations.donation_record, "record_donation", "user", {}),
    (donations.receipt_issue, "record_donation", "user", {}),
    (donations.receipts_issue, "record_donation", "user", {}),
    (donations.receipt_print_record, "view_donations", "actor", {}),
    (donations.donation_reversal_propose, "propose_donation_reversal", "actor", {}),
    (donations.donation_reversal_approve, "approve_donation_reversal", "approver", {}),
    (donations.donation_reversal_reject, "approve_donation_reversal", "approver", {}),
    (ledger.transfer_create, "book_ledger", "user", {}),
    (ledger.transfers_create, "book_ledger", "user", {}),
    (ledger.journal_stream_create, "book_ledger", "user", {}),
    (ledger.pending_post, "book_ledger", "user", {}),
    (ledger.pending_void, "book_ledger", "user", {}),
    (ledger.pendings_resolve, "book_ledger", "user", {}),
    (ledger.ledger_checkpoint_create, "checkpoint_ledger", "actor", {}),
    (pii.pii_reveal, "reveal_personal_data", "user", {"kind": "rrn", "field": "rrn"}),
    (pii.pii_reveal, "reveal_bank_account", "user", {"kind": "bank_account", "field": "bank_account"}),
    (rotation.field_key_rotate, "rotate_field_key", "actor", {}),
    (tokens.api_token_create, "manage_api_tokens", "actor", {}),
    (tokens.api_token_revoke, "manage_api_tokens", "actor", {}),
    (signin.second_factor_reset, "manage_users", "actor", {}),
    (creditors.portal_invite, "invite_creditors", "actor", {}),
    (creditors.portal_revoke, "invite_creditors", "actor", {}),
    (creditors.portal_request_decide, "decide_portal_requests", "actor", {}),
]

#: Public functions that take an acting user but are building blocks or self-service, with why.
NOT_WALKED: dict[str, str] = {
    "baesang.ledger.services.account_create": "the chart of accounts is configuration, made once like a migration",
    "baesang.ledger.services.account_ensure": "the chart of accounts is configuration, made once like a migration",
    "baesang.staff.tokens.api_token_bootstrap": "the installation's operator on the machine's shell; audited",
    "baesang.staff.signin.second_factor_begin": "a user enrols their own second factor while signing in",
    "baesang.staff.signin.second_factor_verify": "a user proves their own second factor while signing in",
    "baesang.staff.signin.second_factor_set_demo": "the demo loader only (refused in production)",
    "baesang.pii.services.can_reveal": "reads the table; changes nothing",
    "baesang.pii.services.can_read_access_log": "reads the table; changes nothing",
    "baesang.cases.services.indemnity_bookings": "computes ledger specs for batch_result_import; writes nothing",
    "baesang.creditors.services.portal_request_submit": "a creditor's own request: the portal's check "
    "(creditors.access.portal_require), walked for every staff role by test_portal_services_refuse_every_staff_user",
    **{f"baesang.creditors.passkeys.{name}": "a creditor's own passkeys: the portal's check, walked for every staff "
       "role by test_portal_services_refuse_every_staff_user"
       for name in ("passkey_register_begin", "passkey_register_finish", "passkey_remove")},
}

#: Services a signed-in portal account uses: no staff user (nor nobody) ever passes their check.
PORTAL_SERVICES: list[Callable] = [creditors.portal_request_submit, creditor_passkeys.passkey_register_begin,
                                   creditor_passkeys.passkey_register_finish, creditor_passkeys.passkey_remove]

WALKED_MODULES = [registry, holdings, reading, merging, matching, cases, donations, ledger, pii, rotation, tokens,
                  signin, creditors, creditor_passkeys]
ACTOR_NAMES = {"actor", "user", "preparer", "approver"}
CASES = [(service, action, arg, extra, role) for service, action, arg, extra in SERVICES
         for role in (*ROLE_ORDER, "no role", "nobody")]


@pytest.fixture
def users(db):
    found = {role: staff_user(f"walk-{role}", role) for role in ROLE_ORDER}
    found["no role"] = staff_user("walk-nobody")
    found["nobody"] = None
    return found


def _call(service: Callable, arg: str, actor, extra: dict) -> Exception | None:
    params = inspect.signature(service).parameters
    kwargs = {name: None for name, p in params.items()
              if p.kind == p.KEYWORD_ONLY and p.default is p.empty and name != arg}
    kwargs.update(extra)
    kwargs[arg] = actor
    try:
        service(**kwargs)
    except Exception as error:  # noqa: BLE001 - an empty call breaks somewhere; only the check matters
        return error
    return None


@pytest.mark.parametrize(("service", "action", "arg", "extra", "role"), CASES,
                         ids=[f"{s.__module__.rsplit('.', 1)[-1]}.{s.__name__}-{r}" for s, _a, _g, _e, r in CASES])
def test_every_writing_service_obeys_the_table(users, service, action, arg, extra, role):
    audit_before = AuditEvent.objects.count()
    access_before = PersonalDataAccess.objects.count()
    error = _call(service, arg, users[role], extra)
    allowed = role in MATRIX[action].roles
    if allowed:
        assert not isinstance(error, ActionNotPermitted), f"{role} is allowed {action} but was refused: {error}"
    else:
        assert isinstance(error, ActionNotPermitted), f"{role} must be refused {action}; got {error!r}"
        assert error.action == action
        assert AuditEvent.objects.count() == audit_before
        assert PersonalDataAccess.objects.count() == access_before


def test_every_service_taking_an_acting_user_is_walked_or_explained():
    walked = {f"{s.__module__}.{s.__name__}" for s, *_ in SERVICES}
    missing = []
    for module in WALKED_MODULES:
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("_") or function.__module__ != module.__name__:
                continue
            params = inspect.signature(function).parameters
            if not ACTOR_NAMES & {n for n, p in params.items() if p.kind == p.KEYWORD_ONLY}:
                continue
            qualified = f"{module.__name__}.{name}"
            if qualified not in walked and qualified not in NOT_WALKED:
                missing.append(qualified)
    assert not missing, f"services taking an acting user but not walked against the table: {missing}"


@pytest.mark.parametrize("service", PORTAL_SERVICES, ids=[s.__name__ for s in PORTAL_SERVICES])
def test_portal_services_refuse_every_staff_user(users, service):
    audit_before = AuditEvent.objects.count()
    for role in (*ROLE_ORDER, "no role", "nobody"):
        error = _call(service, "actor", users[role], {})
        assert isinstance(error, PortalNotPermitted), f"{role} must be refused {service.__name__}; got {error!r}"
    assert AuditEvent.objects.count() == audit_before
