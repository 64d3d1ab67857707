from channels.auth import AuthMiddlewareStack
from django.urls import path

from cvs.consumers import TaskProgressConsumer
from tenants.channels_admin import AdminProgressConsumer

websocket_urlpatterns = [
    path("ws/tasks", TaskProgressConsumer.as_asgi()),
    path("ws/admin/progress", AuthMiddlewareStack(AdminProgressConsumer.as_asgi())),  # session auth, for the admin
]
