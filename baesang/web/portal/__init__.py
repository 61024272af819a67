"""The creditors' portal screens under ``/portal/`` (채권자 포털): an entry point beside the staff
screens, sharing their statement PDF and share explanations but not their sign-in.

A portal visitor is never a Django user: :mod:`baesang.creditors.access` explains why.
"""
