"""Printable PDFs: the creditor's statement (from the claim page: owed on a chosen day, the
calculation, holders and shares with their explanation, amounts paid), and the donation
receipt (기부금 영수증) with its gap-free number, from a donation's page, where a finance
officer also issues the receipt. See :mod:`baesang.web.printing` for what is logged."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from baesang.donations.models import Donation, DonationReceipt
from baesang.donations.services import receipt_issue
from baesang.judgments.models import Claim
from baesang.web.feedback import attempt
from baesang.web.forms import StatementForm
from baesang.web.permissions import requires
from baesang.web.printing import IssuedPdf, receipt_print, statement_issue


def _lang() -> str:
    return "en" if (get_language() or "ko").startswith("en") else "ko"


def _pdf_response(issued: IssuedPdf) -> HttpResponse:
    response = HttpResponse(issued.content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, issued.filename)
    response["X-Content-SHA256"] = issued.sha256
    return response


@requires("print_statement")
@require_POST
def statement_pdf_view(request: HttpRequest, claim_id: int) -> HttpResponse:
    """A POST (the reason is personal to the request and stays out of the address)."""
    claim = get_object_or_404(Claim.objects.select_related("judgment"), pk=claim_id)
    form = StatementForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
        return redirect("web:claim", claim_id=claim.pk)
    done, issued = attempt(request, lambda: statement_issue(
        claim=claim, as_of=form.cleaned_data["as_of"], user=request.user, reason=form.cleaned_data["reason"],
        lang=_lang()))
    if not done:
        return redirect("web:claim", claim_id=claim.pk)
    return _pdf_response(issued)


@requires("view_donations")
def donation_view(request: HttpRequest, donation_id: int) -> HttpResponse:
    donation = get_object_or_404(Donation.objects.select_related("donor", "pledge", "transfer"), pk=donation_id)
    receipt = DonationReceipt.objects.filter(donation=donation).first()
    return render(request, "web/donation.html", {"donation": donation, "receipt": receipt})


@requires("record_donation")
@require_POST
def receipt_issue_view(request: HttpRequest, donation_id: int) -> HttpResponse:
    donation = get_object_or_404(Donation, pk=donation_id)
    done, receipt = attempt(request, lambda: receipt_issue(donation=donation, user=request.user))
    if done:
        messages.success(request, _("Receipt %(number)s issued.") % {"number": receipt.number})
    return redirect("web:donation", donation_id=donation.pk)


@requires("record_donation")
def receipt_pdf_view(request: HttpRequest, receipt_id: int) -> HttpResponse:
    receipt = get_object_or_404(DonationReceipt, pk=receipt_id)
    return _pdf_response(receipt_print(receipt=receipt, user=request.user, lang=_lang()))
