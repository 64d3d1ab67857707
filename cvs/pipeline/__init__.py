"""The CV pipeline: intake, the staged run (text → data → enrichment), re-runs, recovery and its tasks.

It sits above the CV records (``cvs.models``, ``cvs.selectors``) and the step services it calls
directly (``screening``, ``webhooks``, ``cvs.documents``, ``analytics`` through follow-ups), and below
the APIs and the admin that start it. ``services.py`` holds the writes, ``tasks.py`` the Celery entry
points that call them.
"""
