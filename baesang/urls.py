"""URL map of baesang: staff screens at /, the REST API at /api/, public pages at /public/, the
creditors' portal at /portal/."""

from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from baesang.api.api import api

urlpatterns = [
    # Browsers ask for /favicon.ico whatever the page says: the icon of the public pages.
    path("favicon.ico", RedirectView.as_view(url=static("public/favicon.ico"), permanent=True)),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("public/", include("baesang.public.urls")),
    path("portal/", include("baesang.web.portal.urls")),
    path("", include("baesang.web.urls")),
]
