"""Signals other apps listen to, so that the pipeline does not import them.

Both are sent after the surrounding transaction commits.
- ``candidate_saved(candidate, job, changed)``: a candidate was created or its data changed
  (embeddings and screening follow it).
- ``job_finished(job)``: a CV job ended completed, failed or cancelled (batch progress follows it).
"""

from django.dispatch import Signal

candidate_saved = Signal()
job_finished = Signal()
