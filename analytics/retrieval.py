"""Hybrid retrieval: pgvector cosine similarity fused with full-text search by reciprocal rank fusion.

Both branches are restricted to one tenant and to the structured filters, ranked separately and
fused: ``score = Σ 1 / (RRF_K + rank)``. The vector branch walks the HNSW index with pgvector's
iterative scan, so the tenant and filter predicates do not starve it of rows. The text branch
uses the GIN index on ``search_vector`` (the passage's language configuration plus CJK bigrams,
see ``analytics.texts``); it asks for all of the question's words when some passage has them
all, and for any of them otherwise, so a vague question does not rank a third of the pool.

This is passage retrieval, not the candidate keyword search (``cvs.selectors.candidate_search``,
issue 12's "one candidate search"), and the two stay apart on purpose: the keyword search *filters*
candidate rows by what a person typed (any word, substrings, contact fields for roles that see
them) over the candidate's own generated, indexed columns, for lists in the talents API and the
admin; this module *ranks* the embedded passages of a question (``analytics_candidateembedding``:
profile, jobs, education chunks) by meaning and by words stemmed in the question's language, and
keeps only the best ``k`` as sources for an answer. A substring match cannot rank passages by
relevance, and a vector rank cannot say which rows match a keyword, so neither can stand in for
the other; both read indexes (GIN and trigram on ``cvs_candidate``; HNSW and GIN here).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, transaction

from analytics.questions import Filters
from analytics.texts import cjk_bigrams, fts_config
from cvs.extraction.levels import levels_at_least
from tenants.scoping import required_tenant_id

RRF_K = 60


@dataclass(frozen=True)
class Hit:
    candidate_id: Any
    score: float
    similarity: float
    vector_rank: int | None
    text_rank: int | None


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def filter_sql(filters: Filters, alias: str = "c") -> tuple[str, dict[str, Any]]:
    """SQL predicates on cvs_candidate for the structured filters (always excluding deleted rows)."""
    # The tenant predicate on the candidate side too: it lets the join use the tenant index
    # instead of reading every tenant's candidates.
    clauses = [f"{alias}.tenant_id = %(tenant)s", f"NOT {alias}.is_deleted"]
    params: dict[str, Any] = {}

    def add(clause: str, value: Any) -> None:
        name = f"f{len(params)}"
        params[name] = value
        clauses.append(clause.format(alias=alias, p=f"%({name})s"))

    if filters.min_years is not None:
        add("{alias}.years_of_experience >= {p}", filters.min_years)
    if filters.max_years is not None:
        add("{alias}.years_of_experience <= {p}", filters.max_years)
    if filters.education_min:
        add("{alias}.education_level = ANY({p})", levels_at_least(filters.education_min))
    for skill in filters.skills:
        add("EXISTS (SELECT 1 FROM unnest({alias}.skills) AS s WHERE lower(s) = lower({p}))", skill)
    if filters.location:
        add("unaccent({alias}.location) ILIKE unaccent({p})", f"%{_escape_like(filters.location)}%")
    return " AND ".join(clauses), params


# {candidates} joins cvs_candidate with the structured filters; without filters the branches
# skip that join and deleted candidates are dropped once, in the fusion step.
HYBRID_SQL = """
WITH vec AS MATERIALIZED (
    SELECT e.candidate_id, e.embedding <=> %(vector)s::vector AS distance
    FROM analytics_candidateembedding e {candidates}
    WHERE e.tenant_id = %(tenant)s
    ORDER BY e.embedding <=> %(vector)s::vector
    LIMIT %(window)s
), vec_ranked AS (
    SELECT candidate_id, row_number() OVER (ORDER BY min(distance)) AS rnk
    FROM vec GROUP BY candidate_id
), tsq AS (
    SELECT {tsquery} AS query
), txt_ranked AS (
    SELECT candidate_id, row_number() OVER (ORDER BY rank DESC, candidate_id) AS rnk
    FROM (
        SELECT e.candidate_id, max(ts_rank(e.search_vector, tsq.query)) AS rank
        FROM tsq, analytics_candidateembedding e {candidates}
        WHERE e.tenant_id = %(tenant)s AND e.search_vector @@ tsq.query
        GROUP BY e.candidate_id
        ORDER BY rank DESC
        LIMIT %(window)s
    ) ranked
), fused AS (
    SELECT candidate_id, v.rnk AS vector_rank, t.rnk AS text_rank,
           COALESCE(1.0 / (%(rrf_k)s + v.rnk), 0) + COALESCE(1.0 / (%(rrf_k)s + t.rnk), 0) AS score
    FROM vec_ranked v FULL OUTER JOIN txt_ranked t USING (candidate_id)
    JOIN cvs_candidate live ON live.id = candidate_id AND NOT live.is_deleted
    ORDER BY score DESC, candidate_id
    LIMIT %(k)s
)
SELECT f.candidate_id, f.score, f.vector_rank, f.text_rank,
       (SELECT 1 - min(e2.embedding <=> %(vector)s::vector)
          FROM analytics_candidateembedding e2
         WHERE e2.candidate_id = f.candidate_id AND e2.tenant_id = %(tenant)s) AS similarity
FROM fused f
ORDER BY f.score DESC, f.candidate_id
"""
# All the question's words must match, stemmed in its language or in English (precise, and
# cheap: few rows to rank) ...
ALL_WORDS = "(plainto_tsquery(%(config)s::regconfig, %(text)s) || plainto_tsquery('english', %(text)s))"
# ... unless no passage of the tenant has them all: then any word, CJK bigrams included.
ANY_WORD = (
    "replace(plainto_tsquery(%(config)s::regconfig, %(text)s)::text, ' & ', ' | ')::tsquery"
    " || replace(plainto_tsquery('english', %(text)s)::text, ' & ', ' | ')::tsquery"
    " || replace(plainto_tsquery('simple', %(bigrams)s)::text, ' & ', ' | ')::tsquery"
)
ALL_WORDS_MATCH_SQL = f"""
SELECT EXISTS (
    SELECT 1 FROM analytics_candidateembedding e {{candidates}}
    WHERE e.tenant_id = %(tenant)s AND e.search_vector @@ {ALL_WORDS}
)
"""


def _configure_session(ef_search: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('hnsw.ef_search', %s, true)", [str(ef_search)])
        cursor.execute("SELECT set_config('hnsw.iterative_scan', 'relaxed_order', true)")


def hybrid_search(
    *,
    vector: list[float],
    text: str,
    language: str,
    filters: Filters,
    k: int = 10,
    tenant_id: Any = None,
    ef_search: int | None = None,
) -> list[Hit]:
    """The top ``k`` candidates of the current tenant for a question, best first."""
    tenant_id = tenant_id or required_tenant_id()
    predicates, filter_params = filter_sql(filters)
    candidates = "" if filters.is_empty() else f"JOIN cvs_candidate c ON c.id = e.candidate_id AND {predicates}"
    params = {
        "tenant": tenant_id,
        "vector": _vector_literal(vector),
        "config": fts_config(language),
        "text": text,
        "bigrams": cjk_bigrams(text),
        "window": max(4 * k, 40),
        "rrf_k": RRF_K,
        "k": k,
        **filter_params,
    }
    with transaction.atomic(), connection.cursor() as cursor:
        _configure_session(ef_search or settings.HNSW_EF_SEARCH)
        cursor.execute(ALL_WORDS_MATCH_SQL.format(candidates=candidates), params)
        tsquery = ALL_WORDS if cursor.fetchone()[0] else ANY_WORD
        cursor.execute(HYBRID_SQL.format(candidates=candidates, tsquery=tsquery), params)
        rows = cursor.fetchall()
    return [
        Hit(candidate_id=row[0], score=float(row[1]), vector_rank=row[2], text_rank=row[3], similarity=round(float(row[4] or 0.0), 4))
        for row in rows
    ]


def _vector_literal(vector: list[float]) -> str:
    return "[" + ",".join(f"{value:.6f}" for value in vector) + "]"

