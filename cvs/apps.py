from django.apps import AppConfig


class CvsConfig(AppConfig):
    name = "cvs"
