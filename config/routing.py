from django.urls import path

from cvs.consumers import TaskProgressConsumer

websocket_urlpatterns = [
    path("ws/tasks", TaskProgressConsumer.as_asgi()),
]
