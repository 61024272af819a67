"""Screens of the creditors' portal.

Who is signed in is a :class:`~baesang.creditors.models.PortalAccount` id in the session under
:data:`ACCOUNT_KEY`, never a Django user: staff pages and the API see an anonymous visitor, and
a session where a staff user is signed in is never a portal session. Every screen but the
sign-in steps goes through :func:`portal_page`, which sends an anonymous visitor to the sign-in
page; every record named in an address is looked up among the account's own holdings, so
another creditor's ids answer 404. Pages that show the creditor's personal data (claims,
amounts, statement) write a row of the portal activity log marked as personal data.

Large text and high contrast: ``?text=large|normal`` and ``?contrast=high|normal`` on any
portal page, kept in a cookie; the language: ``?lang=ko|en|ja`` (the language middleware).
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_POST

from baesang.calc.interest import InterestError
from baesang.cases.models import BatchLine, ClaimHolding, ConsentVerification, CourtDeposit, HolderChange
from baesang.cases.selectors import claim_detail
from baesang.core.errors import DomainError
from baesang.core.messages import error_text
from baesang.creditors.access import PortalActor
from baesang.creditors.models import PortalAccount, PortalRequest
from baesang.creditors.passkeys import (
    passkey_authenticate_begin,
    passkey_authenticate_finish,
    passkey_register_begin,
    passkey_register_finish,
    passkey_remove,
)
from baesang.creditors.selectors import waiting_places
from baesang.creditors.services import (
    account_holdings,
    activity_record,
    invitation_redeem,
    portal_code_verify,
    portal_factor_uri,
    portal_request_submit,
    portal_sign_in,
    portal_sms_code_send,
)
from baesang.judgments.models import Claim, Document, Person
from baesang.judgments.services import Upload
from baesang.pii.fields import reveal
from baesang.staff.signin import qr_code_svg
from baesang.web.pdf import statement_pdf
from baesang.web.portal.forms import DOCUMENT_LABELS, BankForm, CodeForm, ContactForm, SignInForm, UploadForm, WishForm
from baesang.web.printing import statement_data
from baesang.web.selectors import holder_explanations
from baesang.web.views.signin import client_address

ACCOUNT_KEY = "baesang_portal_account"
ENROL_KEY = "baesang_portal_enrol"
ENROL_MAX_AGE_SECONDS = 900
DISPLAY_COOKIE = "baesang_portal_display"
DISPLAY_FLAGS = {"text": ("large", "normal"), "contrast": ("high", "normal")}


# --------------------------------------------------------------------------- helpers


def _lang() -> str:
    return (get_language() or "ko")[:2]


def _display(request: HttpRequest) -> tuple[dict[str, str], bool]:
    stored = dict(part.split("=", 1) for part in request.COOKIES.get(DISPLAY_COOKIE, "").split("|") if "=" in part)
    flags = {name: stored.get(name) if stored.get(name) in values else "normal"
             for name, values in DISPLAY_FLAGS.items()}
    changed = False
    for name, values in DISPLAY_FLAGS.items():
        asked = request.GET.get(name)
        if asked in values and asked != flags[name]:
            flags[name], changed = asked, True
    return flags, changed


def _render(request: HttpRequest, template: str, context: dict | None = None, status: int = 200) -> HttpResponse:
    flags, changed = _display(request)
    context = dict(context or {})
    context.update({"display": flags, "portal_account": getattr(getattr(request, "portal", None), "account", None),
                    "here": request.path})
    response = render(request, template, context, status=status)
    if changed:
        response.set_cookie(DISPLAY_COOKIE, "|".join(f"{k}={v}" for k, v in flags.items()),
                            max_age=365 * 24 * 3600, samesite="Lax", httponly=True, secure=request.is_secure())
    response["Cache-Control"] = "no-store"
    return response


def _error(request: HttpRequest, error: DomainError) -> None:
    messages.error(request, error_text(error, _lang()))


def current_account(request: HttpRequest) -> PortalAccount | None:
    """The portal account of this session, or None (always None while a staff user is signed in)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return None
    account_id = request.session.get(ACCOUNT_KEY)
    if not account_id:
        return None
    account = PortalAccount.objects.select_related("person").filter(pk=account_id).first()
    if account is None or not account.is_active:
        request.session.pop(ACCOUNT_KEY, None)
        return None
    return account


def portal_page(view: Callable) -> Callable:
    """A page for a signed-in portal account only: anyone else goes to the sign-in page."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs):
        account = current_account(request)
        if account is None:
            return redirect(reverse("portal:sign_in"))
        request.portal = PortalActor(account=account, address=client_address(request) or "")
        return view(request, *args, **kwargs)

    wrapped.portal_page = True  # read by the portal walk test
    return wrapped


def _sign_in_complete(request: HttpRequest, account: PortalAccount) -> HttpResponse:
    request.session.flush()  # nothing of an earlier session (a staff sign-in included) survives
    request.session[ACCOUNT_KEY] = account.pk
    return redirect("portal:home")


def _own_holdings(account: PortalAccount, claim_id: int | None = None) -> list[ClaimHolding]:
    holdings = account_holdings(account)
    if claim_id is not None:
        holdings = holdings.filter(claim_id=claim_id)
    return list(holdings)


def _waiting_places(as_of, holdings: list[ClaimHolding]) -> dict[int, tuple[int, int]]:
    """The place of each claim still waiting on the waiting list (rank, length)."""
    return waiting_places(claim_ids={h.claim_id for h in holdings if h.state in ClaimHolding.OUTSTANDING},
                          as_of=as_of)


def _holding_status(holding: ClaimHolding, places: dict[int, tuple[int, int]]) -> dict:
    """What the creditor reads about the state of their holding."""
    consent = (ConsentVerification.objects.filter(holding=holding, revoked_at__isnull=True)
               .order_by("-verified_on").first())
    open_line = BatchLine.objects.filter(holding=holding, state="open").select_related("batch").first()
    deposit = CourtDeposit.objects.filter(holding=holding).select_related("court").order_by("-pk").first()
    place = places.get(holding.claim_id) if holding.state in ClaimHolding.OUTSTANDING and not open_line else None
    return {"state": holding.state, "consent": consent, "batch_line": open_line, "deposit": deposit,
            "place": place}


# --------------------------------------------------------------------------- signing in


@csrf_protect
@never_cache
def sign_in_view(request: HttpRequest) -> HttpResponse:
    """``/portal/``: the sign-in page (contact + code); a signed-in account goes to its claims."""
    if current_account(request) is not None:
        return redirect("portal:home")
    form = SignInForm(request.POST or None)
    status = 200
    if request.method == "POST" and "send_sms" in request.POST:
        form = SignInForm(initial={"contact": request.POST.get("contact", "")})
        try:
            portal_sms_code_send(contact=request.POST.get("contact", ""), address=client_address(request) or "")
        except DomainError as error:
            form.add_error(None, error_text(error, _lang()))
            return _render(request, "portal/sign_in.html", {"form": form}, status=429)
        messages.info(request, _("If this mobile number is registered for the portal, a 6-digit code is on its way "
                                 "by text message. It is valid for 5 minutes: type it as the code."))
        return _render(request, "portal/sign_in.html", {"form": form})
    if request.method == "POST" and form.is_valid():
        try:
            account = portal_sign_in(contact=form.cleaned_data["contact"], code=form.cleaned_data["code"],
                                     address=client_address(request) or "")
        except DomainError as error:
            form.add_error(None, error_text(error, _lang()))
            status = 429
        else:
            if account is not None:
                return _sign_in_complete(request, account)
            form.add_error(None, _("The contact or the code is not right. Check the code in your app and try again."))
            status = 400
    return _render(request, "portal/sign_in.html", {"form": form}, status=status)


@csrf_protect
@never_cache
def invitation_view(request: HttpRequest, token: str) -> HttpResponse:
    """The invitation link: GET shows a button (mail scanners that open links do not use it up);
    POST uses it and goes on to binding the second factor."""
    if request.method == "POST":
        try:
            account = invitation_redeem(token=token, address=client_address(request) or "")
        except DomainError as error:
            return _render(request, "portal/invitation.html", {"refused": error_text(error, _lang())}, status=403)
        request.session.flush()
        request.session[ENROL_KEY] = {"account": account.pk, "at": time.time()}
        return redirect("portal:enrol")
    return _render(request, "portal/invitation.html", {"token": token})


def _enrolling(request: HttpRequest) -> PortalAccount | None:
    pending = request.session.get(ENROL_KEY)
    if not pending or time.time() - pending.get("at", 0) > ENROL_MAX_AGE_SECONDS:
        request.session.pop(ENROL_KEY, None)
        return None
    return PortalAccount.objects.filter(pk=pending["account"], state=PortalAccount.ACTIVE).first()


@csrf_protect
@never_cache
def enrol_view(request: HttpRequest) -> HttpResponse:
    """Bind the authenticator app (TOTP) after an invitation: QR code, key, first code."""
    account = _enrolling(request)
    if account is None:
        return redirect("portal:sign_in")
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            accepted = portal_code_verify(account=account, code=form.cleaned_data["code"],
                                          address=client_address(request) or "")
        except DomainError as error:
            form.add_error(None, error_text(error, _lang()))
            accepted, status = False, 429
        if accepted:
            response = _sign_in_complete(request, account)
            messages.success(request, _("Your authenticator app is set up. Next time, sign in with your contact "
                                        "and a code from the app."))
            return response
        if status == 200:
            form.add_error(None, _("Wrong or expired code."))
            status = 400
    uri = portal_factor_uri(account)
    secret = reveal(account.totp_secret) or ""
    context = {"form": form, "qr_svg": qr_code_svg(uri), "uri": uri,
               "secret": " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))}
    return _render(request, "portal/enrol.html", context, status=status)


@require_POST
@portal_page
def sign_out_view(request: HttpRequest) -> HttpResponse:
    activity_record(account=request.portal.account, action="sign_out", address=request.portal.address)
    request.session.flush()
    messages.info(request, _("You have signed out."))
    return redirect("portal:sign_in")


# --------------------------------------------------------------------------- what the creditor sees


@never_cache
@portal_page
def home_view(request: HttpRequest) -> HttpResponse:
    account = request.portal.account
    today = timezone.localdate()
    holdings = _own_holdings(account)
    places = _waiting_places(today, holdings)
    rows = []
    for holding in holdings:
        try:
            detail = claim_detail(claim_id=holding.claim_id, as_of=today)
        except InterestError:
            detail = None
        part = next((h for h in (detail or {}).get("holders", []) if h["holding"] == holding.pk), None)
        rows.append({"holding": holding, "claim": holding.claim, "part": part,
                     "status": _holding_status(holding, places)})
    activity_record(account=account, action="claims_viewed", personal_data=True, address=request.portal.address)
    return _render(request, "portal/home.html", {"rows": rows, "today": today})


def _claim_or_404(account: PortalAccount, claim_id: int) -> tuple[Claim, list[ClaimHolding]]:
    holdings = _own_holdings(account, claim_id)
    if not holdings:
        raise Http404("not one of your claims")
    return holdings[0].claim, holdings


def _explanation_named(claim: Claim, lines: list[str]) -> list[str]:
    """The share explanation with the family file's ids (``V``, ``W`` …) replaced by the persons'
    names, so the creditor reads "정대한의 배우자", not "V의 배우자"."""
    mapping: dict[str, int] = {}
    for change in HolderChange.objects.filter(claim=claim).exclude(explanation=None).order_by("pk"):
        mapping.update({str(k): v for k, v in ((change.explanation or {}).get("persons") or {}).items()})
        if change.family and change.decedent_id and change.family.get("decedent"):
            mapping[str(change.family["decedent"])] = change.decedent_id
    names = dict(Person.objects.filter(pk__in=set(mapping.values())).values_list("pk", "name_hangul"))
    known = {key: names[pk] for key, pk in mapping.items() if pk in names}
    if not known:
        return lines
    pattern = re.compile(r"(?<![A-Za-z0-9_])(" + "|".join(re.escape(k) for k in sorted(known, key=len, reverse=True))
                         + r")(?![A-Za-z0-9_])")
    return [pattern.sub(lambda match: known[match.group(1)], line) for line in lines]


@never_cache
@portal_page
def claim_view(request: HttpRequest, claim_id: int) -> HttpResponse:
    account = request.portal.account
    claim, holdings = _claim_or_404(account, claim_id)
    today = timezone.localdate()
    detail = claim_detail(claim_id=claim.pk, as_of=max(today, claim.judgment.final_on))
    explanation = _explanation_named(claim, holder_explanations(
        claim=claim, lang="ko" if _lang() == "ko" else "en").get(account.person_id, []))
    places = _waiting_places(today, holdings)
    own = []
    per_day_claim = Fraction(detail["interest_per_day"])
    for holding in holdings:
        part = next((h for h in detail["holders"] if h["holding"] == holding.pk), None)
        payments = list(BatchLine.objects.filter(holding=holding, state="paid").select_related("batch")
                        .order_by("resolved_on", "pk"))
        own.append({"holding": holding, "part": part, "status": _holding_status(holding, places),
                    "per_day": int(per_day_claim * holding.share) if holding.state in ClaimHolding.OUTSTANDING else 0,
                    "payments": payments})
    activity_record(account=account, action="claim_viewed", entity_type="judgments.claim", entity_id=claim.pk,
                    personal_data=True, address=request.portal.address)
    return _render(request, "portal/claim.html", {"claim": claim, "detail": detail, "own": own,
                                                  "explanation": explanation, "today": today})


@dataclass(frozen=True)
class _PortalIssuer:
    """The statement names who issued it: the portal, for the account."""

    account_id: int

    def get_username(self) -> str:
        return f"portal:{self.account_id}"


@never_cache
@portal_page
def statement_view(request: HttpRequest, claim_id: int) -> HttpResponse:
    account = request.portal.account
    claim, _holdings = _claim_or_404(account, claim_id)
    as_of = max(timezone.localdate(), claim.judgment.final_on)
    lang = "ko" if _lang() == "ko" else "en"
    data = statement_data(claim=claim, as_of=as_of, user=_PortalIssuer(account.pk), lang=lang)
    content = statement_pdf(data, lang=lang)
    activity_record(account=account, action="statement_downloaded", entity_type="judgments.claim",
                    entity_id=claim.pk, personal_data=True, note=data.reference, address=request.portal.address)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        True, f"statement-{claim.judgment.case_number}-{claim.position}-{as_of:%Y%m%d}.pdf")
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@portal_page
def receipt_view(request: HttpRequest, line_id: int) -> HttpResponse:
    """The receipt of one payment to the account's holder (printable page)."""
    account = request.portal.account
    line = (BatchLine.objects.filter(pk=line_id, holder_id=account.person_id, state="paid")
            .select_related("batch", "claim__judgment", "holder").first())
    if line is None:
        raise Http404("not one of your payments")
    activity_record(account=account, action="receipt_viewed", entity_type="cases.batchline", entity_id=line.pk,
                    personal_data=True, address=request.portal.address)
    return _render(request, "portal/receipt.html", {"line": line})


def _documents_needed(account: PortalAccount, holdings: list[ClaimHolding]) -> list[dict]:
    """What the foundation still needs from the creditor: a family relation certificate for a
    share that came by succession, a guardianship decision for a representative, and a bank
    account confirmation while no account is recorded."""
    have = set(Document.objects.filter(person_id=account.person_id).values_list("kind", flat=True))
    sent = {r.document_kind: r.state for r in account.requests.filter(kind=PortalRequest.DOCUMENT).order_by("pk")}
    needed = []
    if any(h.change.basis == "heirship" for h in holdings) and Document.FAMILY_RELATION_CERTIFICATE not in have:
        needed.append(Document.FAMILY_RELATION_CERTIFICATE)
    if account.capacity == PortalAccount.GUARDIAN and Document.GUARDIANSHIP not in have:
        needed.append(Document.GUARDIANSHIP)
    if not reveal(account.person.bank_account):
        needed.append(Document.OTHER)
    return [{"kind": kind, "label": DOCUMENT_LABELS[kind], "sent": sent.get(kind)} for kind in needed]


@never_cache
@portal_page
def documents_view(request: HttpRequest) -> HttpResponse:
    account = request.portal.account
    holdings = list(account_holdings(account).select_related("change"))
    form = UploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["upload"]
            try:
                portal_request_submit(actor=request.portal, kind=PortalRequest.DOCUMENT,
                                      document_kind=form.cleaned_data["document_kind"],
                                      upload=Upload(name=upload.name, content=upload.read()),
                                      message=form.cleaned_data["message"])
            except DomainError as error:
                form.add_error("upload", error_text(error, _lang()))
                status = 400
            else:
                messages.success(request, _("Thank you. The file was received; a case officer will check it."))
                return redirect("portal:documents")
        else:
            status = 400
    sent = account.requests.filter(kind=PortalRequest.DOCUMENT).order_by("-pk")
    return _render(request, "portal/documents.html", {"form": form, "needed": _documents_needed(account, holdings),
                                                      "sent": sent}, status=status)


@never_cache
@portal_page
def requests_view(request: HttpRequest) -> HttpResponse:
    account = request.portal.account
    claims = [(h.claim_id, f"{h.claim.judgment.case_number} #{h.claim.position}") for h in _own_holdings(account)]
    which = request.POST.get("form", "")
    contact_form = ContactForm(request.POST if which == "contact" else None, prefix="contact")
    bank_form = BankForm(request.POST if which == "bank" else None, prefix="bank")
    wish_form = WishForm(request.POST if which == "wish" else None, prefix="wish")
    wish_form.fields["claim"].choices = [("", _("All my claims"))] + claims
    status = 200
    if request.method == "POST":
        form = {"contact": contact_form, "bank": bank_form, "wish": wish_form}.get(which)
        if form is not None and form.is_valid():
            data = form.cleaned_data
            kind = {"contact": PortalRequest.CONTACT, "bank": PortalRequest.BANK_ACCOUNT}.get(which) or data["kind"]
            try:
                portal_request_submit(actor=request.portal, kind=kind, claim_id=data.get("claim"),
                                      message=data.get("message", ""), new_email=data.get("new_email", ""),
                                      new_phone=data.get("new_phone", ""), bank_name=data.get("bank_name", ""),
                                      bank_account=data.get("bank_account", ""))
            except DomainError as error:
                form.add_error(None, error_text(error, _lang()))
                status = 400
            else:
                messages.success(request, _("Thank you. Your request was sent; a case officer will answer it."))
                return redirect("portal:requests")
        else:
            status = 400
    context = {"contact_form": contact_form, "bank_form": bank_form, "wish_form": wish_form,
               "requests": account.requests.order_by("-pk")}
    return _render(request, "portal/requests.html", context, status=status)


@never_cache
@portal_page
def request_view(request: HttpRequest, request_id: int) -> HttpResponse:
    item = request.portal.account.requests.filter(pk=request_id).first()
    if item is None:
        raise Http404("not one of your requests")
    return _render(request, "portal/request.html", {"item": item})


# --------------------------------------------------------------------------- passkeys (WebAuthn)


def _relying_party(request: HttpRequest) -> tuple[str, str]:
    """The relying party id and the origin: ``BAESANG_PORTAL_RP_ID`` / ``BAESANG_PORTAL_ORIGIN``,
    by default the host of the request."""
    host = request.get_host()
    rp_id = getattr(settings, "BAESANG_PORTAL_RP_ID", "") or (host.rsplit(":", 1)[0] if host.count(":") == 1
                                                               else host)
    origin = getattr(settings, "BAESANG_PORTAL_ORIGIN", "") or f"{request.scheme}://{host}"
    return rp_id, origin


def _json_body(request: HttpRequest) -> dict:
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def _json_refusal(request: HttpRequest, error: DomainError | None = None, status: int = 400) -> JsonResponse:
    text = error_text(error, _lang()) if error is not None else _("The passkey could not be used. Please try again.")
    return JsonResponse({"ok": False, "message": text}, status=status)


@csrf_protect
@never_cache
@portal_page
def passkeys_view(request: HttpRequest) -> HttpResponse:
    """``/portal/passkeys/``: the account's passkeys, adding one (passkey.js), removing one."""
    account = request.portal.account
    if request.method == "POST":
        try:
            passkey_remove(actor=request.portal, passkey_id=int(request.POST.get("remove") or 0))
        except (DomainError, ValueError) as error:
            if isinstance(error, DomainError):
                _error(request, error)
        else:
            messages.success(request, _("The passkey was removed."))
        return redirect("portal:passkeys")
    return _render(request, "portal/passkeys.html", {"passkeys": account.passkeys.order_by("created_at", "pk")})


@require_POST
@csrf_protect
@never_cache
@portal_page
def passkey_add_options_view(request: HttpRequest) -> HttpResponse:
    rp_id, _origin = _relying_party(request)
    options = passkey_register_begin(actor=request.portal, store=request.session, rp_id=rp_id)
    return HttpResponse(options, content_type="application/json")


@require_POST
@csrf_protect
@never_cache
@portal_page
def passkey_add_view(request: HttpRequest) -> HttpResponse:
    rp_id, origin = _relying_party(request)
    data = _json_body(request)
    try:
        passkey_register_finish(actor=request.portal, store=request.session, credential=data.get("credential") or {},
                                rp_id=rp_id, origin=origin, name=str(data.get("name") or ""))
    except DomainError as error:
        return _json_refusal(request, error)
    messages.success(request, _("Your passkey is added. Next time, sign in with it."))
    return JsonResponse({"ok": True, "redirect": reverse("portal:passkeys")})


@require_POST
@csrf_protect
@never_cache
def passkey_options_view(request: HttpRequest) -> HttpResponse:
    """Sign-in step: the options for ``navigator.credentials.get`` (the contact, if given, lists
    the account's passkeys)."""
    if current_account(request) is not None or getattr(request.user, "is_authenticated", False):
        return _json_refusal(request, status=403)
    rp_id, _origin = _relying_party(request)
    options = passkey_authenticate_begin(store=request.session, rp_id=rp_id,
                                         contact=str(_json_body(request).get("contact") or ""))
    return HttpResponse(options, content_type="application/json")


@require_POST
@csrf_protect
@never_cache
def passkey_sign_in_view(request: HttpRequest) -> HttpResponse:
    """Sign-in step: check the passkey's answer and sign the account in."""
    if current_account(request) is not None or getattr(request.user, "is_authenticated", False):
        return _json_refusal(request, status=403)
    rp_id, origin = _relying_party(request)
    try:
        account = passkey_authenticate_finish(store=request.session,
                                              credential=_json_body(request).get("credential") or {},
                                              rp_id=rp_id, origin=origin, address=client_address(request) or "")
    except DomainError as error:
        return _json_refusal(request, error, status=403)
    if account is None:
        return _json_refusal(request, status=403)
    _sign_in_complete(request, account)
    return JsonResponse({"ok": True, "redirect": reverse("portal:home")})
