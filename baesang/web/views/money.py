"""The fund (position and report from the ledger), judgments, donations received and
recording a donation."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from baesang.cases.selectors import fund_report
from baesang.donations.models import Donation
from baesang.donations.services import donation_record
from baesang.judgments.selectors import judgments_list
from baesang.web.feedback import attempt
from baesang.web.forms import AsOfForm, DonationForm
from baesang.web.permissions import requires


@requires("view_ledger")
def fund_view(request: HttpRequest) -> HttpResponse:
    form = AsOfForm(request.GET or None)
    as_of = form.cleaned_data["as_of"] if form.is_valid() and form.cleaned_data["as_of"] else timezone.localdate()
    return render(request, "web/fund.html", {"form": form, "report": fund_report(as_of=as_of), "as_of": as_of})


@requires("view_judgments")
def judgments_view(request: HttpRequest) -> HttpResponse:
    return render(request, "web/judgments.html", {"judgments": judgments_list()})


@requires("view_donations")
def donations_view(request: HttpRequest) -> HttpResponse:
    donations = Donation.objects.select_related("donor", "receipt").order_by("-value_date", "-pk")[:500]
    return render(request, "web/donations.html", {
        "donations": donations, "form": DonationForm(initial={"value_date": timezone.localdate()})})


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
    donations = Donation.objects.select_related("donor", "receipt").order_by("-value_date", "-pk")[:500]
    return render(request, "web/donations.html", {"donations": donations, "form": form}, status=400)
