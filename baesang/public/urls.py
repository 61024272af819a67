"""Public pages at /public/: figures, open data and the funding forecast (no login)."""

from django.urls import path

from baesang.public import views

app_name = "public"
urlpatterns = [
    path("", views.index, name="index"),
    path("data/transfers.csv", views.transfers_csv, name="transfers_csv"),
    path("data/transfers.json", views.transfers_json, name="transfers_json"),
    path("forecast/", views.forecast_page, name="forecast"),
]
