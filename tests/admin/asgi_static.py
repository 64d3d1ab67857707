"""The project's ASGI app with static files served, for the browser test's uvicorn (no collectstatic, no web server)."""

from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler

from config.asgi import application, django_asgi_app

application.application_mapping["http"] = ASGIStaticFilesHandler(django_asgi_app)
