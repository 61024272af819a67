from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "baesang.staff"
    label = "staff"
    verbose_name = "staff accounts"
