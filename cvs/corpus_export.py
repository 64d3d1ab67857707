"""Reviewed CV jobs as a truth-format corpus: each original file with ``<file>.json`` beside it.

Staff mark a job reviewed on its page after correcting what was wrong, so its data is a person's
word on that CV; written in the corpus format, ``evaluate_extraction`` scores the parser on it.
Used by the jobs list's export action (a ZIP) and the ``export_review_corpus`` command (a folder).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.core.files.storage import default_storage

from cvs.extraction.evaluation import data_to_truth


def reviewed_corpus_files(*, jobs: Any) -> Iterator[tuple[str, bytes]]:
    """(name, content) pairs: the original and its truth, for each reviewed job whose file is still kept."""
    reviewed = jobs.filter(reviewed_at__isnull=False, data__isnull=False).exclude(file_path="").order_by("reviewed_at")
    for job in reviewed:
        # The job id keeps names unique when two people send "cv.pdf".
        name = f"{str(job.pk)[:8]}_{re.sub(r'[^A-Za-z0-9._-]+', '_', Path(job.file_name).name) or 'cv'}"
        with default_storage.open(job.file_path, "rb") as handle:
            yield name, handle.read()
        truth = data_to_truth(job.data, file_name=name)
        yield f"{name}.json", (json.dumps(truth, indent=1, ensure_ascii=False) + "\n").encode()
