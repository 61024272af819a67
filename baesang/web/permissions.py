"""The permission matrix (권한표): which staff role may do which named action.

One declarative table, :data:`MATRIX`, decides every permission of the staff screens and of
the REST API. Views use :func:`requires`, API endpoints use ``baesang.api.auth.allowed``;
both call :func:`user_may`. ``docs/permissions.md`` is generated from this table
(``baesang permissions --markdown``) and a test keeps the two equal; another test walks every
URL of the staff application and every API operation, for every role and for an anonymous
visitor, so a view without an entry here fails the suite.

The table follows the separation of duties the foundation needs (DOMAIN.md §2): the person
who prepares a payment batch is never the one who approves it (four eyes: finance officers
prepare and execute, approvers approve), auditors read everything and change nothing, and
administrators manage accounts without handling cases or money. Revealing personal data is
limited to the roles whose work needs it, and each reveal is logged (Personal Information
Protection Act, Art. 29 safety measures).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from baesang.core import roles
from baesang.core.roles import ADMINISTRATOR, APPROVER, AUDITOR, CASE_OFFICER, FINANCE_OFFICER

# A view anyone may open, signed in or not (login, language switch). Not an action of the matrix.
PUBLIC = "public"

ROLE_ORDER: tuple[str, ...] = (CASE_OFFICER, FINANCE_OFFICER, APPROVER, AUDITOR, ADMINISTRATOR)

#: Every staff role, for actions that are part of everyone's work.
EVERY_ROLE = frozenset(ROLE_ORDER)
#: Roles that read case files (creditors, claims, holders): everyone but the administrator.
CASEWORK_READERS = frozenset({CASE_OFFICER, FINANCE_OFFICER, APPROVER, AUDITOR})
#: Roles that read money: donations, batches, the ledger.
MONEY_READERS = frozenset({CASE_OFFICER, FINANCE_OFFICER, APPROVER, AUDITOR})


@dataclass(frozen=True)
class Action:
    """One named thing a user may do, and the roles that may do it."""

    name: str
    roles: frozenset[str]
    description: str
    #: any signed-in user, even one without a role (their own account pages)
    any_signed_in: bool = False


def _action(name: str, allowed: frozenset[str] | set[str], description: str, *, any_signed_in: bool = False) -> Action:
    unknown = set(allowed) - set(ROLE_ORDER)
    if unknown:
        raise ValueError(f"action {name!r} names unknown role(s) {sorted(unknown)}")
    return Action(name=name, roles=frozenset(allowed), description=description, any_signed_in=any_signed_in)


_ACTIONS: list[Action] = [
    _action("use_own_account", set(), "See one's own account: roles, second factor, language.", any_signed_in=True),
    _action("view_dashboard", EVERY_ROLE, "Open the dashboard (each panel shows only what the role may see)."),
    # Case files
    _action("view_judgments", CASEWORK_READERS, "Read judgments, courts, debtors and their interest terms."),
    _action("manage_judgments", {CASE_OFFICER}, "Register or correct judgments, persons, holders and documents."),
    _action("view_claims", CASEWORK_READERS, "Read claims: calculation sheet, holders and shares, history."),
    _action(
        "print_statement",
        {CASE_OFFICER, FINANCE_OFFICER},
        "Download a creditor's statement (PDF: amount owed, calculation, holders and shares, payments) to hand "
        "to the creditor, with a reason; each download is written to the personal-data access log.",
    ),
    _action("search_persons", CASEWORK_READERS, "Search creditors and heirs by name, case number or document."),
    _action("record_consent", {CASE_OFFICER}, "Make offers; record a consent or a refusal with its verification."),
    _action("manage_deposits", {CASE_OFFICER, FINANCE_OFFICER}, "File court deposits (공탁) and record their outcome."),
    _action("view_indemnity", CASEWORK_READERS, "Read indemnity claims (구상권) against the debtors."),
    _action("manage_indemnity", {CASE_OFFICER}, "Record steps on indemnity claims."),
    _action("manage_waiting_list", {CASE_OFFICER, FINANCE_OFFICER}, "Order and annotate the waiting list."),
    # Payments (four eyes: preparing/executing and approving are separate roles)
    _action("view_batches", MONEY_READERS, "Read payment batches and their lines."),
    _action("prepare_batch", {FINANCE_OFFICER}, "Prepare a payment batch from claims ready for payment."),
    _action("approve_batch", {APPROVER}, "Approve or reject a prepared payment batch (second pair of eyes)."),
    _action("execute_batch", {FINANCE_OFFICER}, "Send an approved batch to the bank."),
    _action("reconcile_batch", {FINANCE_OFFICER}, "Import the bank's result and reconcile a batch."),
    _action("cancel_batch", {FINANCE_OFFICER, APPROVER}, "Cancel a batch before it reaches the bank, with a reason."),
    # Donations and the fund
    _action("view_donations", MONEY_READERS, "Read donors, pledges, donations and receipts."),
    _action("record_donation", {FINANCE_OFFICER}, "Record donations and pledges; issue receipts."),
    _action("view_ledger", MONEY_READERS, "Read the fund position, ledger balances and statements."),
    _action("verify_ledger", {FINANCE_OFFICER, AUDITOR}, "Run the ledger's verification (balances, hash chain)."),
    # Oversight
    _action("view_audit_log", {AUDITOR, ADMINISTRATOR}, "Read the audit log of every change."),
    _action("view_access_log", {AUDITOR, ADMINISTRATOR}, "Read and export the personal-data access log."),
    _action(
        "reveal_personal_data",
        {CASE_OFFICER, FINANCE_OFFICER},
        "Reveal a masked resident registration number, phone or address, with a reason (logged); "
        "bank accounts only to finance officers (baesang.pii.services).",
    ),
    # Administration
    _action("manage_users", {ADMINISTRATOR}, "Create staff accounts, assign roles, reset second factors."),
    _action("manage_api_tokens", {ADMINISTRATOR}, "Create and revoke API tokens for integrations."),
]

MATRIX: dict[str, Action] = {action.name: action for action in _ACTIONS}
assert len(MATRIX) == len(_ACTIONS), "duplicate action name in the permission matrix"


class UnknownAction(KeyError):
    """A view or endpoint names an action that the matrix does not have."""


def action_get(name: str) -> Action:
    try:
        return MATRIX[name]
    except KeyError:
        raise UnknownAction(f"{name!r} is not an action of baesang.web.permissions.MATRIX") from None


def user_roles(user) -> set[str]:
    """The roles of ``user`` (the superuser counts as administrator)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_baesang_roles", None)
    if cached is None:
        cached = set(user.groups.filter(name__in=ROLE_ORDER).values_list("name", flat=True))
        if getattr(user, "is_superuser", False):
            cached.add(roles.ADMINISTRATOR)
        user._baesang_roles = cached
    return set(cached)


def user_may(user, action: str) -> bool:
    """Whether ``user`` may do ``action`` according to :data:`MATRIX`."""
    entry = action_get(action)
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    if entry.any_signed_in:
        return True
    return bool(user_roles(user) & entry.roles)


def actions_for(user) -> list[str]:
    """Every action ``user`` may do, in the order of the matrix."""
    return [name for name in MATRIX if user_may(user, name)]


def requires(action: str) -> Callable:
    """Decorate a view: anonymous visitors go to the login page, users whose roles lack
    ``action`` get 403. The action is checked against the matrix when the module loads."""
    action_get(action)

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
            if not user_may(request.user, action):
                raise PermissionDenied(action)
            return view(request, *args, **kwargs)

        wrapped.permission_action = action  # read by the permission-walk test and the docs
        return wrapped

    return decorator


def public(view: Callable) -> Callable:
    """Mark a view as open to anonymous visitors (login, language switch)."""
    view.permission_action = PUBLIC
    return view


def matrix_markdown() -> str:
    """The matrix as the Markdown table of ``docs/permissions.md``."""
    header_roles = " | ".join(ROLE_ORDER)
    lines = [
        f"| action | {header_roles} | what it allows |",
        "|---|" + "---|" * len(ROLE_ORDER) + "---|",
    ]
    for entry in _ACTIONS:
        cells = ["✓" if entry.any_signed_in or role in entry.roles else "" for role in ROLE_ORDER]
        note = " Any signed-in user, also one without a role." if entry.any_signed_in else ""
        lines.append(f"| `{entry.name}` | " + " | ".join(cells) + f" | {entry.description}{note} |")
    return "\n".join(lines) + "\n"
