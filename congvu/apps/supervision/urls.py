from django.urls import path

from congvu.apps.supervision import views

app_name = "supervision"

urlpatterns = [
    path("giam-sat/phat-hien/", views.findings, name="findings"),
    path("giam-sat/phat-hien/<int:pk>/", views.finding_detail, name="finding"),
    path("giam-sat/phat-hien/<int:pk>/giai-trinh/", views.finding_justify, name="justify"),
    path("giam-sat/giai-trinh/<int:pk>/xem-xet/", views.justification_decide, name="review"),
    path("giam-sat/giai-trinh/<int:pk>/tai-lieu/", views.justification_document, name="document"),
]
