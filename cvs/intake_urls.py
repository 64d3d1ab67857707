from django.urls import path

from cvs import intake_api

urlpatterns = [
    path("requests/<str:request_id>", intake_api.CVRequestStatusApi.as_view(), name="cv-request-status"),
    path("<str:endpoint_id>", intake_api.CVIntakeApi.as_view(), name="cv-intake"),
]
