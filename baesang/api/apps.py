from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "baesang.api"
    label = "api"
