"""CV extraction engine: file sniffing, text extraction and structured parsing.

Import-light on purpose (no Django): the Celery workers, the management command
and ``python -m cvs.extraction.evaluate`` all use it directly.
"""
