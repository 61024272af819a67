from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "baesang.cases"
    label = "cases"
