"""Court deposits (변제공탁, Civil Code Art. 487): the list, one deposit with the calculation
sheet of its amount, filing a refused holder's part with a deposit office (the amount is the
holder's part of what is owed on the filing day, reserved in the ledger), and recording what
the office or court decided — accepted (수리), refused (불수리), objection filed (이의신청),
objection dismissed (기각), returned (회수) — through ``deposit_decide``, which moves the money.
"""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from baesang.calc.interest import InterestError
from baesang.cases.errors import IllegalTransition
from baesang.cases.models import ClaimHolding, CourtDeposit
from baesang.cases.selectors import deposits_page, deposits_totals
from baesang.cases.services import DEPOSIT_TRANSITIONS, deposit_decide, deposit_file, holding_part
from baesang.judgments.models import Court
from baesang.judgments.services import Upload
from baesang.web.feedback import attempt
from baesang.web.forms import DepositDecisionForm, DepositFileForm, DepositFilterForm
from baesang.web.paging import filters_query, screen_page
from baesang.web.permissions import requires
from baesang.web.templatetags.staff import state as state_label

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024


@requires("view_claims")
def deposits_view(request: HttpRequest) -> HttpResponse:
    form = DepositFilterForm(request.GET or None)
    state = form.cleaned_data.get("state") if form.is_valid() else None
    page = screen_page(request, deposits_page, state=state or None)
    total, live_total = deposits_totals(state=state or None)
    return render(request, "web/deposits.html", {
        "form": form, "rows": page.items, "page": page, "query": filters_query(request), "total": total,
        "live_total": live_total})


def _deposit_page(request: HttpRequest, deposit: CourtDeposit, *, form=None, status: int = 200) -> HttpResponse:
    allowed = DEPOSIT_TRANSITIONS.get(deposit.state, set())
    return render(request, "web/deposit.html", {
        "deposit": deposit, "sheet": deposit.sheet or {}, "allowed": allowed,
        "form": form or DepositDecisionForm(allowed=allowed, initial={"decided_on": timezone.localdate(),
                                                                      "deposit_number": deposit.deposit_number}),
    }, status=status)


def _deposit(deposit_id: int) -> CourtDeposit:
    return get_object_or_404(CourtDeposit.objects.select_related(
        "court", "holding__holder", "holding__claim__judgment__debtor", "offer", "decision_document", "filed_by"),
        pk=deposit_id)


@requires("view_claims")
def deposit_view(request: HttpRequest, deposit_id: int) -> HttpResponse:
    return _deposit_page(request, _deposit(deposit_id))


@requires("manage_deposits")
@require_POST
def deposit_decide_view(request: HttpRequest, deposit_id: int) -> HttpResponse:
    deposit = _deposit(deposit_id)
    allowed = DEPOSIT_TRANSITIONS.get(deposit.state, set())
    form = DepositDecisionForm(request.POST, request.FILES, allowed=allowed)
    if not form.is_valid():
        return _deposit_page(request, deposit, form=form, status=400)
    data = form.cleaned_data
    upload = data.get("document_file")
    if upload is not None and upload.size > MAX_DOCUMENT_BYTES:
        form.add_error("document_file", _("The file is too large (at most 20 MB)."))
        return _deposit_page(request, deposit, form=form, status=400)

    def decide():
        return deposit_decide(deposit=deposit, outcome=data["outcome"], decided_on=data["decided_on"],
                              actor=request.user, upload=Upload(upload.name, upload.read()) if upload else None,
                              deposit_number=data["deposit_number"], note=data["note"])

    done, _result = attempt(request, decide, _("Decision recorded."))
    if not done:
        return _deposit_page(request, _deposit(deposit_id), form=form, status=400)
    return redirect("web:deposit", deposit_id=deposit.pk)


def _filing_day(value: str | None) -> date:
    try:
        return date.fromisoformat(value) if value else timezone.localdate()
    except ValueError:
        return timezone.localdate()


@requires("manage_deposits")
def deposit_file_view(request: HttpRequest, holding_id: int) -> HttpResponse:
    """File a refused holder's part with a deposit office: the page shows the amount to the
    filing day (change the day to see it again), the POST files the deposit."""
    holding = get_object_or_404(ClaimHolding.objects.select_related("holder", "claim__judgment__debtor"),
                                pk=holding_id)
    form = DepositFileForm(request.POST or None, initial={"filed_on": _filing_day(request.GET.get("filed_on"))})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def file():
            return deposit_file(holding=holding, court_name=data["court"], filed_on=data["filed_on"],
                                actor=request.user, deposit_number=data["deposit_number"], note=data["note"])

        done, deposit = attempt(request, file, _("Court deposit filed; its amount is reserved in the ledger."))
        if done:
            return redirect("web:deposit", deposit_id=deposit.pk)
    day = form.cleaned_data["filed_on"] if form.is_bound and form.is_valid() else form.initial["filed_on"]
    part = due = None
    try:
        part, due = holding_part(holding, day)
    except (IllegalTransition, InterestError) as error:
        messages.error(request, error.message)
    if holding.state != ClaimHolding.REFUSED and request.method == "GET":
        messages.warning(request, _("Only a refused part is deposited with a court; this holder's part is %(state)s.")
                         % {"state": state_label(holding.state)})
    return render(request, "web/deposit_file.html", {
        "holding": holding, "form": form, "day": day, "part": part, "due": due.as_json() if due else None,
        "courts": Court.objects.order_by("name")}, status=400 if request.method == "POST" else 200)
