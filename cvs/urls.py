from django.urls import include, path

from cvs import render_api

urlpatterns = [
    path("documents/render", render_api.DocumentRenderApi.as_view(), name="documents-render"),
    path("documents/render/<str:request_id>", render_api.DocumentRenderStatusApi.as_view(), name="documents-render-status"),
    path("", include("cvs.talents.urls")),
    path("", include("cvs.documents.urls")),
]
