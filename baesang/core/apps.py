from django.apps import AppConfig

from baesang.core import checks  # noqa: F401 - registers the system checks (check --deploy)


class CoreConfig(AppConfig):
    name = "baesang.core"
    label = "core"
    verbose_name = "baesang core"
