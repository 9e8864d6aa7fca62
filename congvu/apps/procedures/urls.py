from django.urls import path

from congvu.apps.procedures import views

app_name = "procedures"

urlpatterns = [
    path("thu-tuc/", views.catalog, name="catalog"),
    path("thu-tuc/<str:code>/", views.detail, name="detail"),
]
