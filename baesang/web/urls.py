"""URLs of the staff application (namespace ``web``). Each view is decorated with
``baesang.web.permissions.requires(action)`` or marked ``public``; a test walks this list."""

from django.urls import path

from baesang.web.views import access_log, audit, home, signin

app_name = "web"
urlpatterns = [
    path("", home.dashboard_view, name="dashboard"),
    path("accounts/login/", signin.login_view, name="login"),
    path("accounts/second-factor/", signin.second_factor_view, name="second_factor"),
    path("accounts/second-factor/enrol/", signin.second_factor_enrol_view, name="second_factor_enrol"),
    path("accounts/logout/", signin.logout_view, name="logout"),
    path("accounts/me/", home.account_view, name="account"),
    path("i18n/setlang/", signin.set_language_view, name="set_language"),
    path("audit/", audit.audit_log_view, name="audit_log"),
    path("audit/personal-data/", access_log.access_log_view, name="access_log"),
    path("audit/personal-data/export.csv", access_log.access_log_export_view, name="access_log_export"),
]
