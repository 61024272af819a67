from django.apps import AppConfig


class DonationsConfig(AppConfig):
    name = "baesang.donations"
    label = "donations"
