from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "baesang.web"
    label = "web"
