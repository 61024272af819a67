"""Template filters of the staff pages: ``{% load staff %}``.

- ``{{ amount|won }}``: exact digits, for tables (``107,452,054원`` / ``KRW 107,452,054``).
- ``{{ amount|won_readable }}``: as people read amounts (``1억 2,000만 원``).
- ``{{ "1148000000/73"|won_exact }}``: an exact amount of a calculation sheet to two decimals,
  truncated (``15,726,027.39원``).
- ``{{ day|kdate }}``: a date as Koreans write it (``2018년 11월 1일``) or ``1 Nov 2018``.
- ``{% if request.user|may:"approve_batch" %}``: the permission matrix in templates.
- ``{{ claim.state|state }}``: a state code (``accepted``, ``exported`` …) in the user's language.
- ``{{ document.kind|doc_kind }}``, ``{{ account.type|account_type }}``: the same for document kinds and
  ledger account types.

All follow the active language (Korean unless the user switched to English) and call
``baesang.core.formatting``, the same functions as the command line.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from django import template
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from baesang.core import formatting
from baesang.core.audit_actions import audit_action_label
from baesang.web.permissions import user_may

register = template.Library()


def _lang() -> str:
    lang = (get_language() or "ko").split("-")[0]
    return lang if lang in formatting.LANGS else "ko"


def _as_int(value):
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@register.filter
def won(amount) -> str:
    number = _as_int(amount)
    return "" if number is None else formatting.format_won(number, _lang())


@register.filter
def plain_decimal(value) -> str:
    """A decimal without trailing zeros and never in exponent form (20.000 → 20, not 2E+1)."""
    try:
        return formatting.format_plain_decimal(Decimal(str(value)))
    except (InvalidOperation, ValueError, TypeError):
        return str(value or "")


@register.filter
def won_readable(amount) -> str:
    number = _as_int(amount)
    return "" if number is None else formatting.format_won_readable(number, _lang())


@register.filter
def won_exact(text) -> str:
    try:
        value = Fraction(str(text))
    except (TypeError, ValueError, ZeroDivisionError):
        return str(text or "")
    return formatting.format_won_exact(value, _lang())


@register.filter
def when_computed(text) -> str:
    """An ISO timestamp (a cached figure's ``stale_since``) as local date and time."""
    try:
        moment = datetime.fromisoformat(str(text))
    except ValueError:
        return ""
    moment = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    return f"{formatting.format_date(moment.date(), _lang())} {moment:%H:%M}"


@register.filter
def kdate(value) -> str:
    if isinstance(value, datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if not isinstance(value, date):
        return ""
    return formatting.format_date(value, _lang())


@register.filter
def may(user, action: str) -> bool:
    return user_may(user, action)


STATE_LABELS = {
    # claims and holdings
    "registered": _("registered"), "pending": _("no offer yet"), "offered": _("offered"),
    "accepted": _("accepted"), "refused": _("refused"), "deposited": _("deposited"), "paid": _("paid"),
    # offers
    "open": _("open"), "withdrawn": _("withdrawn"),
    # batches and lines
    "prepared": _("prepared"), "approved": _("approved"), "exported": _("sent to the bank"),
    "settled": _("settled"), "cancelled": _("cancelled"), "reserved": _("reserved"), "failed": _("failed"),
    # court deposits
    "filed": _("filed"), "objection_filed": _("objection filed"), "objection_dismissed": _("objection dismissed"),
    "returned": _("returned"),
}

DOCUMENT_KIND_LABELS = {
    "judgment": _("judgment (판결문)"),
    "family_relation_certificate": _("family relation certificate (가족관계증명서)"),
    "consent_form": _("signed consent form"), "court_decision": _("court decision"),
    "guardianship": _("guardianship decision"), "other": _("other"),
}

ACCOUNT_TYPE_LABELS = {
    "asset": _("asset"), "liability": _("liability"), "equity": _("net assets"), "income": _("income"),
    "expense": _("expense"),
}


@register.filter
def state(code) -> str:
    return str(STATE_LABELS.get(code, code or ""))


@register.filter
def audit_action(code) -> str:
    """The readable label of an audit action code in the page's language."""
    return audit_action_label(code, get_language() or "ko")


@register.filter
def doc_kind(code) -> str:
    return str(DOCUMENT_KIND_LABELS.get(code, code or ""))


@register.filter
def account_type(code) -> str:
    return str(ACCOUNT_TYPE_LABELS.get(code, code or ""))


@register.filter
def fraction(text) -> str:
    """An exact share ``3/13`` as it is read: ``3/13`` stays, ``1/1`` becomes ``1``."""
    return "1" if text == "1/1" else str(text or "")
