"""Sign-in, second factor, sign-out and the language switch.

A user who must pass a second factor (approvers, administrators) is not signed in after the
password: the session only remembers a *pending* sign-in for a few minutes, and Django's
``login()`` runs after a valid TOTP code. A first-time user of those roles enrols right
there (the code proves the authenticator app holds the secret). Failed passwords and wrong
codes count toward the lock of :mod:`baesang.staff.signin`.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, get_user_model, login, logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from baesang.core.services import audit_record
from baesang.pii.fields import reveal
from baesang.staff.signin import (
    login_failure_record,
    login_locked_until,
    login_success_record,
    provisioning_uri,
    qr_code_svg,
    second_factor_begin,
    second_factor_confirmed,
    second_factor_required,
    second_factor_verify,
)
from baesang.web.forms import CodeForm, LoginForm
from baesang.web.middleware import SECOND_FACTOR_SESSION_KEY
from baesang.web.permissions import public

PENDING_KEY = "baesang_pending_sign_in"
PENDING_MAX_AGE_SECONDS = 300


def client_address(request: HttpRequest) -> str | None:
    """The client's address; behind a reverse proxy, the last entry of the header it sets
    (``BAESANG_CLIENT_ADDRESS_HEADER``, e.g. ``HTTP_X_FORWARDED_FOR``)."""
    header = getattr(settings, "BAESANG_CLIENT_ADDRESS_HEADER", "")
    if header and request.META.get(header):
        return request.META[header].split(",")[-1].strip() or None
    return request.META.get("REMOTE_ADDR") or None


def _next_url(request: HttpRequest, fallback: str | None = None) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return fallback or reverse("web:dashboard")


def _locked_message(until) -> str:
    local = timezone.localtime(until)
    return _(
        "Too many failed sign-in attempts. Sign-in is locked until %(time)s; try again then "
        "or ask an administrator."
    ) % {"time": formats.time_format(local, "H:i")}


def _complete_sign_in(request: HttpRequest, user, *, second_factor: bool) -> None:
    request.session.pop(PENDING_KEY, None)
    login(request, user)
    if second_factor:
        request.session[SECOND_FACTOR_SESSION_KEY] = int(time.time())
    login_success_record(username=user.get_username())
    audit_record(actor=user, action="auth.login", entity_type="auth.user", entity_id=user.pk,
                 note="with second factor" if second_factor else "")


def _pending_user(request: HttpRequest):
    pending = request.session.get(PENDING_KEY)
    if not pending or time.time() - pending.get("at", 0) > PENDING_MAX_AGE_SECONDS:
        request.session.pop(PENDING_KEY, None)
        return None, None
    user = get_user_model().objects.filter(pk=pending["user_id"], is_active=True).first()
    if user is None:
        return None, None
    user.backend = pending["backend"]
    return user, pending


@public
@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(_next_url(request))
    form = LoginForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        address = client_address(request)
        locked = login_locked_until(username=username, address=address)
        if locked:
            form.add_error(None, _locked_message(locked))
            status = 429
        else:
            user = authenticate(request, username=username, password=form.cleaned_data["password"])
            if user is None:
                locked = login_failure_record(username=username, address=address)
                known = get_user_model().objects.filter(username=username).first()
                if known is not None:
                    audit_record(actor="anonymous", action="auth.login_failed", entity_type="auth.user",
                                 entity_id=known.pk, note="locked" if locked else "")
                if locked:
                    form.add_error(None, _locked_message(locked))
                    status = 429
                else:
                    form.add_error(None, _("Wrong user name or password."))
            elif second_factor_required(user):
                request.session.cycle_key()
                request.session[PENDING_KEY] = {
                    "user_id": user.pk, "backend": user.backend, "at": time.time(), "next": _next_url(request),
                }
                if second_factor_confirmed(user):
                    return redirect("web:second_factor")
                return redirect("web:second_factor_enrol")
            else:
                _complete_sign_in(request, user, second_factor=False)
                return redirect(_next_url(request))
    return render(request, "web/login.html", {"form": form, "next": request.GET.get("next", "")}, status=status)


def _code_step(request: HttpRequest, user, pending, form: CodeForm) -> HttpResponse | None:
    """Check a posted code; sign in and return the redirect on success, else None with errors set."""
    address = client_address(request)
    locked = login_locked_until(username=user.get_username(), address=address)
    if locked:
        form.add_error(None, _locked_message(locked))
        return None
    if second_factor_verify(user=user, code=form.cleaned_data["code"]):
        _complete_sign_in(request, user, second_factor=True)
        return redirect(pending.get("next") or reverse("web:dashboard"))
    locked = login_failure_record(username=user.get_username(), address=address)
    form.add_error(None, _locked_message(locked) if locked else _("Wrong or expired code."))
    return None


@public
@csrf_protect
@never_cache
def second_factor_view(request: HttpRequest) -> HttpResponse:
    user, pending = _pending_user(request)
    if user is None:
        messages.info(request, _("Sign in with your user name and password first."))
        return redirect("web:login")
    if not second_factor_confirmed(user):
        return redirect("web:second_factor_enrol")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = _code_step(request, user, pending, form)
        if done is not None:
            return done
    status = 200 if not form.errors else 400
    return render(request, "web/second_factor.html", {"form": form, "pending_user": user}, status=status)


@public
@csrf_protect
@never_cache
def second_factor_enrol_view(request: HttpRequest) -> HttpResponse:
    user, pending = _pending_user(request)
    if user is None:
        messages.info(request, _("Sign in with your user name and password first."))
        return redirect("web:login")
    if second_factor_confirmed(user):
        return redirect("web:second_factor")
    factor = second_factor_begin(user=user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = _code_step(request, user, pending, form)
        if done is not None:
            messages.success(request, _("Second factor enrolled. You will need a code at every sign-in."))
            return done
    uri = provisioning_uri(factor)
    secret = reveal(factor.secret)  # the user's own key, shown once to set up their app
    secret_groups = " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))
    context = {"form": form, "pending_user": user, "uri": uri, "qr_svg": qr_code_svg(uri), "secret": secret_groups}
    return render(request, "web/second_factor_enrol.html", context, status=200 if not form.errors else 400)


@public
@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    user = request.user if request.user.is_authenticated else None
    if user is not None:
        audit_record(actor=user, action="auth.logout", entity_type="auth.user", entity_id=user.pk)
    logout(request)
    messages.info(request, _("You have signed out."))
    return redirect("web:login")


@public
def set_language_view(request: HttpRequest) -> HttpResponse:
    """Django's ``set_language`` (POST ``language`` and ``next``): keeps the choice in a cookie."""
    return set_language(request)


def admin_login_redirect(request: HttpRequest, extra_context=None) -> HttpResponse:
    """Replaces the admin site's own login form: the admin signs in through the staff login."""

    target = request.GET.get("next") or reverse("admin:index")
    if request.user.is_authenticated:
        # signed in, but not staff (is_staff): the admin has nothing to show them
        return redirect(reverse("web:dashboard"))
    return redirect_to_login(target, reverse("web:login"))
