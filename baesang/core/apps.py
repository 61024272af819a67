from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "baesang.core"
    label = "core"
    verbose_name = "baesang core"
