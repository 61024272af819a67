"""Who may receive the money, on the staff screens: the approval queue of proposed holder and
bank-account changes (승인 대기), a person's death recorded with its evidence, and a proposed
new bank account. Each view validates its input and calls one service of
``baesang.cases.holdings`` or ``baesang.judgments.services``; the four-eyes rule (the proposer
never decides) is the service's and the database's."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from baesang.cases.holdings import account_change_propose, holder_change_approve, holder_change_reject, proposals_page
from baesang.cases.models import HolderChangeProposal
from baesang.judgments.models import Person
from baesang.judgments.services import Upload, person_death_record
from baesang.web.feedback import attempt
from baesang.web.forms import AccountChangeForm, DeathRecordForm, ProposalDecisionForm
from baesang.web.paging import filters_query, screen_page
from baesang.web.permissions import requires

MAX_EVIDENCE_BYTES = 20 * 1024 * 1024


@requires("view_claims")
def proposals_view(request: HttpRequest) -> HttpResponse:
    show_all = request.GET.get("all") == "1"
    page = screen_page(request, proposals_page, include_decided=show_all)
    return render(request, "web/proposals.html", {
        "proposals": page.items, "page": page, "query": filters_query(request), "show_all": show_all,
        "decision_form": ProposalDecisionForm(),
    })


def _decide(request: HttpRequest, proposal_id: int, approve: bool) -> HttpResponse:
    proposal = get_object_or_404(HolderChangeProposal, pk=proposal_id)
    form = ProposalDecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    if approve:
        attempt(request, lambda: holder_change_approve(proposal=proposal, actor=request.user, note=note),
                _("Proposal approved: the change is in effect."))
    else:
        attempt(request, lambda: holder_change_reject(proposal=proposal, actor=request.user, note=note),
                _("Proposal rejected: nothing was changed."))
    return redirect("web:proposals")


@requires("approve_holder_change")
@require_POST
def proposal_approve_view(request: HttpRequest, proposal_id: int) -> HttpResponse:
    return _decide(request, proposal_id, approve=True)


@requires("approve_holder_change")
@require_POST
def proposal_reject_view(request: HttpRequest, proposal_id: int) -> HttpResponse:
    return _decide(request, proposal_id, approve=False)


@requires("record_death")
def person_death_view(request: HttpRequest, person_id: int) -> HttpResponse:
    person = get_object_or_404(Person, pk=person_id)
    form = DeathRecordForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["evidence"]
        if upload.size > MAX_EVIDENCE_BYTES:
            form.add_error("evidence", _("The file is too large (at most 20 MB)."))
        else:
            done, _person = attempt(request, lambda: person_death_record(
                person=person, death_date=form.cleaned_data["death_date"], actor=request.user,
                upload=Upload(upload.name, upload.read()), note=form.cleaned_data["note"]),
                _("The death is recorded with its evidence."))
            if done:
                return redirect("web:person", person_id=person.pk)
    return render(request, "web/person_change.html", {
        "person": person, "form": form, "title": _("Record a death"), "multipart": True},
        status=400 if request.method == "POST" else 200)


@requires("propose_holder_change")
def person_account_view(request: HttpRequest, person_id: int) -> HttpResponse:
    person = get_object_or_404(Person, pk=person_id)
    form = AccountChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done, _proposal = attempt(request, lambda: account_change_propose(
            person=person, bank_name=data["bank_name"], bank_account=data["bank_account"], actor=request.user,
            reason=data["reason"]), _("New bank account proposed: it takes effect when a second person approves it."))
        if done:
            return redirect("web:proposals")
    if request.method == "POST" and not form.is_valid():
        messages.error(request, _("Give the bank and the account number."))
    return render(request, "web/person_change.html", {
        "person": person, "form": form, "title": _("Propose a new bank account"), "multipart": False},
        status=400 if request.method == "POST" else 200)
