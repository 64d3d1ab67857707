"""A logging filter that keeps credentials out of every log line we write, in web and worker processes.

Browsers cannot set headers on a WebSocket, so `/ws/tasks` takes its JWT as `?token=`; presigned S3 links
carry `X-Amz-Signature` and `X-Amz-Security-Token`; our own download links carry their signed token in the
path. uvicorn logs each request line (access log) and each WebSocket handshake with its query string, and
anything else may log a URL, a header or a task's arguments (Celery logs the body of a message it cannot run,
and a task's exception text): API keys (`cvk_<lookup prefix>_<secret>`), bearer tokens, JWTs, webhook signing
secrets (`whsec_…`) and signatures (`v1,<base64>`) are cut from the text as well. The filter sits on the
handlers (config/settings/base.py LOGGING for web processes, config/celery.py for workers and beat, whose
logging Celery sets up itself) and rewrites each record before it is written anywhere.
"""

from __future__ import annotations

import logging
import re

REDACTED = "[redacted]"

# (pattern, replacement): the part before the secret is kept, so a line still says what was there.
_RULES: list[tuple[re.Pattern[str], str]] = [
    # Query parameters whose name contains "token" or "signature" (token, access_token, X-Amz-Signature, ...).
    (re.compile(r"(?i)([?&;][\w.-]*(?:token|signature)[\w.-]*=)[^&;\s\"'#]*"), rf"\g<1>{REDACTED}"),
    # The signed segment of a download link (cvs/documents/urls.py).
    (re.compile(r"(/documents/download/)[^/?\s\"'#]+"), rf"\g<1>{REDACTED}"),
    # API keys (tenants.models.ApiKey.generate): the lookup prefix is no secret and names the key.
    (re.compile(r"\b(cvk_[0-9a-f]+_)[\w-]+"), rf"\g<1>{REDACTED}"),
    # Webhook signing secrets (tenants.models) and Standard Webhooks signatures (webhooks/signing.py).
    (re.compile(r"\b(whsec_)[\w+/=-]+"), rf"\g<1>{REDACTED}"),
    (re.compile(r"\b(v1,)[A-Za-z0-9+/]{20,}={0,2}"), rf"\g<1>{REDACTED}"),
    # An Authorization header's credential, and JWTs wherever they appear (a JWT's header is base64 of '{"').
    # (An API key after "Bearer" keeps its prefix: the rule above has cut its secret already.)
    (re.compile(r"(?i)\b(bearer\s+)(?!cvk_[0-9a-f]+_)[\w.~+/=-]+"), rf"\g<1>{REDACTED}"),
    (re.compile(r"\beyJ[\w-]*\.[\w-]+\.[\w-]*"), REDACTED),
]


def redact(text: str) -> str:
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text


class RedactSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            # The formatted message replaces template and arguments: an argument may be the whole URL.
            record.msg, record.args = redacted, None
        if record.exc_info and not record.exc_text:
            # A traceback's exception text may carry the secret too (an HTTP error quoting its URL).
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


def redact_handlers(logger: logging.Logger) -> None:
    """Put the filter on each of ``logger``'s handlers that lacks it."""
    for handler in logger.handlers:
        if not any(isinstance(existing, RedactSecrets) for existing in handler.filters):
            handler.addFilter(RedactSecrets())
