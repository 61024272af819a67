"""The creditors' portal (채권자 포털): accounts of creditors, heirs and their representatives,
one-time invitations, the message outbox, requests that staff verify, and the portal's activity log.

This app sits between the entry points and ``cases``: the portal's screens (``baesang.web.portal``),
the staff screens and the API call its services; it reads claims through ``cases`` and never
changes a holding, a consent or a bank account itself — each wish of a creditor becomes a
:class:`~baesang.creditors.models.PortalRequest` that a case officer decides.
"""
