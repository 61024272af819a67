"""URLs of the creditors' portal (included at ``/portal/`` by ``baesang.urls``)."""

from django.urls import path

from baesang.web.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.sign_in_view, name="sign_in"),
    path("invitation/<str:token>/", views.invitation_view, name="invitation"),
    path("enrol/", views.enrol_view, name="enrol"),
    path("sign-out/", views.sign_out_view, name="sign_out"),
    path("claims/", views.home_view, name="home"),
    path("claims/<int:claim_id>/", views.claim_view, name="claim"),
    path("claims/<int:claim_id>/statement.pdf", views.statement_view, name="statement"),
    path("payments/<int:line_id>/", views.receipt_view, name="receipt"),
    path("documents/", views.documents_view, name="documents"),
    path("requests/", views.requests_view, name="requests"),
    path("requests/<int:request_id>/", views.request_view, name="request"),
    path("passkeys/", views.passkeys_view, name="passkeys"),
    path("passkeys/options/", views.passkey_add_options_view, name="passkey_add_options"),
    path("passkeys/add/", views.passkey_add_view, name="passkey_add"),
    path("passkey/options/", views.passkey_options_view, name="passkey_options"),
    path("passkey/sign-in/", views.passkey_sign_in_view, name="passkey_sign_in"),
]
