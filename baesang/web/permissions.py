"""The staff screens' side of the permission table: the view decorators.

The table itself is :mod:`baesang.core.permissions` (one table for services, screens, the API
and the command line). Views use :func:`requires`; a test walks every URL of the staff
application, for every role and for an anonymous visitor, so a view without an action fails.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from baesang.core.permissions import (  # noqa: F401  (re-exported for the screens)
    MATRIX,
    ROLE_ORDER,
    action_get,
    actions_for,
    matrix_markdown,
    user_may,
    user_roles,
)

# A view anyone may open, signed in or not (login, language switch). Not an action of the matrix.
PUBLIC = "public"


def requires(action: str) -> Callable:
    """Decorate a view: anonymous visitors go to the login page, users whose roles lack
    ``action`` get 403. The action is checked against the matrix when the module loads."""
    action_get(action)

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
            if not user_may(request.user, action):
                raise PermissionDenied(action)
            return view(request, *args, **kwargs)

        wrapped.permission_action = action  # read by the permission-walk test and the docs
        return wrapped

    return decorator


def public(view: Callable) -> Callable:
    """Mark a view as open to anonymous visitors (login, language switch)."""
    view.permission_action = PUBLIC
    return view
