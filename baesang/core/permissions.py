"""The permission table (권한표): which staff role may do which named action.

One declarative table, :data:`MATRIX`, decides every permission in baesang: the services
check it first (:func:`permission_require`), the staff screens (``baesang.web.permissions``),
the REST API (``baesang.api.auth``) and the command line read the same table, and
``docs/permissions.md`` is generated from it (``baesang permissions --markdown``). A test walks
every service that writes, for every role and for no user, against this table.

The table follows the separation of duties the foundation needs (DOMAIN.md §2): the person
who prepares a payment batch is never the one who approves it (four eyes: finance officers
prepare and execute, approvers approve), auditors read everything and change nothing, and
administrators manage accounts without handling cases or money. Revealing personal data is
limited to the roles whose work needs it, and each reveal is logged (Personal Information
Protection Act, Art. 29 safety measures).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from baesang.core.errors import PermissionDenied
from baesang.core.roles import ADMINISTRATOR, APPROVER, AUDITOR, CASE_OFFICER, FINANCE_OFFICER

if TYPE_CHECKING:  # pragma: no cover
    from django.db.models import QuerySet


@runtime_checkable
class Actor(Protocol):
    """Who acts: a signed-in staff user (Django's user model). Services take one as
    ``actor``; the audit row names it."""

    pk: int | None
    is_authenticated: bool
    is_active: bool

    def get_username(self) -> str: ...  # pragma: no cover

    @property
    def groups(self) -> QuerySet: ...  # pragma: no cover


ROLE_ORDER: tuple[str, ...] = (CASE_OFFICER, FINANCE_OFFICER, APPROVER, AUDITOR, ADMINISTRATOR)

#: Every staff role, for actions that are part of everyone's work.
EVERY_ROLE = frozenset(ROLE_ORDER)
#: Roles that read case files (creditors, claims, holders): everyone but the administrator.
CASEWORK_READERS = frozenset({CASE_OFFICER, FINANCE_OFFICER, APPROVER, AUDITOR})
#: Roles that read money: donations, batches, the ledger.
MONEY_READERS = frozenset({CASE_OFFICER, FINANCE_OFFICER, APPROVER, AUDITOR})
#: Roles whose checked work books ledger transfers (deposits, batches, donations).
LEDGER_WRITERS = frozenset({CASE_OFFICER, FINANCE_OFFICER, APPROVER})


@dataclass(frozen=True)
class Action:
    """One named thing a user may do, and the roles that may do it."""

    name: str
    roles: frozenset[str]
    description: str
    #: any signed-in user, even one without a role (their own account pages)
    any_signed_in: bool = False
    #: the Korean name shown in refusals on Korean pages
    label_ko: str = ""
    #: needs a second factor at the moment it is done through a token (API ``X-Baesang-OTP``,
    #: command line ``BAESANG_CLI_OTP`` / ``--otp``); on the web the sign-in already asked for it
    second_factor: bool = False


def _action(name: str, allowed: frozenset[str] | set[str], description: str, label_ko: str = "", *,
            any_signed_in: bool = False, second_factor: bool = False) -> Action:
    unknown = set(allowed) - set(ROLE_ORDER)
    if unknown:
        raise ValueError(f"action {name!r} names unknown role(s) {sorted(unknown)}")
    return Action(name=name, roles=frozenset(allowed), description=description, any_signed_in=any_signed_in,
                  label_ko=label_ko, second_factor=second_factor)


_ACTIONS: list[Action] = [
    _action("use_own_account", set(), "See one's own account: roles, second factor, language.", "내 계정 보기",
            any_signed_in=True),
    _action("view_dashboard", EVERY_ROLE, "Open the dashboard (each panel shows only what the role may see).",
            "대시보드 보기"),
    # Case files
    _action("view_judgments", CASEWORK_READERS, "Read judgments, courts, debtors and their interest terms.",
            "판결 열람"),
    _action("manage_judgments", {CASE_OFFICER}, "Register or correct judgments, persons, holders and documents.",
            "판결·인물·채권자 등록"),
    _action("propose_holder_change", {CASE_OFFICER},
            "Propose a change of who holds a claim (plaintiff, heirs from a family file, shares from a document) "
            "or of a holder's bank account; it takes effect only when a second person approves it.",
            "채권자·계좌 변경 제안"),
    _action("approve_holder_change", {CASE_OFFICER, APPROVER},
            "Approve or reject a proposed change of holders or of a holder's bank account — never one's own "
            "proposal (four eyes).", "채권자·계좌 변경 승인", second_factor=True),
    _action("record_death", {CASE_OFFICER}, "Record a person's death with its date and the evidence document.",
            "사망 사실 기록"),
    _action("store_document", {CASE_OFFICER, FINANCE_OFFICER},
            "Keep a document (judgment, consent form, court decision, bank confirmation) with its SHA-256.",
            "문서 보관"),
    _action("view_claims", CASEWORK_READERS, "Read claims: calculation sheet, holders and shares, history.",
            "채권 열람"),
    _action(
        "print_statement",
        {CASE_OFFICER, FINANCE_OFFICER},
        "Download a creditor's statement (PDF: amount owed, calculation, holders and shares, payments) to hand "
        "to the creditor, with a reason; each download is written to the personal-data access log.",
        "채권자 명세서 발급",
    ),
    _action("search_persons", CASEWORK_READERS, "Search creditors and heirs by name, case number or document.",
            "인물 검색"),
    _action("record_consent", {CASE_OFFICER}, "Make offers; record a consent or a refusal with its verification.",
            "지급 제안·동의·거부 기록"),
    _action("manage_deposits", {CASE_OFFICER, FINANCE_OFFICER}, "File court deposits (공탁) and record their outcome.",
            "공탁 신청·결과 기록"),
    _action("view_indemnity", CASEWORK_READERS, "Read indemnity claims (구상권) against the debtors.", "구상권 열람"),
    _action("manage_indemnity", {CASE_OFFICER}, "Record steps on indemnity claims.", "구상권 기록"),
    _action("record_limitation", {CASE_OFFICER},
            "Record events interrupting limitation (suit, seizure, acknowledgment, demand) of judgment and "
            "indemnity claims.", "시효중단 사유 기록"),
    _action("manage_waiting_list", {CASE_OFFICER, FINANCE_OFFICER}, "Order and annotate the waiting list.",
            "대기 명단 관리"),
    # The creditors' portal (채권자 포털): staff side; creditors act under the portal's own check
    _action("view_portal", CASEWORK_READERS,
            "Read portal accounts, invitations, the requests queue and each creditor's portal activity.",
            "채권자 포털 열람"),
    _action("invite_creditors", {CASE_OFFICER},
            "Invite a creditor, heir or representative to the portal (a one-time link to their recorded "
            "contact) and revoke their access.", "채권자 포털 초대·해지"),
    _action("decide_portal_requests", {CASE_OFFICER},
            "Accept or reject what creditors sent through the portal (documents, contact changes, wishes); a "
            "bank-account change becomes a proposal that a second person approves.", "포털 요청 처리"),
    # Probable duplicate persons (중복 인물)
    _action("view_duplicates", CASEWORK_READERS, "Read the queue of probable duplicate persons and its decisions.",
            "중복 인물 후보 열람"),
    _action("match_persons", {CASE_OFFICER},
            "Run the matcher over the persons and fill the review queue; keep external register entries linked "
            "to persons as evidence.",
            "중복 인물 찾기 실행"),
    _action("decide_duplicates", {CASE_OFFICER},
            "Decide a probable duplicate: the same person (merge claims, holdings and documents into one) or "
            "different persons (remembered, never proposed again).", "중복 인물 판정·병합"),
    _action("reverse_person_merge", {ADMINISTRATOR}, "Reverse a merge of two persons, with a reason.",
            "인물 병합 취소"),
    # Payments (four eyes: preparing/executing and approving are separate roles)
    _action("view_batches", MONEY_READERS, "Read payment batches and their lines.", "지급 배치 열람"),
    _action("prepare_batch", {FINANCE_OFFICER}, "Prepare a payment batch from claims ready for payment.",
            "지급 배치 작성"),
    _action("approve_batch", {APPROVER}, "Approve or reject a prepared payment batch (second pair of eyes).",
            "지급 배치 승인", second_factor=True),
    _action("execute_batch", {FINANCE_OFFICER}, "Send an approved batch to the bank.", "은행 이체 파일 작성"),
    _action("reconcile_batch", {FINANCE_OFFICER}, "Import the bank's result and reconcile a batch.",
            "은행 결과 반영"),
    _action("cancel_batch", {FINANCE_OFFICER, APPROVER}, "Cancel a batch before it reaches the bank, with a reason.",
            "지급 배치 취소"),
    # Donations and the fund
    _action("view_donations", MONEY_READERS, "Read donors, pledges, donations and receipts.", "기부금 열람"),
    _action("record_donation", {FINANCE_OFFICER}, "Record donations and pledges; issue receipts.",
            "기부금·약정 기록, 영수증 발급"),
    _action("propose_donation_reversal", {FINANCE_OFFICER},
            "Propose reversing a donation recorded by mistake, with a reason (an approver must approve it).",
            "기부금 입금 취소 제안"),
    _action("approve_donation_reversal", {APPROVER},
            "Approve or reject a proposed donation reversal (second pair of eyes): approving books the reversing "
            "ledger transfer and cancels the donation's receipt.", "기부금 입금 취소 승인", second_factor=True),
    _action("view_ledger", MONEY_READERS, "Read the fund position, ledger balances and statements.", "원장 열람"),
    _action("book_ledger", LEDGER_WRITERS,
            "Book ledger transfers — only as part of a checked step (deposit, batch, donation); no screen, "
            "operation or command books a transfer by itself.", "원장 기입"),
    _action("verify_ledger", {FINANCE_OFFICER, AUDITOR}, "Run the ledger's verification (balances, hash chain).",
            "원장 검증"),
    _action("checkpoint_ledger", {FINANCE_OFFICER},
            "Record a signed checkpoint of the verified ledger (later verifications start from it).",
            "원장 검증 기록(체크포인트) 작성"),
    # Oversight
    _action("view_audit_log", {AUDITOR, ADMINISTRATOR}, "Read the audit log of every change.", "감사 로그 열람"),
    _action("view_access_log", {AUDITOR, ADMINISTRATOR}, "Read and export the personal-data access log.",
            "개인정보 접근 기록 열람"),
    _action(
        "reveal_personal_data",
        {CASE_OFFICER, FINANCE_OFFICER},
        "Reveal a masked resident registration number, phone or address, with a reason (logged).",
        "개인정보 열람(사유 기록)",
    ),
    _action("reveal_bank_account", {FINANCE_OFFICER},
            "Reveal a bank account in full, with a reason (logged); bank files hold accounts in full.",
            "계좌번호 열람(사유 기록)"),
    # Administration
    _action("manage_users", {ADMINISTRATOR}, "Create staff accounts, assign roles, reset second factors.",
            "사용자 관리", second_factor=True),
    _action("manage_api_tokens", {ADMINISTRATOR}, "Create and revoke API tokens for integrations.",
            "API 토큰 관리", second_factor=True),
    _action("rotate_field_key", {ADMINISTRATOR}, "Re-encrypt personal data under a new field key.",
            "암호화 키 교체", second_factor=True),
]

MATRIX: dict[str, Action] = {action.name: action for action in _ACTIONS}
assert len(MATRIX) == len(_ACTIONS), "duplicate action name in the permission matrix"


class UnknownAction(KeyError):
    """A service, view or endpoint names an action that the table does not have."""


def action_get(name: str) -> Action:
    try:
        return MATRIX[name]
    except KeyError:
        raise UnknownAction(f"{name!r} is not an action of baesang.core.permissions.MATRIX") from None


def user_roles(user: Actor | None) -> set[str]:
    """The roles of ``user`` (the superuser counts as administrator)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_baesang_roles", None)
    if cached is None:
        cached = set(user.groups.filter(name__in=ROLE_ORDER).values_list("name", flat=True))
        if getattr(user, "is_superuser", False):
            cached.add(ADMINISTRATOR)
        user._baesang_roles = cached
    return set(cached)


def user_may(user: Actor | None, action: str) -> bool:
    """Whether ``user`` may do ``action`` according to :data:`MATRIX`."""
    entry = action_get(action)
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    if entry.any_signed_in:
        return True
    return bool(user_roles(user) & entry.roles)


def actions_for(user: Actor | None) -> list[str]:
    """Every action ``user`` may do, in the order of the table."""
    return [name for name in MATRIX if user_may(user, name)]


def actor_pk(actor: Actor | None) -> int | None:
    """The primary key of the acting user, or None."""
    return getattr(actor, "pk", None) if actor is not None else None


def actor_user(actor: Actor | None) -> Actor | None:
    """The acting user as a model instance for a foreign key, or None."""
    return actor if actor_pk(actor) else None


def actor_name(actor: Actor | None) -> str:
    if actor is None:
        return "nobody"
    getter = getattr(actor, "get_username", None)
    return getter() if getter else str(actor)


class ActionNotPermitted(PermissionDenied):
    """The acting user's roles do not allow the action (see docs/permissions.md)."""

    code = "permission_denied"

    def __init__(self, message: str, *, action: str, **kwargs) -> None:
        super().__init__(message, **kwargs)
        self.action = action
        self.params = {"action": action, "label": action_get(action).label_ko or action}


def permission_require(actor: Actor | None, action: str) -> None:
    """Refuse, before anything else is read or changed, an actor whose roles lack ``action``."""
    if user_may(actor, action):
        return
    entry = action_get(action)
    needed = " or ".join(sorted(entry.roles)) or "no role"
    raise ActionNotPermitted(
        f"{actor_name(actor)} is not allowed to {action.replace('_', ' ')}: it needs the {needed} role "
        "(docs/permissions.md)", action=action, field="user")


def matrix_markdown() -> str:
    """The table as the Markdown of ``docs/permissions.md``."""
    header_roles = " | ".join(ROLE_ORDER)
    lines = [
        f"| action | {header_roles} | what it allows |",
        "|---|" + "---|" * len(ROLE_ORDER) + "---|",
    ]
    for entry in _ACTIONS:
        cells = ["✓" if entry.any_signed_in or role in entry.roles else "" for role in ROLE_ORDER]
        note = " Any signed-in user, also one without a role." if entry.any_signed_in else ""
        if entry.second_factor:
            note += (" **Second factor at the time**: through an API token the request carries a fresh TOTP code in "
                     "`X-Baesang-OTP`; on the command line `BAESANG_CLI_OTP` or `--otp`.")
        lines.append(f"| `{entry.name}` | " + " | ".join(cells) + f" | {entry.description}{note} |")
    return "\n".join(lines) + "\n"
