"""URLs of the staff application (namespace ``web``). Each view is decorated with
``baesang.web.permissions.requires(action)`` or marked ``public``; a test walks this list."""

from django.urls import path

from baesang.web.views import access_log, audit, batches, claims, home, money, persons, signin

app_name = "web"
urlpatterns = [
    path("", home.dashboard_view, name="dashboard"),
    path("accounts/login/", signin.login_view, name="login"),
    path("accounts/second-factor/", signin.second_factor_view, name="second_factor"),
    path("accounts/second-factor/enrol/", signin.second_factor_enrol_view, name="second_factor_enrol"),
    path("accounts/logout/", signin.logout_view, name="logout"),
    path("accounts/me/", home.account_view, name="account"),
    path("i18n/setlang/", signin.set_language_view, name="set_language"),
    # case files
    path("judgments/", money.judgments_view, name="judgments"),
    path("claims/", claims.claims_view, name="claims"),
    path("claims/<int:claim_id>/", claims.claim_view, name="claim"),
    path("claims/<int:claim_id>/offers/", claims.claim_offers_view, name="claim_offers"),
    path("offers/<int:offer_id>/consent/", claims.offer_consent_view, name="offer_consent"),
    path("offers/<int:offer_id>/refuse/", claims.offer_refuse_view, name="offer_refuse"),
    path("waiting/", claims.waiting_list_view, name="waiting_list"),
    path("persons/", persons.person_search_view, name="person_search"),
    path("persons/<int:person_id>/", persons.person_view, name="person"),
    path("persons/<int:person_id>/reveal/", persons.person_reveal_view, name="person_reveal"),
    # payments and money
    path("batches/", batches.batches_view, name="batches"),
    path("batches/prepare/", batches.batch_prepare_view, name="batch_prepare"),
    path("batches/<int:batch_id>/", batches.batch_view, name="batch"),
    path("batches/<int:batch_id>/approve/", batches.batch_approve_view, name="batch_approve"),
    path("batches/<int:batch_id>/export/", batches.batch_export_view, name="batch_export"),
    path("batches/<int:batch_id>/result/", batches.batch_result_view, name="batch_result"),
    path("batches/<int:batch_id>/cancel/", batches.batch_cancel_view, name="batch_cancel"),
    path("fund/", money.fund_view, name="fund"),
    path("donations/", money.donations_view, name="donations"),
    path("donations/record/", money.donation_record_view, name="donation_record"),
    # oversight
    path("audit/", audit.audit_log_view, name="audit_log"),
    path("audit/personal-data/", access_log.access_log_view, name="access_log"),
    path("audit/personal-data/export.csv", access_log.access_log_export_view, name="access_log_export"),
]
