from django.apps import AppConfig


class PiiConfig(AppConfig):
    name = "baesang.pii"
    label = "pii"
