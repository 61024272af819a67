"""The dashboard and the user's own account page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from baesang.staff.signin import second_factor_confirmed, second_factor_required
from baesang.web.context_processors import role_labels
from baesang.web.dashboard import panels_for
from baesang.web.permissions import MATRIX, actions_for, requires


@requires("view_dashboard")
def dashboard_view(request: HttpRequest) -> HttpResponse:
    return render(request, "web/dashboard.html", {"panels": panels_for(request)})


@requires("use_own_account")
def account_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    context = {
        "roles": role_labels(user),
        "actions": [MATRIX[name] for name in actions_for(user)],
        "second_factor_required": second_factor_required(user),
        "second_factor": second_factor_confirmed(user),
    }
    return render(request, "web/account.html", context)
