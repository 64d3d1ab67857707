import hmac

from django.conf import settings
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from analytics.prometheus import REGISTRY


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness for load balancers: the process answers and the database is reachable."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def prometheus_metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus text exposition. With METRICS_TOKEN set, scrapers must send it as a Bearer token.

    Without a token it answers only where METRICS_ALLOW_ANONYMOUS is on (local and test settings): the
    counts span every tenant, so production hides the route until a token is configured.
    """
    if settings.METRICS_TOKEN:
        sent = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        if not hmac.compare_digest(sent.encode(), settings.METRICS_TOKEN.encode()):
            return HttpResponse("unauthorized\n", status=401, content_type="text/plain")
    elif not settings.METRICS_ALLOW_ANONYMOUS:
        raise Http404
    return HttpResponse(generate_latest(REGISTRY), content_type=CONTENT_TYPE_LATEST)
