"""What follows every change of a candidate's data, whoever made it (pipeline, talents API, admin).

Required steps, so they are direct calls rather than signal listeners: the stored screening
results are recomputed and the search vectors re-queued.
"""

from __future__ import annotations

from analytics.services import candidate_embedding_queue
from cvs.models import Candidate
from screening.services import candidate_rescreen


def candidate_followups_run(*, candidate: Candidate) -> None:
    candidate_rescreen(candidate=candidate)
    candidate_embedding_queue(tenant_id=candidate.tenant_id, candidate_id=candidate.pk)
