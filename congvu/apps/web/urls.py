from django.urls import path

from congvu.apps.web import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("don-vi/", views.unit_tree, name="unit_tree"),
    path("don-vi/<str:code>/", views.unit_detail, name="unit_detail"),
    path("don-vi/<str:code>/don-vi-con/", views.unit_children_partial, name="unit_children"),
    path("can-bo/<str:code>/", views.official_detail, name="official_detail"),
    path("lich/", views.calendar_year, name="calendar_current"),
    path("lich/<int:year>/", views.calendar_year, name="calendar_year"),
]
