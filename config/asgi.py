"""ASGI entry point: one port for HTTP and WebSockets.

- WebSockets go through the Channels router (JWT for /ws/tasks, the admin session for /ws/admin/).
- The async django-ninja API (/api/v1/analysis, /api/v1/monitor) runs on Django's ASGI handler,
  so its SSE stream is sent as it is produced.
- All other HTTP (DRF, the admin, /cv intake) runs through Django's WSGI handler on a thread pool,
  by a2wsgi's WSGIMiddleware (a maintained, public adapter). Django's ASGI handler runs every sync view
  of a process in one shared thread (thread_sensitive), which serialises the database and broker
  waits of concurrent requests: measured with benchmarks/bench_pipeline.py intake (docs/benchmarks.md),
  a thread pool roughly triples intake throughput.
"""

import os

from django.core.asgi import get_asgi_application

from config.bootstrap import prepare

prepare()
django_asgi_app = get_asgi_application()

from a2wsgi import WSGIMiddleware  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402

from config.routing import websocket_urlpatterns  # noqa: E402
from tenants.channels_auth import JWTAuthMiddleware  # noqa: E402

ASYNC_HTTP_PREFIXES = ("/api/v1/analysis", "/api/v1/monitor")

# Enough threads to overlap database and broker waits; more only adds GIL contention.
# django-stubs types WSGIHandler as returning HttpResponseBase, which is the iterable of bytes WSGI wants.
pooled_wsgi_app = WSGIMiddleware(
    get_wsgi_application(),  # type: ignore[arg-type]
    workers=int(os.environ.get("WEB_THREADS", "2")),
)


async def http_application(scope, receive, send):  # noqa: ANN001, ANN201
    app = django_asgi_app if scope["path"].startswith(ASYNC_HTTP_PREFIXES) else pooled_wsgi_app
    await app(scope, receive, send)


application = ProtocolTypeRouter(
    {
        "http": http_application,
        "websocket": JWTAuthMiddleware(URLRouter(websocket_urlpatterns)),
    }
)
