from django.urls import path

from congvu.apps.alerts import views

app_name = "alerts"

urlpatterns = [
    path("thong-bao/", views.notification_list, name="list"),
    path("thong-bao/da-doc-het/", views.mark_all_read, name="mark_all_read"),
    path("thong-bao/<int:pk>/da-doc/", views.mark_read, name="mark_read"),
]
