from django.urls import path

from congvu.apps.dashboards import views

app_name = "dashboards"

urlpatterns = [
    path("bang-dieu-khien/", views.overview, name="overview"),
    path("bang-dieu-khien/xep-hang/", views.league_view, name="league"),
    path("bang-dieu-khien/don-vi/<str:code>/", views.unit_view, name="unit"),
    path("bang-dieu-khien/can-bo/<str:code>/", views.official_view, name="official"),
]
