from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "baesang.ledger"
    label = "ledger"
