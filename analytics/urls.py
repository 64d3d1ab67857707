from django.urls import path

from analytics import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("metrics", views.prometheus_metrics, name="prometheus-metrics"),
]
