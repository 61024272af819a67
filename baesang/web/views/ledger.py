"""The fund ledger for the roles that read money: the trial balance (시산표) on any date, an
account's statement with its running balance, and the verification that recomputes the hash
chain and every balance from the append-only transfers (docs/ledger.md); and the indemnity
claims (구상권) against the debtors — what the foundation paid or deposited for each debtor
(third-party performance, Civil Code Art. 469), when, and until when the ten-year limitation
runs (Art. 162(1)), reconciled with each debtor's receivable account in the ledger.
"""

from __future__ import annotations

from datetime import date

from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST

from baesang.cases.selectors import trial_balance_shared
from baesang.core.services import audit_record
from baesang.ledger import exports
from baesang.ledger.errors import AccountNotFound
from baesang.ledger.models import Account
from baesang.ledger.selectors import (
    account_balance,
    account_period_totals,
    account_statement_iter,
    account_statement_page,
    ledger_verify,
)
from baesang.web.downloads import spreadsheet_download
from baesang.web.forms import AsOfForm, IndemnityFilterForm, StatementFilterForm
from baesang.web.paging import filters_query, queryset_page, screen_page
from baesang.web.permissions import requires, user_may
from baesang.web.selectors import indemnity_claims, indemnity_overview

STATEMENT_LINES_PER_PAGE = 200
INDEMNITY_PER_PAGE = 100


@requires("view_ledger")
def ledger_view(request: HttpRequest) -> HttpResponse:
    form = AsOfForm(request.GET or None)
    as_of = form.cleaned_data.get("as_of") if form.is_valid() else None
    balance = trial_balance_shared(as_of=as_of)
    return render(request, "web/ledger.html", {"form": form, "tb": balance, "as_of": as_of,
                                               "may_verify": user_may(request.user, "verify_ledger")})


def _statement_period(request: HttpRequest) -> tuple[StatementFilterForm, date | None, date | None]:
    """The period asked for; by default from 1 January of this year."""
    form = StatementFilterForm(request.GET or None, initial={"date_from": date(timezone.localdate().year, 1, 1)})
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data["date_from"], form.cleaned_data["date_to"]
    if form.is_bound:
        return form, None, None
    return form, form.initial["date_from"], None


@requires("view_ledger")
def account_statement_export_view(request: HttpRequest, code: str, kind: str) -> HttpResponseBase:
    """The statement of the page (same period) as XLSX or CSV with Korean headers."""
    _form, date_from, date_to = _statement_period(request)
    try:  # the lines as read, 5,000 at a time (an account of millions of movements is never held whole)
        lines = account_statement_iter(code=code, date_from=date_from, date_to=date_to)
    except AccountNotFound:
        raise Http404("no such account") from None
    return spreadsheet_download(kind, f"statement-{code}", exports.STATEMENT_COLUMNS, exports.statement_rows(lines),
                                title=f"{exports.STATEMENT_SHEET} {code}")


@requires("view_ledger")
def account_statement_view(request: HttpRequest, code: str) -> HttpResponse:
    account = Account.objects.filter(code=code).first()
    if account is None:
        raise Http404("no such account")
    form, date_from, date_to = _statement_period(request)
    try:
        page = screen_page(request, account_statement_page, limit=STATEMENT_LINES_PER_PAGE, code=code,
                           date_from=date_from, date_to=date_to)
        balance = account_balance(code=code, as_of=date_to)
    except AccountNotFound:
        raise Http404("no such account") from None
    query = QueryDict(filters_query(request), mutable=True)
    if not form.is_bound:
        query["date_from"] = date_from.isoformat()
    debits, credits = account_period_totals(code=code, date_from=date_from, date_to=date_to)
    return render(request, "web/account_statement.html", {
        "account": account, "form": form, "page": page, "query": query.urlencode(), "balance": balance,
        "date_from": date_from, "date_to": date_to, "closing": balance.balance, "debits": debits, "credits": credits})


@requires("verify_ledger")
@require_POST
def ledger_verify_view(request: HttpRequest) -> HttpResponse:
    """Recompute the chain and the balances; the run and its result go to the audit log."""
    result = ledger_verify()
    audit_record(actor=request.user, action="ledger.verify", entity_type="ledger.transfer", new={
        "ok": result.ok, "transfers": result.transfers, "accounts": result.accounts, "head_hash": result.head_hash,
        "first_bad_transfer": result.first_bad_transfer, "reason": result.reason})
    return render(request, "web/ledger_verify.html", {"result": result}, status=200)


@requires("view_indemnity")
def indemnity_view(request: HttpRequest) -> HttpResponse:
    form = IndemnityFilterForm(request.GET or None)
    debtor = state = None
    if form.is_valid():
        debtor, state = form.cleaned_data.get("debtor"), form.cleaned_data.get("state") or None
    rows = indemnity_claims(debtor_id=debtor.pk if debtor else None, state=state)
    page = queryset_page(request, rows, name=f"indemnity:{debtor.pk if debtor else ''}:{state or ''}",
                         order=("arose_on", "pk"), limit=INDEMNITY_PER_PAGE)
    query = filters_query(request)
    return render(request, "web/indemnity.html", {
        "form": form, "overview": indemnity_overview(), "page": page, "query": query,
        "today": timezone.localdate()})
