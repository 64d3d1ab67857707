"""Errors raised by the extraction engine.

Every failure the pipeline must report to a client carries a stable ``code``
(machine-readable, part of the public webhook contract) and a human ``message``.
"""

from __future__ import annotations

EMPTY_FILE = "empty_file"
CORRUPT_FILE = "corrupt_file"
ENCRYPTED_PDF = "encrypted_pdf"
UNSUPPORTED_TYPE = "unsupported_type"
ZIP_BOMB = "zip_bomb"
IMAGE_TOO_LARGE = "image_too_large"
TOO_MANY_PAGES = "too_many_pages"
TYPE_MISMATCH = "type_mismatch"
LLM_ERROR = "llm_error"

ERROR_CODES = frozenset(
    {
        EMPTY_FILE,
        CORRUPT_FILE,
        ENCRYPTED_PDF,
        UNSUPPORTED_TYPE,
        ZIP_BOMB,
        IMAGE_TOO_LARGE,
        TOO_MANY_PAGES,
        TYPE_MISMATCH,
        LLM_ERROR,
    }
)


class ExtractionError(Exception):
    """A document or provider failure that must end the job as ``failed``."""

    def __init__(self, code: str, message: str) -> None:
        if code not in ERROR_CODES:
            raise ValueError(f"unknown extraction error code: {code!r}")
        super().__init__(message)
        self.code = code
        self.message = message

    def __repr__(self) -> str:
        return f"ExtractionError(code={self.code!r}, message={self.message!r})"
