from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "baesang.public"
    label = "public"
