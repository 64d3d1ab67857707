from django.urls import path

from screening import apis

urlpatterns = [
    path("conditions", apis.ConditionListApi.as_view(), name="conditions"),
    path("conditions/<str:condition_id>", apis.ConditionDetailApi.as_view(), name="condition-detail"),
    path("conditions/<str:condition_id>/rescreen", apis.ConditionRescreenApi.as_view(), name="condition-rescreen"),
    path("conditions/<str:condition_id>/results", apis.ConditionResultListApi.as_view(), name="condition-results"),
    path("schools", apis.SchoolListApi.as_view(), name="schools"),
    path("schools/<str:school_id>", apis.SchoolDetailApi.as_view(), name="school-detail"),
]
