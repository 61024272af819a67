from django.apps import AppConfig


class JudgmentsConfig(AppConfig):
    name = "baesang.judgments"
    label = "judgments"
