from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "baesang.identity"
    verbose_name = "Identity resolution (동일인 식별)"
    default_auto_field = "django.db.models.BigAutoField"
