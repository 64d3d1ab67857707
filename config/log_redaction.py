"""A logging filter that keeps credentials carried in URLs out of every log line we write.

Browsers cannot set headers on a WebSocket, so `/ws/tasks` takes its JWT as `?token=`; presigned S3 links
carry `X-Amz-Signature` and `X-Amz-Security-Token`; our own download links carry their signed token in the
path. uvicorn logs each request line (access log) and each WebSocket handshake with its query string, and
anything else may log a URL, so the filter sits on the handlers (config/settings/base.py LOGGING) and
rewrites each record before it is written anywhere.
"""

from __future__ import annotations

import logging
import re

REDACTED = "[redacted]"

# Query parameters whose name contains "token" or "signature" (token, access_token, X-Amz-Signature, ...),
# and the signed segment of a download link (cvs/documents/urls.py).
_SECRET_QUERY_VALUE = re.compile(r"(?i)([?&;][\w.-]*(?:token|signature)[\w.-]*=)[^&;\s\"'#]*")
_SECRET_PATH_SEGMENT = re.compile(r"(/documents/download/)[^/?\s\"'#]+")


def redact(text: str) -> str:
    return _SECRET_PATH_SEGMENT.sub(rf"\g<1>{REDACTED}", _SECRET_QUERY_VALUE.sub(rf"\g<1>{REDACTED}", text))


class RedactSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            # The formatted message replaces template and arguments: an argument may be the whole URL.
            record.msg, record.args = redacted, None
        return True
