"""WSGI entry point (e.g. gunicorn config.wsgi); config/asgi.py is the one bin/run serves."""

from django.core.wsgi import get_wsgi_application

from config.bootstrap import prepare

prepare()
application = get_wsgi_application()
