"""Claims (판결 채권): the list, one claim's page (calculation sheet, holders and shares with
their explanation, offers, consents, deposits, payments), the waiting list, and recording an
offer, a verified consent (with the signed form uploaded) or a refusal."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import chain, islice

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from baesang.calc.interest import InterestError
from baesang.cases import exports
from baesang.cases.models import CourtDeposit, Offer
from baesang.cases.selectors import (
    WaitingClaim,
    claim_detail,
    claims_list_iter,
    claims_page,
    claims_waiting_iter,
    waiting_page_kept,
    waiting_totals,
)
from baesang.cases.services import claim_offers_make, offer_accept, offer_refuse
from baesang.core.paging import KeysetPage
from baesang.judgments.models import Claim
from baesang.judgments.orders import rounding_policy
from baesang.judgments.services import Upload
from baesang.web.downloads import spreadsheet_download
from baesang.web.feedback import attempt
from baesang.web.forms import AsOfForm, ClaimFilterForm, ConsentForm, OfferForm, RefusalForm, StatementForm
from baesang.web.paging import filters_query, screen_page
from baesang.web.permissions import requires
from baesang.web.selectors import holder_explanations


def _as_of(form) -> object:
    if form.is_valid() and form.cleaned_data.get("as_of"):
        return form.cleaned_data["as_of"]
    return timezone.localdate()


def _claims(request: HttpRequest) -> tuple[ClaimFilterForm, object, Iterator[dict]]:
    """The claims of the list (same date and state) streamed, a chunk of claims computed at a
    time (:func:`claims_list_iter`); the first is computed here, so a day the engine refuses is
    found before the download starts (then no rows)."""
    form = ClaimFilterForm(request.GET or None)
    as_of = _as_of(form)
    state = form.cleaned_data.get("state") if form.is_valid() else None
    try:
        rows = claims_list_iter(as_of=as_of, state=state or None)
        first = list(islice(rows, 1))
    except InterestError as error:
        form.add_error("as_of", error.message)
        rows, first = iter(()), []
    return form, as_of, chain(first, rows)


@requires("view_claims")
def claims_view(request: HttpRequest) -> HttpResponse:
    """The claims a page at a time (keyset): the figures are computed for the page's claims only."""
    form = ClaimFilterForm(request.GET or None)
    as_of = _as_of(form)
    state = (form.cleaned_data.get("state") if form.is_valid() else None) or None
    try:
        page = screen_page(request, claims_page, as_of=as_of, state=state)
    except InterestError as error:
        form.add_error("as_of", error.message)
        page = KeysetPage(items=[])
    return render(request, "web/claims.html", {"form": form, "page": page, "rows": page.items, "as_of": as_of,
                                               "query": filters_query(request, as_of=as_of.isoformat())})


@requires("view_claims")
def claims_export_view(request: HttpRequest, kind: str) -> HttpResponseBase:
    """The claims of the list (same date and state) as XLSX or CSV with Korean headers."""
    _form, _as_of_day, rows = _claims(request)
    return spreadsheet_download(kind, "claims", exports.CLAIM_COLUMNS, exports.claim_rows(rows),
                                title=exports.CLAIMS_SHEET)


@requires("view_claims")
def claim_view(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = get_object_or_404(Claim, pk=claim_id)
    form = AsOfForm(request.GET or None)
    as_of = _as_of(form)
    try:
        detail = claim_detail(claim_id=claim.pk, as_of=as_of)
    except InterestError as error:
        form.add_error("as_of", error.message)
        as_of = max(timezone.localdate(), claim.judgment.final_on)
        detail = claim_detail(claim_id=claim.pk, as_of=as_of)
    explanations = holder_explanations(claim=claim, lang="en" if (get_language() or "ko").startswith("en") else "ko")
    holder_ids = {row["holding"]: row["holder_id"] for row in detail["history"]}
    for holder in detail["holders"]:
        holder["explanation"] = explanations.get(holder_ids.get(holder["holding"]), [])
    open_offers = Offer.objects.filter(holding__claim=claim, state=Offer.OPEN).select_related("holding__holder")
    context = {
        "claim": claim, "detail": detail, "form": form, "as_of": as_of, "open_offers": open_offers,
        "offer_form": OfferForm(initial={"offered_on": timezone.localdate()}),
        "refusal_form": RefusalForm(initial={"refused_on": timezone.localdate()}),
        "statement_form": StatementForm(initial={"as_of": as_of}),
        "live_deposits": set(CourtDeposit.objects.filter(holding__claim=claim, state__in=CourtDeposit.LIVE)
                             .values_list("holding_id", flat=True)),
    }
    return render(request, "web/claim.html", context)


@requires("record_consent")
@require_POST
def claim_offers_view(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = get_object_or_404(Claim, pk=claim_id)
    form = OfferForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:

                messages.error(request, error)
        return redirect("web:claim", claim_id=claim.pk)
    attempt(request, lambda: claim_offers_make(claim=claim, offered_on=form.cleaned_data["offered_on"],
                                              actor=request.user, channel=form.cleaned_data["channel"]),
            _("Offers recorded."))
    return redirect("web:claim", claim_id=claim.pk)


@requires("record_consent")
def offer_consent_view(request: HttpRequest, offer_id: int) -> HttpResponse:
    offer = get_object_or_404(Offer.objects.select_related("holding__holder", "holding__claim__judgment"),
                              pk=offer_id)
    if offer.state != Offer.OPEN:
        raise Http404("offer is not open")
    form = ConsentForm(request.POST or None, request.FILES or None,
                       initial={"verified_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def record():
            upload, appointment = data["form_file"], data.get("representative_file")
            return offer_accept(offer=offer, actor=request.user, verified_on=data["verified_on"],
                                identity_method=data["identity_method"], capacity=data["capacity"],
                                witness_name=data["witness_name"], form_upload=Upload(upload.name, upload.read()),
                                representative_name=data.get("representative_name") or "",
                                representative_upload=Upload(appointment.name, appointment.read())
                                if appointment else None)

        done, _result = attempt(request, record, _("Consent recorded with its verification."))
        if done:
            return redirect("web:claim", claim_id=offer.holding.claim_id)
    return render(request, "web/consent.html", {"offer": offer, "form": form},
                  status=400 if form.errors else 200)


@requires("record_consent")
@require_POST
def offer_refuse_view(request: HttpRequest, offer_id: int) -> HttpResponse:
    offer = get_object_or_404(Offer.objects.select_related("holding"), pk=offer_id)
    form = RefusalForm(request.POST)
    if form.is_valid():
        attempt(request, lambda: offer_refuse(offer=offer, actor=request.user,
                                              refused_on=form.cleaned_data["refused_on"],
                                              reason=form.cleaned_data["reason"]), _("Refusal recorded."))
    else:

        messages.error(request, _("Give the date of the refusal."))
    return redirect("web:claim", claim_id=offer.holding.claim_id)


def _waiting(request: HttpRequest) -> tuple[AsOfForm, Iterator[WaitingClaim]]:
    """The waiting list's rows on the asked day (today if that day cannot be computed), streamed:
    the first chunk is computed here, so a day the engine refuses is found before the download
    starts."""
    form = AsOfForm(request.GET or None)
    as_of = _as_of(form)
    try:
        rows = claims_waiting_iter(as_of=as_of)
        first = list(islice(rows, 1))
    except InterestError as error:
        form.add_error("as_of", error.message)
        rows = claims_waiting_iter(as_of=timezone.localdate())
        first = []
    return form, chain(first, rows)


@requires("view_claims")
def waiting_list_view(request: HttpRequest) -> HttpResponse:
    """The waiting list a page at a time (keyset on the waiting order): page 10,000 costs what
    page 1 costs. Its totals (they need every claim) come from the figures cache, as the fund
    report's."""
    form = AsOfForm(request.GET or None)
    as_of = _as_of(form)
    try:
        page = screen_page(request, waiting_page_kept, as_of=as_of)
        totals = waiting_totals(as_of=as_of, stale_ok=True)
    except InterestError as error:
        form.add_error("as_of", error.message)
        as_of = timezone.localdate()
        page = screen_page(request, waiting_page_kept, as_of=as_of)
        totals = waiting_totals(as_of=as_of, stale_ok=True)
    return render(request, "web/waiting_list.html", {"form": form, "page": page, "as_of": as_of, "totals": totals,
                                                     "query": filters_query(request, as_of=as_of.isoformat())})


@requires("view_claims")
def waiting_export_view(request: HttpRequest, kind: str) -> HttpResponseBase:
    """The waiting list (same date) as XLSX or CSV with Korean headers, in waiting order, streamed:
    its figures computed a chunk of claims at a time (:func:`claims_waiting_iter`)."""
    _form, waiting = _waiting(request)
    return spreadsheet_download(kind, "waiting", exports.WAITING_COLUMNS,
                                exports.waiting_rows(waiting, rounding_policy()), title=exports.WAITING_SHEET)
