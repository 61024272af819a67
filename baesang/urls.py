"""URL map of baesang: staff screens at /, the REST API at /api/, public pages at /public/."""

from django.contrib import admin
from django.urls import include, path

from baesang.api.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("public/", include("baesang.public.urls")),
    path("", include("baesang.web.urls")),
]
