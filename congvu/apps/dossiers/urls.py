from django.urls import path

from congvu.apps.dossiers import views

app_name = "dossiers"

urlpatterns = [
    path("ho-so/", views.queue, name="queue"),
    path("ho-so/tiep-nhan/", views.receive, name="receive"),
    path("ho-so/tiep-nhan/giay-to/", views.receive_documents, name="receive_documents"),
    path("ho-so/<str:source>/<str:code>/", views.detail, name="detail"),
    path("ho-so/<str:source>/<str:code>/thao-tac/<str:action>/", views.act, name="act"),
    path("ho-so/<str:source>/<str:code>/in/<str:form>/", views.print_form, name="print"),
    path("don-vi/<str:code>/so-theo-doi/", views.tracking_book, name="tracking_book"),
    path("tra-cuu/", views.lookup, name="lookup"),
    path("tra-cuu/ket-qua/", views.lookup_result, name="lookup_result"),
]
