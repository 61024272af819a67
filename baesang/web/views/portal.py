"""Staff side of the creditors' portal: invitations, revocation, the requests queue and each
person's portal activity. Views validate input, call one service of :mod:`baesang.creditors.services`
and render; a bank-account change accepted here becomes a proposal on the approvals page."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from baesang.creditors.models import PortalAccount, PortalActivity, PortalInvitation, PortalRequest
from baesang.creditors.services import portal_invite, portal_request_decide, portal_revoke
from baesang.judgments.models import Document, Person
from baesang.web.feedback import attempt
from baesang.web.paging import filters_query, queryset_page
from baesang.web.permissions import requires


class InviteForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("E-mail address"), required=False, max_length=120)
    phone = forms.CharField(label=gettext_lazy("Mobile number"), required=False, max_length=40)
    channel = forms.ChoiceField(label=gettext_lazy("Send the link by"), choices=PortalInvitation.CHANNEL_CHOICES)
    capacity = forms.ChoiceField(label=gettext_lazy("Who signs in"), choices=PortalAccount.CAPACITY_CHOICES)
    representative_name = forms.CharField(label=gettext_lazy("Representative's name (guardian or attorney)"),
                                          required=False, max_length=100)
    hours = forms.IntegerField(label=gettext_lazy("Link valid for (hours)"), initial=72, min_value=1, max_value=336)


class RevokeForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=2000)


class DecideForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("Note (the creditor reads it; required to reject)"), required=False,
                           max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    document_kind = forms.ChoiceField(label=gettext_lazy("Keep the document as"), required=False,
                                      choices=[("", "—"), *Document.KIND_CHOICES])


@requires("view_portal")
def portal_queue_view(request: HttpRequest) -> HttpResponse:
    """The requests awaiting a decision, oldest first (paged), the latest decided ones and the newest
    accounts (every account: ``GET /api/portal/accounts``)."""
    waiting = PortalRequest.objects.filter(state=PortalRequest.SUBMITTED).select_related(
        "account__person", "claim__judgment")
    page = queryset_page(request, waiting, name="portal-requests", order=("created_at", "pk"))
    decided = PortalRequest.objects.exclude(state=PortalRequest.SUBMITTED).select_related(
        "account__person", "decided_by").order_by("-decided_at", "-pk")[:50]
    accounts = PortalAccount.objects.select_related("person").order_by("-created_at", "-pk")[:100]
    return render(request, "web/portal_queue.html", {"open_requests": page.items, "page": page,
                                                     "query": filters_query(request), "decided": decided,
                                                     "accounts": accounts})


@requires("view_portal")
def person_portal_view(request: HttpRequest, person_id: int) -> HttpResponse:
    """A person's portal accounts, the invitation form and the portal activity log."""
    person = get_object_or_404(Person, pk=person_id)
    accounts = PortalAccount.objects.filter(person=person).order_by("-created_at", "-pk")
    activity = PortalActivity.objects.filter(account__person=person).select_related("account").order_by(
        "-at", "-pk")[:300]
    invitations = PortalInvitation.objects.filter(account__person=person).order_by("-created_at", "-pk")[:50]
    return render(request, "web/person_portal.html", {
        "person": person, "accounts": accounts, "activity": activity, "invitations": invitations,
        "invite_form": InviteForm(initial={"hours": 72}), "revoke_form": RevokeForm()})


@requires("invite_creditors")
@require_POST
def portal_invite_view(request: HttpRequest, person_id: int) -> HttpResponse:
    person = get_object_or_404(Person, pk=person_id)
    form = InviteForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("web:person_portal", person_id=person.pk)
    data = form.cleaned_data
    attempt(request, lambda: portal_invite(person=person, actor=request.user, email=data["email"],
                                           phone=data["phone"], channel=data["channel"], capacity=data["capacity"],
                                           representative_name=data["representative_name"], hours=data["hours"]),
            _("Invitation sent through the outbox."))
    return redirect("web:person_portal", person_id=person.pk)


@requires("invite_creditors")
@require_POST
def portal_revoke_view(request: HttpRequest, account_id: int) -> HttpResponse:
    account = get_object_or_404(PortalAccount, pk=account_id)
    form = RevokeForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    attempt(request, lambda: portal_revoke(account=account, actor=request.user, reason=reason),
            _("Portal access revoked."))
    return redirect("web:person_portal", person_id=account.person_id)


@requires("view_portal")
def portal_request_view(request: HttpRequest, request_id: int) -> HttpResponse:
    item = get_object_or_404(PortalRequest.objects.select_related("account__person", "claim__judgment", "document"),
                             pk=request_id)
    return render(request, "web/portal_request.html", {
        "item": item, "decide_form": DecideForm(initial={"document_kind": item.document_kind})})


@requires("view_portal")
def portal_request_file_view(request: HttpRequest, request_id: int) -> FileResponse:
    """The uploaded file, as the creditor sent it (only after the scanner passed it)."""
    item = get_object_or_404(PortalRequest, pk=request_id)
    if not item.upload:
        raise Http404("no file with this request")
    response = FileResponse(item.upload.open("rb"), content_type=item.upload_type or "application/octet-stream",
                            as_attachment=True, filename=item.upload_name or f"request-{item.pk}")
    response["Cache-Control"] = "no-store"
    return response


@requires("decide_portal_requests")
@require_POST
def portal_request_decide_view(request: HttpRequest, request_id: int) -> HttpResponse:
    item = get_object_or_404(PortalRequest, pk=request_id)
    form = DecideForm(request.POST)
    data = form.cleaned_data if form.is_valid() else {"note": "", "document_kind": ""}
    accept = request.POST.get("decision") == "accept"
    attempt(request, lambda: portal_request_decide(portal_request=item, actor=request.user, accept=accept,
                                                   note=data["note"], document_kind=data["document_kind"]),
            _("Request accepted.") if accept else _("Request rejected."))
    return redirect("web:portal_request", request_id=item.pk)
