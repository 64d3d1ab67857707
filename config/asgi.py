"""ASGI entry point: one port for HTTP and WebSockets.

- WebSockets go through the Channels router (JWT for /ws/tasks, the admin session for /ws/admin/).
- The async django-ninja API (/api/v1/analysis, /api/v1/monitor) runs on Django's ASGI handler,
  so its SSE stream is sent as it is produced.
- All other HTTP (DRF, the admin, /cv intake) runs through Django's WSGI handler in a thread pool.
  Django's ASGI handler runs every sync view of a process in one shared thread
  (thread_sensitive), which serialises the database and broker waits of concurrent requests:
  measured with benchmarks/bench_pipeline.py intake, the thread pool triples intake throughput.
"""

import os
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from tempfile import SpooledTemporaryFile

from django.core.asgi import get_asgi_application

from config.bootstrap import prepare

prepare()
django_asgi_app = get_asgi_application()

from asgiref.sync import AsyncToSync, sync_to_async  # noqa: E402
from asgiref.wsgi import WsgiToAsgi, WsgiToAsgiInstance  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402

from config.routing import websocket_urlpatterns  # noqa: E402
from tenants.channels_auth import JWTAuthMiddleware  # noqa: E402

ASYNC_HTTP_PREFIXES = ("/api/v1/analysis", "/api/v1/monitor")


_IN_MEMORY_BODY_BYTES = 2 * 1024 * 1024
_run_wsgi_app_blocking = WsgiToAsgiInstance.__dict__["run_wsgi_app"].func  # the plain function under @sync_to_async
# Enough threads to overlap database and broker waits; more only adds GIL contention.
_http_threads = ThreadPoolExecutor(max_workers=int(os.environ.get("WEB_THREADS", "2")), thread_name_prefix="http")


class _PooledWsgiInstance(WsgiToAsgiInstance):
    async def __call__(self, scope, receive, send):  # noqa: ANN001, ANN204
        # As asgiref's, but bodies up to 2 MB stay in memory instead of spilling to a temp file at 64 KB.
        self.scope = scope
        with SpooledTemporaryFile(max_size=_IN_MEMORY_BODY_BYTES) as body:
            more_body = True
            while more_body:
                message = await receive()
                if message["type"] != "http.request":
                    return  # the client went away before sending its body
                body.write(message.get("body", b""))
                more_body = message.get("more_body", False)
            body.seek(0)
            self.sync_send = AsyncToSync(send)
            await self.run_wsgi_app(body)

    async def run_wsgi_app(self, body):  # noqa: ANN001, ANN201 - asgiref's signature
        await sync_to_async(partial(_run_wsgi_app_blocking, self), thread_sensitive=False, executor=_http_threads)(body)


class PooledWsgiToAsgi(WsgiToAsgi):
    """asgiref's WSGI adapter, but requests run concurrently in the loop's thread pool."""

    async def __call__(self, scope, receive, send):  # noqa: ANN001, ANN204
        await _PooledWsgiInstance(self.wsgi_application, self.duplicate_header_limit)(scope, receive, send)


pooled_wsgi_app = PooledWsgiToAsgi(get_wsgi_application())


async def http_application(scope, receive, send):  # noqa: ANN001, ANN201
    app = django_asgi_app if scope["path"].startswith(ASYNC_HTTP_PREFIXES) else pooled_wsgi_app
    await app(scope, receive, send)


application = ProtocolTypeRouter(
    {
        "http": http_application,
        "websocket": JWTAuthMiddleware(URLRouter(websocket_urlpatterns)),
    }
)
