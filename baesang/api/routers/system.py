"""Who is calling, and what may they do."""

from __future__ import annotations

from ninja import Router, Schema

from baesang.api.auth import allowed
from baesang.api.schemas import responses
from baesang.core.permissions import ROLE_ORDER, actions_for, user_roles

router = Router(tags=["system"])


class MeOut(Schema):
    username: str
    roles: list[str]
    actions: list[str]
    via: str


@router.get("/me", response=responses(MeOut), auth=allowed("use_own_account"), summary="The calling user")
def me(request):
    user = request.auth
    held = user_roles(user)
    return {
        "username": user.get_username(),
        "roles": [role for role in ROLE_ORDER if role in held],
        "actions": actions_for(user),
        "via": "token" if getattr(user, "api_token", None) else "session",
    }
