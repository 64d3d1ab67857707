from django.urls import path

from cvs.documents import apis

urlpatterns = [
    path("talents/<str:candidate_id>/documents", apis.TalentDocumentsApi.as_view(), name="talent-documents"),
    path("documents/download/<str:token>", apis.document_download, name="document-download"),
]
