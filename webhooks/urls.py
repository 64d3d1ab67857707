from django.urls import path

from webhooks import apis

urlpatterns = [
    path("webhooks/deliveries", apis.DeliveryListApi.as_view(), name="webhook-deliveries"),
    path("webhooks/deliveries/replay", apis.DeliveryReplayManyApi.as_view(), name="webhook-deliveries-replay"),
    path("webhooks/deliveries/<str:delivery_id>", apis.DeliveryDetailApi.as_view(), name="webhook-delivery-detail"),
    path("webhooks/deliveries/<str:delivery_id>/replay", apis.DeliveryReplayApi.as_view(), name="webhook-delivery-replay"),
    path("endpoints/<str:endpoint_id>/test-webhook", apis.EndpointTestWebhookApi.as_view(), name="endpoint-test-webhook"),
    path(
        "endpoints/<str:endpoint_id>/enable-webhooks", apis.EndpointEnableWebhooksApi.as_view(), name="endpoint-enable-webhooks"
    ),
]
