from django.contrib import admin
from django.urls import include, path

from congvu.apps.api.views import api

admin.site.site_header = "CôngVụ — Quản trị"
admin.site.site_title = "CôngVụ"
admin.site.index_title = "Quản trị hệ thống"

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("", include("congvu.apps.accounts.urls")),
    path("", include("congvu.apps.web.urls")),
    path("", include("congvu.apps.procedures.urls")),
    path("", include("congvu.apps.dossiers.urls")),
    path("", include("congvu.apps.alerts.urls")),
    path("", include("congvu.apps.supervision.urls")),
    path("", include("congvu.apps.dashboards.urls")),
]
