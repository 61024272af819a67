from django.apps import AppConfig


class CreditorsConfig(AppConfig):
    name = "baesang.creditors"
    label = "creditors"
    verbose_name = "creditors' portal (채권자 포털)"
