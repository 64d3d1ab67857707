from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from config.ninja import api as ninja_api
from tenants.throttling import admin_login

urlpatterns = [
    # Ahead of the admin's own login URL, so sign-in attempts there are throttled like the API login.
    path("admin/login/", admin_login),
    path("admin/", admin.site.urls),
    path("cv/", include("cvs.intake_urls")),
    path("api/v1/", include("tenants.urls")),
    path("api/v1/", include("cvs.urls")),
    path("api/v1/", include("screening.urls")),
    path("api/v1/", include("webhooks.urls")),
    path("api/v1/", ninja_api.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="redoc"),
    path("", include("analytics.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler404 = "config.not_found.not_found"
