from django.urls import include, path

urlpatterns = [
    path("", include("cvs.talents.urls")),
    path("", include("cvs.documents.urls")),
]
