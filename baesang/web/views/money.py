"""The fund (position and report from the ledger), judgments, donations received — the list
searched by donor name or registration number, paged, exported to XLSX or CSV — recording a
donation, and reversing one recorded by mistake (proposed by a finance officer, approved by
another person)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from baesang.cases.selectors import fund_report
from baesang.core import spreadsheets
from baesang.donations import exports
from baesang.donations.models import Donation, DonationReversal
from baesang.donations.selectors import donations_for_export, donations_page, donors_search, reversals_page
from baesang.donations.services import (
    donation_record,
    donation_reversal_approve,
    donation_reversal_propose,
    donation_reversal_reject,
)
from baesang.judgments.selectors import judgments_page
from baesang.web.feedback import attempt
from baesang.web.forms import AsOfForm, DonationForm, DonationSearchForm, ReversalDecideForm, ReversalProposeForm
from baesang.web.paging import filters_query, screen_page
from baesang.web.permissions import requires

#: Donations shown per page of the list.
DONATIONS_PER_PAGE = 50


@requires("view_ledger")
def fund_view(request: HttpRequest) -> HttpResponse:
    form = AsOfForm(request.GET or None)
    as_of = form.cleaned_data["as_of"] if form.is_valid() and form.cleaned_data["as_of"] else timezone.localdate()
    return render(request, "web/fund.html", {"form": form, "report": fund_report(as_of=as_of, stale_ok=True),
                                             "as_of": as_of})


@requires("view_judgments")
def judgments_view(request: HttpRequest) -> HttpResponse:
    page = screen_page(request, judgments_page)
    return render(request, "web/judgments.html", {"judgments": page.items, "page": page,
                                                  "query": filters_query(request)})


def _search(request: HttpRequest) -> tuple[DonationSearchForm, str, int | None]:
    search = DonationSearchForm(request.GET or None)
    if search.is_valid():
        return search, search.cleaned_data["q"] or "", search.cleaned_data["year"]
    return search, "", None


def _donations_page(request: HttpRequest, form: DonationForm, status: int = 200) -> HttpResponse:
    search, text, year = _search(request)
    page = screen_page(request, donations_page, limit=DONATIONS_PER_PAGE, year=year, donor_search=text,
                       newest_first=True)
    page, count = page
    return render(request, "web/donations.html", {
        "page": page, "donations": page.items, "count": count, "query": filters_query(request), "search": search,
        "form": form,
        "donor_matches": list(donors_search(text=text)) if text else [],
    }, status=status)


@requires("view_donations")
def donations_view(request: HttpRequest) -> HttpResponse:
    return _donations_page(request, DonationForm(initial={"value_date": timezone.localdate()}))


@requires("view_donations")
def donations_export_view(request: HttpRequest, kind: str) -> HttpResponseBase:
    """The donations of the list (same search) as XLSX or CSV with Korean headers, formula-safe;
    the CSV is streamed as it is read."""
    _search_form, text, year = _search(request)
    rows = exports.donation_rows(donations_for_export(donor_search=text, year=year))
    filename = f"donations-{timezone.localdate().isoformat()}.{kind}"
    if kind == "xlsx":
        return spreadsheets.xlsx_response(filename, exports.DONATION_COLUMNS, rows, title=exports.SHEET_TITLE)
    if kind == "csv":
        return spreadsheets.csv_response(filename, exports.DONATION_COLUMNS, rows)
    raise Http404(f"no export as {kind}")


@requires("record_donation")
@require_POST
def donation_record_view(request: HttpRequest) -> HttpResponse:
    form = DonationForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        done, _donation = attempt(request, lambda: donation_record(
            donor=data["donor"], value_date=data["value_date"], bank_reference=data["bank_reference"],
            amount=data["amount"], restricted=data["restricted"], currency=data["currency"], rate=data["rate"],
            user=request.user), _("Donation recorded and booked in the ledger."))
        if done:
            return redirect("web:donations")
    return _donations_page(request, form, status=400)


@requires("view_donations")
def reversals_view(request: HttpRequest) -> HttpResponse:
    page = screen_page(request, reversals_page)
    return render(request, "web/reversals.html", {"reversals": page.items, "page": page,
                                                  "query": filters_query(request), "decide_form": ReversalDecideForm()})


@requires("propose_donation_reversal")
@require_POST
def reversal_propose_view(request: HttpRequest, donation_id: int) -> HttpResponse:
    donation = get_object_or_404(Donation, pk=donation_id)
    form = ReversalProposeForm(request.POST)
    if not form.is_valid():
        attempt(request, lambda: donation_reversal_propose(donation=donation, reason="", actor=request.user))
        return redirect("web:donation", donation_id=donation.pk)
    attempt(request, lambda: donation_reversal_propose(donation=donation, reason=form.cleaned_data["reason"],
                                                       actor=request.user),
            _("Reversal proposed; another person must approve it before anything is booked."))
    return redirect("web:donation", donation_id=donation.pk)


@requires("approve_donation_reversal")
@require_POST
def reversal_decide_view(request: HttpRequest, reversal_id: int) -> HttpResponse:
    reversal = get_object_or_404(DonationReversal, pk=reversal_id)
    form = ReversalDecideForm(request.POST)
    if form.is_valid() and form.cleaned_data["decision"] == "approve":
        attempt(request, lambda: donation_reversal_approve(reversal=reversal, approver=request.user),
                _("Reversal approved: the reversing transfer is booked and the receipt cancelled."))
    elif form.is_valid():
        attempt(request, lambda: donation_reversal_reject(reversal=reversal, approver=request.user,
                                                          note=form.cleaned_data["note"]),
                _("Reversal rejected; the donation stands."))
    return redirect("web:donation", donation_id=reversal.donation_id)
