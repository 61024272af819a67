"""API tokens (API 토큰) for integrations, managed by administrators: the list (who each token
acts as, when it was last used, whether it is revoked), creating one — the token is shown once,
on the answer to the creation, and only its SHA-256 is kept —, and revoking one. Both changes
go through ``baesang.staff.tokens`` and are audited there."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from baesang.staff.models import ApiToken
from baesang.staff.tokens import api_token_create, api_token_revoke
from baesang.web.feedback import attempt
from baesang.web.forms import ApiTokenForm
from baesang.web.permissions import requires


def _tokens_page(request: HttpRequest, *, form=None, created=None, status: int = 200) -> HttpResponse:
    tokens = ApiToken.objects.select_related("user").order_by("revoked_at", "-created_at", "-pk")
    return render(request, "web/tokens.html", {"tokens": tokens, "form": form or ApiTokenForm(),
                                               "created": created}, status=status)


@requires("manage_api_tokens")
def tokens_view(request: HttpRequest) -> HttpResponse:
    return _tokens_page(request)


@requires("manage_api_tokens")
@require_POST
def token_create_view(request: HttpRequest) -> HttpResponse:
    """Answer with the page itself (no redirect): the token is in this response only."""
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        return _tokens_page(request, form=form, status=400)
    done, result = attempt(request, lambda: api_token_create(user=form.cleaned_data["user"],
                                                             name=form.cleaned_data["name"], actor=request.user))
    if not done:
        return _tokens_page(request, form=form, status=400)
    token, raw = result
    return _tokens_page(request, created={"token": token, "raw": raw}, status=201)


@requires("manage_api_tokens")
@require_POST
def token_revoke_view(request: HttpRequest, token_id: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=token_id)
    attempt(request, lambda: api_token_revoke(token=token, actor=request.user),
            _("Token %(prefix)s… revoked.") % {"prefix": token.prefix})
    return redirect("web:tokens")
