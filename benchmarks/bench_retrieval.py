"""Retrieval benchmark: speed and recall at 100k candidates, and precision@10 on the dev corpus.

    python benchmarks/bench_retrieval.py                 # 100,000 candidates, 10 tenants
    python benchmarks/bench_retrieval.py --candidates 20000 --queries 100 --keep

It creates its own database (``bench_retrieval`` on the same PostgreSQL server as
DATABASE_URL, or the embedded one), migrates it, bulk-loads synthetic candidates with COPY
(384-dim unit vectors drawn around cluster centres, multilingual synthetic profile text),
builds the HNSW and GIN indexes, then times ``analytics.retrieval.hybrid_search`` — the
code the API runs — with the tenant filter applied, and compares the vector branch with
exact search. Finally it loads the labelled dev corpus (truth files) into a tenant, embeds
it with the configured provider, and reports precision@10 on a labelled query set.
The database is dropped at the end unless ``--keep``.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
BENCH_DB = "bench_retrieval"
DIM = 384

HEADLINES = {
    "en": ["Backend Developer", "Frontend Developer", "Data Scientist", "DevOps Engineer", "Product Manager", "QA Engineer",
           "Machine Learning Engineer", "Data Analyst", "Java Developer", "Python Developer"],
    "es": ["Desarrollador Backend", "Desarrolladora Frontend", "Científico de Datos", "Ingeniero DevOps", "Jefe de Proyecto",
           "Ingeniero de Machine Learning", "Analista de Datos", "Desarrollador Java", "Desarrollador Python", "Ingeniera de Software"],
    "fr": ["Développeur Backend", "Développeuse Frontend", "Data Scientist", "Ingénieur DevOps", "Chef de projet",
           "Analyste de données", "Développeur Java", "Développeur Python", "Architecte logiciel", "Consultant SAP"],
    "zh": ["后端开发工程师", "前端开发工程师", "数据分析师", "运维工程师", "产品经理", "算法工程师", "Java开发工程师", "测试工程师",
           "数据科学家", "项目经理"],
}
SKILLS = ["Python", "Java", "Django", "Spring Boot", "React", "Vue.js", "Kubernetes", "Docker", "AWS", "Azure", "GCP", "SQL",
          "PostgreSQL", "MongoDB", "Redis", "Kafka", "TensorFlow", "PyTorch", "pandas", "Go", "Rust", "C++", "C#", ".NET",
          "TypeScript", "Node.js", "Terraform", "Ansible", "Jenkins", "GraphQL", "Elasticsearch", "Airflow", "Scrum", "Linux"]
CITIES = {"en": ["London", "Manchester", "Boston", "Toronto"], "es": ["Madrid", "Barcelona", "Sevilla", "Valencia"],
          "fr": ["Paris", "Lyon", "Toulouse", "Nantes"], "zh": ["北京", "上海", "深圳", "杭州"]}
EDUCATION = ["bachelor", "bachelor", "master", "master", "doctorate", "associate"]
WORDS = {"en": "experience building scalable services team lead cloud migration data pipelines",
         "es": "experiencia desarrollando servicios escalables liderazgo de equipo migración a la nube",
         "fr": "expérience développement services évolutifs direction d'équipe migration cloud",
         "zh": "负责 系统 架构 设计 开发 数据 平台 团队 管理 云 迁移"}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--candidates", type=int, default=100_000)
    parser.add_argument("--tenants", type=int, default=10)
    parser.add_argument("--clusters", type=int, default=200)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--ef-search", type=int, nargs="+", default=[40, 100, 200])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    parser.add_argument("--skip-quality", action="store_true")
    return parser.parse_args()


def setup_database() -> str:
    """Point Django at a fresh benchmark database on the same server, and migrate it."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import dj_database_url
    import psycopg

    from config.bootstrap import prepare

    prepare()  # local settings: the embedded PostgreSQL when DATABASE_URL is unset, the local secret key
    base = dj_database_url.parse(os.environ["DATABASE_URL"])
    admin_url = f"postgres://{base['USER']}@{base['HOST']}:{base['PORT']}/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{BENCH_DB}" TEMPLATE template1')
    os.environ["DATABASE_URL"] = f"postgres://{base['USER']}@{base['HOST']}:{base['PORT']}/{BENCH_DB}"
    import django
    from django.core.management import call_command

    django.setup()
    from django.db import connection

    assert connection.settings_dict["NAME"] == BENCH_DB, connection.settings_dict["NAME"]
    call_command("migrate", verbosity=0)
    return admin_url


def drop_database(admin_url: str) -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')


def unit(rows: np.ndarray) -> np.ndarray:
    return rows / np.linalg.norm(rows, axis=-1, keepdims=True)


def copy_rows(cursor, table: str, columns: list[str], rows: list[list[str]]) -> None:
    """COPY text format; values are pre-escaped strings (\\N for NULL)."""
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join(row) + "\n")
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        copy.write(buffer.getvalue())


def esc(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\t", " ").replace("\n", "\\n")


def pg_array(items: list[str]) -> str:
    return "{" + ",".join('"' + item.replace('"', '\\"') + '"' for item in items) + "}"


def load_synthetic(args: argparse.Namespace) -> tuple[list[str], np.ndarray, dict[str, list[int]]]:
    from django.db import connection

    from analytics.texts import SEARCH_VECTOR_SQL, cjk_bigrams
    from tenants.models import Tenant

    rng = np.random.default_rng(args.seed)
    tenants = [Tenant.objects.create(name=f"Bench tenant {i}", slug=f"bench-{i}") for i in range(args.tenants)]
    tenant_ids = [str(t.pk) for t in tenants]
    centres = unit(rng.standard_normal((args.clusters, DIM)).astype(np.float32))
    assignment = rng.integers(0, args.clusters, args.candidates)
    vectors = unit(centres[assignment] + 0.06 * rng.standard_normal((args.candidates, DIM)).astype(np.float32))
    languages = rng.choice(["en", "es", "fr", "zh"], args.candidates)
    started = time.perf_counter()
    candidate_rows, embedding_rows, bigram_rows = [], [], []
    by_tenant: dict[str, list[int]] = {t: [] for t in tenant_ids}
    now = "2026-11-01 00:00:00+00"
    for i in range(args.candidates):
        tenant = tenant_ids[i % args.tenants]
        by_tenant[tenant].append(i)
        lang = str(languages[i])
        cid = str(uuid.UUID(int=i + 1))
        headline = HEADLINES[lang][assignment[i] % 10]
        skills = list(rng.choice(SKILLS, 5, replace=False))
        city = CITIES[lang][i % 4]
        years = round(float(rng.uniform(0, 20)), 1)
        education = EDUCATION[i % len(EDUCATION)]
        content = f"Candidate {i}\n{headline}\nLocation: {city}\nExperience: {years} years\nSkills: {', '.join(skills)}\n{WORDS[lang]}"
        candidate_rows.append([cid, tenant, f"Candidate {i}", "", "", "", esc(headline), city, lang, education, "", str(years),
                               pg_array(skills), "{}", "{}", "pending", "f", now, now])
        vector = "[" + ",".join(f"{v:.5f}" for v in vectors[i]) + "]"
        embedding_rows.append([tenant, cid, "profile", "0", esc(content), "x", lang, vector, "bench:synthetic", str(DIM), now])
        if lang == "zh":
            bigram_rows.append([cid, esc(cjk_bigrams(content))])
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX IF EXISTS embedding_hnsw_cosine")
        cursor.execute("DROP INDEX IF EXISTS embedding_fts_gin")
        raw = cursor.cursor
        copy_rows(raw, "cvs_candidate", ["id", "tenant_id", "name", "email", "phone", "phone_e164", "headline", "location",
                                         "language", "education_level", "school", "years_of_experience", "skills", "data",
                                         "photo_paths", "screening_status", "is_deleted", "created_at", "updated_at"], candidate_rows)
        copy_rows(raw, "analytics_candidateembedding", ["tenant_id", "candidate_id", "kind", "position", "content", "content_hash",
                                                        "language", "embedding", "model", "dim", "created_at"], embedding_rows)
        cursor.execute("CREATE TEMP TABLE bench_bigrams (candidate_id uuid, grams text)")
        copy_rows(raw, "bench_bigrams", ["candidate_id", "grams"], bigram_rows)
        loaded = time.perf_counter()
        config = "CASE e.language WHEN 'en' THEN 'english' WHEN 'es' THEN 'spanish' WHEN 'fr' THEN 'french' ELSE 'simple' END"
        vector_sql = SEARCH_VECTOR_SQL.format(config=config, content="e.content", bigrams="COALESCE(b.grams, '')")
        cursor.execute(
            f"UPDATE analytics_candidateembedding e SET search_vector = {vector_sql} FROM analytics_candidateembedding e2 "
            "LEFT JOIN bench_bigrams b ON b.candidate_id = e2.candidate_id WHERE e2.id = e.id"
        )
        fts_done = time.perf_counter()
        cursor.execute("SET maintenance_work_mem = '1GB'")
        cursor.execute("CREATE INDEX embedding_hnsw_cosine ON analytics_candidateembedding "
                       "USING hnsw (embedding vector_cosine_ops) WITH (m = 16, ef_construction = 64)")
        hnsw_done = time.perf_counter()
        cursor.execute("CREATE INDEX embedding_fts_gin ON analytics_candidateembedding USING gin (search_vector)")
        cursor.execute("VACUUM ANALYZE analytics_candidateembedding")
        cursor.execute("VACUUM ANALYZE cvs_candidate")
    print(f"loaded {args.candidates:,} candidates / {args.tenants} tenants with COPY in {loaded - started:.1f}s; "
          f"tsvector {fts_done - loaded:.1f}s; HNSW build {hnsw_done - fts_done:.1f}s; GIN {time.perf_counter() - hnsw_done:.1f}s")
    return tenant_ids, centres, by_tenant


def vector_top10(tenant_id: str, vector: list[float], *, exact: bool, ef_search: int) -> list[str]:
    from django.db import connection, transaction

    from analytics.retrieval import _vector_literal

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('hnsw.ef_search', %s, true)", [str(ef_search)])
        cursor.execute("SELECT set_config('hnsw.iterative_scan', 'relaxed_order', true)")
        if exact:
            cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(
            "SELECT candidate_id FROM (SELECT e.candidate_id, e.embedding <=> %(v)s::vector AS d "
            "FROM analytics_candidateembedding e JOIN cvs_candidate c ON c.id = e.candidate_id "
            "WHERE e.tenant_id = %(t)s AND NOT c.is_deleted ORDER BY e.embedding <=> %(v)s::vector LIMIT 10) x ORDER BY d",
            {"v": _vector_literal(vector), "t": tenant_id},
        )
        return [str(row[0]) for row in cursor.fetchall()]


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.array(values), q))


def bench_speed(args: argparse.Namespace, tenant_ids: list[str], centres: np.ndarray) -> None:
    from analytics.questions import Filters
    from analytics.retrieval import hybrid_search

    rng = np.random.default_rng(args.seed + 1)
    queries = []
    for i in range(args.queries):
        lang = ["en", "es", "fr", "zh"][i % 4]
        vector = unit(centres[rng.integers(0, len(centres))] + 0.08 * rng.standard_normal(DIM).astype(np.float32))
        text = f"{HEADLINES[lang][i % 10]} {SKILLS[i % len(SKILLS)]} {CITIES[lang][i % 4]}"
        queries.append((tenant_ids[i % len(tenant_ids)], vector.tolist(), text, lang))
    exact = [vector_top10(t, v, exact=True, ef_search=40) for t, v, _, _ in queries]
    print(f"\n{args.queries} queries, top-10, tenant filter applied ({args.candidates // args.tenants:,} candidates per tenant)")
    print(f"{'ef_search':>9} | {'hybrid p50':>10} | {'hybrid p95':>10} | {'vector p50':>10} | {'vector p95':>10} | {'recall@10':>9}")
    for ef in args.ef_search:
        for t, v, text, lang in queries[:20]:  # warm the caches
            hybrid_search(vector=v, text=text, language=lang, filters=Filters(), k=10, tenant_id=t, ef_search=ef)
        hybrid_ms, vector_ms, recalls = [], [], []
        for (t, v, text, lang), truth in zip(queries, exact, strict=True):
            started = time.perf_counter()
            hybrid_search(vector=v, text=text, language=lang, filters=Filters(), k=10, tenant_id=t, ef_search=ef)
            hybrid_ms.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            approx = vector_top10(t, v, exact=False, ef_search=ef)
            vector_ms.append((time.perf_counter() - started) * 1000)
            recalls.append(len(set(approx) & set(truth)) / len(truth))
        print(f"{ef:>9} | {percentile(hybrid_ms, 50):>8.1f}ms | {percentile(hybrid_ms, 95):>8.1f}ms | "
              f"{percentile(vector_ms, 50):>8.1f}ms | {percentile(vector_ms, 95):>8.1f}ms | {statistics.mean(recalls):>9.3f}")
    exact_ms = []
    for t, v, _, _ in queries[:50]:
        started = time.perf_counter()
        vector_top10(t, v, exact=True, ef_search=40)
        exact_ms.append((time.perf_counter() - started) * 1000)
    print(f"exact (no index) vector search: p50 {percentile(exact_ms, 50):.1f}ms, p95 {percentile(exact_ms, 95):.1f}ms")


# --- retrieval quality on the labelled dev corpus ----------------------------------------

def corpus_people(corpus: Path) -> list[dict]:
    from cvs.extraction.levels import degree_level, education_rank

    people = []
    for path in sorted(corpus.glob("*.json")):
        truth = json.loads(path.read_text())
        levels = [degree_level(entry["degree"]) or "other" for entry in truth["education"]]
        best = max(range(len(levels)), key=lambda i: education_rank(levels[i]) or 0) if levels else None
        people.append({
            "truth": truth,
            "name": truth["contact_info"]["name"],
            "headline": truth["headline"],
            "location": truth["contact_info"]["location"],
            "language": truth["language"],
            "years_of_experience": truth["years_of_experience"],
            "education_level": levels[best] if best is not None else "",
            "school": truth["education"][best]["institution"] if best is not None else "",
            "skills": sorted(set(truth["skills"]) | set(truth["tools_in_jobs"])),
        })
    return people


def has(person: dict, *skills: str) -> bool:
    return all(skill.casefold() in {s.casefold() for s in person["skills"]} for skill in skills)


def at_least(person: dict, level: str) -> bool:
    from cvs.extraction.levels import education_rank

    return (education_rank(person["education_level"]) or 0) >= (education_rank(level) or 0)


DATA_ANALYST = {"Data Analyst", "Analista de Datos", "Analyste de données", "数据分析师"}
DEVOPS = {"DevOps Engineer", "Ingeniero DevOps", "Ingénieur DevOps", "运维工程师", "Site Reliability Engineer"}
PROJECT = {"Jefe de Proyecto", "Chef de projet"}
FRONTEND = {"Frontend Developer", "Desarrolladora Frontend", "Développeuse Frontend", "前端开发工程师"}
LABELLED = [
    ("Python developers with 3+ years of experience", lambda p: has(p, "Python") and p["years_of_experience"] >= 3),
    ("Desarrolladores Java con más de 5 años de experiencia", lambda p: has(p, "Java") and p["years_of_experience"] >= 5),
    ("Candidats avec un master et plus de 5 ans d'expérience", lambda p: at_least(p, "master") and p["years_of_experience"] >= 5),
    ("有哪些5年以上工作经验的Java开发工程师?", lambda p: has(p, "Java") and p["years_of_experience"] >= 5),
    ("Who knows Kubernetes and Docker?", lambda p: has(p, "Kubernetes", "Docker")),
    ("Candidates with a PhD who know TensorFlow", lambda p: at_least(p, "doctorate") and has(p, "TensorFlow")),
    ("Candidatos en Huelva", lambda p: p["location"] == "Huelva"),
    ("硕士学历, 掌握 Kafka", lambda p: at_least(p, "master") and has(p, "Kafka")),
    ("Data analysts", lambda p: p["headline"] in DATA_ANALYST),
    ("DevOps engineers", lambda p: p["headline"] in DEVOPS),
    ("Frontend developers", lambda p: p["headline"] in FRONTEND),
    ("Chefs de projet", lambda p: p["headline"] in PROJECT),
]


def bench_quality() -> None:
    from django.db import transaction

    from analytics.services import analysis_retrieve, candidate_embed
    from cvs.models import Candidate
    from tenants.models import Tenant
    from tenants.scoping import tenant_scope

    corpus = REPO.parent / "shared" / "corpus" / "dev"
    if not corpus.is_dir():
        print(f"\ndev corpus quality: skipped, it reads the optional shared corpus and {corpus} is absent")
        return
    people = corpus_people(corpus)
    tenant = Tenant.objects.create(name="Corpus tenant", slug="corpus")
    started = time.perf_counter()
    by_id = {}
    with tenant_scope(tenant.pk):
        for person in people:
            truth = person["truth"]
            data = {
                "language": person["language"], "headline": person["headline"], "years_of_experience": person["years_of_experience"],
                "contact_info": truth["contact_info"],
                "experience": [{"title": e["title"], "company": e["company"]} for e in truth["experience"]],
                "education": [
                    {"institution": e["institution"], "degree": e["degree"], "field_of_study": e["field"]} for e in truth["education"]
                ],
                "skills": person["skills"], "certifications": [{"name": c} for c in truth["certifications"]],
                "languages": [{"language": lang} for lang in truth["languages"]],
            }
            with transaction.atomic():
                candidate = Candidate.objects.create(
                    tenant=tenant, name=person["name"], headline=person["headline"], location=person["location"],
                    language=person["language"], education_level=person["education_level"], school=person["school"],
                    years_of_experience=person["years_of_experience"], skills=person["skills"], data=data,
                )
            candidate_embed(candidate_id=candidate.pk)
            by_id[str(candidate.pk)] = person
        print(f"\ndev corpus: {len(people)} candidates embedded in {time.perf_counter() - started:.1f}s")
        print(f"{'query':<58} | {'relevant':>8} | {'P@10':>5} | {'P@min(10,R)':>11} | filters")
        p10s, prs = [], []
        for question, relevant in LABELLED:
            wanted = {cid for cid, person in by_id.items() if relevant(person)}
            retrieved = analysis_retrieve(question=question, top_k=10)
            top = [source["id"] for source in retrieved.sources]
            hits = len(set(top) & wanted)
            p10 = hits / 10
            pr = hits / min(10, len(wanted)) if wanted else float(not top)
            p10s.append(p10)
            prs.append(pr)
            print(f"{question:<58} | {len(wanted):>8} | {p10:>5.2f} | {pr:>11.2f} | {retrieved.filters.as_dict()}")
        print(f"{'mean':<58} | {'':>8} | {statistics.mean(p10s):>5.2f} | {statistics.mean(prs):>11.2f} |")


def main() -> None:
    args = parse_args()
    admin_url = setup_database()
    try:
        tenant_ids, centres, _ = load_synthetic(args)
        bench_speed(args, tenant_ids, centres)
        if not args.skip_quality:
            bench_quality()
    finally:
        if not args.keep:
            drop_database(admin_url)


if __name__ == "__main__":
    main()
