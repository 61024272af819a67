"""Who acts in the portal, and what they may do: the portal's own permission check.

A creditor is not a staff user. The portal never signs anyone in through Django's
authentication: its session holds the id of a :class:`~baesang.creditors.models.PortalAccount`
under its own key, so ``request.user`` stays anonymous on every staff page and API operation
(a creditor can never pass a staff permission), and a signed-in staff user is not a portal
account (a staff user never acts as a creditor). Services that creditors use take a
:class:`PortalActor` and call :func:`portal_require` first, as staff services call
``permission_require``.
"""

from __future__ import annotations

from dataclasses import dataclass

from baesang.creditors.errors import PortalNotPermitted
from baesang.creditors.models import PortalAccount

#: What a signed-in portal account may do (all concern its own holdings only).
PORTAL_ACTIONS: dict[str, str] = {
    "portal_view_own": "See one's own claims, shares, amounts owed, payments and documents.",
    "portal_submit_request": "Send a document, a contact or bank-account change, a wish, a visit or call request.",
    "portal_download_statement": "Download one's own statement and payment receipts.",
    "portal_manage_passkeys": "Add and remove one's own passkeys (WebAuthn).",
}


@dataclass(frozen=True)
class PortalActor:
    """A signed-in portal account, as services receive it. It is deliberately not an
    ``Actor`` of the staff table: it has no ``is_authenticated`` and no ``groups``, so
    ``baesang.core.permissions.user_may`` refuses it every staff action."""

    account: PortalAccount
    address: str = ""

    @property
    def label(self) -> str:
        return f"portal:{self.account.pk}"

    def __str__(self) -> str:
        return self.label


def portal_require(actor: object, action: str) -> PortalAccount:
    """Refuse anything but an active portal account; return the account (fresh from the database)."""
    if action not in PORTAL_ACTIONS:
        raise KeyError(f"{action!r} is not a portal action")
    if not isinstance(actor, PortalActor):
        raise PortalNotPermitted(f"{action}: only a signed-in portal account may do this", field="account")
    account = PortalAccount.objects.filter(pk=actor.account.pk).first()
    if account is None or not account.is_active:
        raise PortalNotPermitted(f"{action}: portal account {actor.account.pk} is not active", field="account")
    return account
