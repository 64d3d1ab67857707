"""Settings per environment: ``local`` (bin/run, manage.py), ``test`` (pytest), ``production``.

Select one with DJANGO_SETTINGS_MODULE; ``base`` holds what they share.
"""
