from django.urls import path

from cvs.talents import apis

urlpatterns = [
    path("talents", apis.TalentListApi.as_view(), name="talents"),
    path("talents/upload", apis.TalentUploadApi.as_view(), name="talent-upload"),
    path("talents/batch-upload", apis.TalentBatchUploadApi.as_view(), name="talent-batch-upload"),
    path("talents/batch-delete", apis.TalentBatchDeleteApi.as_view(), name="talent-batch-delete"),
    path("talents/batch-update-status", apis.TalentBatchStatusApi.as_view(), name="talent-batch-status"),
    path("talents/sync-vectors", apis.SyncVectorsApi.as_view(), name="talent-sync-vectors"),
    path("talents/sync-chroma", apis.SyncChromaApi.as_view(), name="talent-sync-chroma"),
    path("talents/tasks/<str:task_id>", apis.TaskDetailApi.as_view(), name="talent-task"),
    path("talents/tasks/<str:task_id>/cancel", apis.TaskCancelApi.as_view(), name="talent-task-cancel"),
    path("talents/<str:talent_id>", apis.TalentDetailApi.as_view(), name="talent-detail"),
    path("talents/<str:talent_id>/export", apis.TalentExportApi.as_view(), name="talent-export"),
    path("talents/<str:talent_id>/restore", apis.TalentRestoreApi.as_view(), name="talent-restore"),
]
