urlpatterns: list = []

from django.urls import include, path  # noqa: E402

urlpatterns += [path("", include("cvs.documents.urls"))]
