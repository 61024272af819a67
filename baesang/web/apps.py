"""The staff web application (Django app ``web``)."""

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "baesang.web"
    label = "web"
    verbose_name = "staff application"

    def ready(self) -> None:
        # The admin site signs in through the staff login (throttling and second factor),
        # never through its own form.
        # Views and the admin site load models: only once the app registry is ready.
        from django.contrib import admin  # noqa: PLC0415

        from baesang.web.views.signin import admin_login_redirect  # noqa: PLC0415

        admin.site.login = admin_login_redirect
