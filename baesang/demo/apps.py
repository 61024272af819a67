from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "baesang.demo"
    label = "demo"
    verbose_name = "demo foundation"
