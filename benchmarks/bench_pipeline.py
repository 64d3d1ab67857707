"""Benchmarks of the CV intake and pipeline (issue 3). Prints figures; asserts nothing.

    .venv/bin/python benchmarks/bench_pipeline.py intake       # 32 clients posting 200 KB PDFs (wrk)
    .venv/bin/python benchmarks/bench_pipeline.py processing   # text-layer PDF/DOCX: ms per CV in the worker, CVs/s
    .venv/bin/python benchmarks/bench_pipeline.py scans        # seconds per scanned page (OCR)
    .venv/bin/python benchmarks/bench_pipeline.py memory       # worker RSS over 1,000 CVs
    .venv/bin/python benchmarks/bench_pipeline.py fairness     # tenant B's one CV behind tenant A's 2,000 (--batch, --in-flight)
    .venv/bin/python benchmarks/bench_pipeline.py all

It runs on its own database (``cvplatform_bench`` on the embedded server) and Redis key prefix,
starts its own uvicorn and Celery worker processes, and removes its data afterwards.
The machine is shared and noisy: quote medians, and rerun before comparing.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus" / "dev"
sys.path.insert(0, str(REPO))
os.environ.setdefault("EMBEDDED_PG_DATABASE", "cvplatform_bench")
os.environ.setdefault("REDIS_KEY_PREFIX", f"bench{os.getpid()}:")
os.environ.setdefault("CV_DEDUPLICATE_FILES", "0")  # repeated corpus files must be processed, not linked
os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="cv-bench-media-"))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import django  # noqa: E402

from config.bootstrap import prepare as prepare_local_services  # noqa: E402

prepare_local_services()  # local settings: embedded PostgreSQL when DATABASE_URL is unset, local secret key
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db.models import Max, Min  # noqa: E402

from cvs.models import CVJob  # noqa: E402
from tenants.scoping import scopes_disabled  # noqa: E402
from tenants.services import tenant_provision  # noqa: E402
from tests.cvs.files import pdf_bytes  # noqa: E402

PY = sys.executable


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def spawn(args: list[str], log: Path, env: dict[str, str] | None = None) -> subprocess.Popen:
    return subprocess.Popen(
        args, cwd=REPO, env={**os.environ, **(env or {})}, stdout=open(log, "w"), stderr=subprocess.STDOUT,  # noqa: SIM115
        start_new_session=True,
    )


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


ALL_QUEUES = "default,ocr,llm,webhooks,documents,embeddings"


def start_worker(logdir: Path, concurrency: int = 2, queues: str = ALL_QUEUES, name: str = "bench") -> subprocess.Popen:
    log = logdir / f"{name}.log"
    proc = spawn([PY, "-m", "celery", "-A", "config", "worker", "-Q", queues,
                  "-c", str(concurrency), "--without-mingle", "--without-gossip", "-l", "WARNING", "-n", f"{name}{os.getpid()}@%h"],
                 log)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        # -l WARNING hides "ready."; ping answers once the pool is up.
        from config.celery import app

        if app.control.ping(timeout=1.0, destination=[f"{name}{os.getpid()}@{socket.gethostname()}"]):
            return proc
        if proc.poll() is not None:
            break
    raise RuntimeError(f"worker did not start; see {log}")


def prepare() -> dict:
    call_command("migrate", verbosity=0)
    result = tenant_provision(tenant_name="Bench", admin_username="bench-admin", password="bench-pass-123")
    return {"tenant": result.tenant, "api_key": result.api_key, "endpoint": result.endpoint}


def wipe() -> None:
    with scopes_disabled():
        CVJob.objects.all().delete()


def submit_files(base: str, ctx: dict, paths: list[Path]) -> list[str]:
    import httpx

    ids = []
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {ctx['api_key']}"}, timeout=60) as client:
        for path in paths:
            response = client.post(f"/cv/{ctx['endpoint'].pk}", files={"file": (path.name, path.read_bytes())})
            response.raise_for_status()
            ids.append(response.json()["request_id"])
    return ids


def wait_done(ids: list[str], timeout: float = 1800) -> list[CVJob]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with scopes_disabled():
            done = CVJob.objects.filter(pk__in=ids, status__in=["completed", "failed", "cancelled"]).count()
        if done == len(ids):
            with scopes_disabled():
                return list(CVJob.objects.filter(pk__in=ids))
        time.sleep(0.5)
    raise RuntimeError("jobs did not finish in time")


class Web:
    def __init__(self, logdir: Path, workers: int = 2):
        self.port = free_port()
        if os.environ.get("WEB_SERVER") == "gunicorn":
            command = [PY, "-m", "gunicorn", "config.wsgi:application", "-b", f"127.0.0.1:{self.port}", "-w", str(workers),
                       "-k", "gthread", "--threads", "4", "--log-level", "warning"]
        else:
            command = [PY, "-m", "uvicorn", "config.asgi:application", "--port", str(self.port), "--workers", str(workers),
                       "--no-access-log", "--log-level", "warning"]
        self.proc = spawn(command, logdir / "web.log")
        import httpx

        for _ in range(200):
            try:
                httpx.get(f"{self.base}/healthz", timeout=1)
                return
            except httpx.HTTPError:
                time.sleep(0.2)
        raise RuntimeError("web did not start")

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def bench_intake(ctx: dict, logdir: Path, seconds: int = 20) -> None:
    if not shutil.which("wrk"):
        print("intake: wrk is not installed (apt-get install wrk)")
        return
    web = Web(logdir, workers=int(os.environ.get("WEB_WORKERS", "2")))
    try:
        body_path = logdir / "cv.pdf"
        body_path.write_bytes(pdf_bytes(pad_to=200 * 1024))
        boundary = "----cvbench"
        payload = (
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"cv.pdf\"\r\n"
            f"Content-Type: application/pdf\r\n\r\n"
        ).encode() + body_path.read_bytes() + f"\r\n--{boundary}--\r\n".encode()
        (logdir / "body.bin").write_bytes(payload)
        script = logdir / "post.lua"
        script.write_text(f"""
local f = io.open("{logdir / 'body.bin'}", "rb"); local body = f:read("*all"); f:close()
wrk.method = "POST"
wrk.body = body
wrk.headers["Content-Type"] = "multipart/form-data; boundary={boundary}"
wrk.headers["Authorization"] = "Bearer {ctx['api_key']}"
local errors = 0
response = function(status, headers, body) if status ~= 202 then errors = errors + 1 end end
done = function(summary, latency, requests)
  io.write(string.format("RESULT requests=%d duration_s=%.2f p50_ms=%.1f p90_ms=%.1f p99_ms=%.1f non202=%d socket_errors=%d\\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout))
end
""")
        # Warm-up so that connection pools and imports are in place.
        subprocess.run(["wrk", "-t2", "-c8", "-d3s", "-s", str(script), f"{web.base}/cv/{ctx['endpoint'].pk}"],
                       capture_output=True, check=True)
        out = subprocess.run(["wrk", "-t2", "-c32", f"-d{seconds}s", "--timeout", "5s", "-s", str(script),
                              f"{web.base}/cv/{ctx['endpoint'].pk}"], capture_output=True, text=True, check=True).stdout
        line = next(ln for ln in out.splitlines() if ln.startswith("RESULT"))
        fields = dict(item.split("=") for item in line.split()[1:])
        rate = int(fields["requests"]) / float(fields["duration_s"])
        print(f"intake: 32 clients, 200 KB PDFs, {seconds}s: {rate:.0f} uploads/s, p50 {fields['p50_ms']} ms, "
              f"p90 {fields['p90_ms']} ms, p99 {fields['p99_ms']} ms, non-202 {fields['non202']}, socket errors {fields['socket_errors']}"
              f"  (targets: >=150/s, p99 <=250 ms, no error)")
    finally:
        stop(web.proc)
        wipe()


def text_layer_files() -> list[Path]:
    return sorted(p for p in CORPUS.iterdir() if any(f"_{layout}." in p.name for layout in ("pdf1", "pdf2", "docx", "docxtable"))
                  and p.suffix in (".pdf", ".docx"))


def bench_processing(ctx: dict, logdir: Path, rounds: int = 3) -> None:
    files = text_layer_files() * rounds
    web = Web(logdir, workers=1)
    worker = None
    try:
        ids = submit_files(web.base, ctx, files)  # queued before the worker starts: measures pure drain rate
        worker = start_worker(logdir)
        started = time.monotonic()
        jobs = wait_done(ids)
        elapsed = time.monotonic() - started
        with scopes_disabled():
            span = CVJob.objects.filter(pk__in=ids).aggregate(first=Min("started_at"), last=Max("finished_at"))
        in_worker = [sum(job.stage_timings.values()) for job in jobs if job.status == "completed"]
        failed = sum(job.status != "completed" for job in jobs)
        wall = (span["last"] - span["first"]).total_seconds()
        print(f"processing: {len(jobs)} text-layer PDF/DOCX CVs, 2 worker processes: median {statistics.median(in_worker):.0f} ms "
              f"per CV in the worker (p95 {percentile(in_worker, 95):.0f} ms); throughput {len(jobs) / wall:.1f} CVs/s "
              f"(first start to last finish; {len(jobs) / elapsed:.1f} CVs/s including worker start-up); failed {failed}"
              f"  (targets: <=300 ms median, >=5 CVs/s)")
    finally:
        if worker:
            stop(worker)
        stop(web.proc)
        wipe()


def bench_scans(ctx: dict, logdir: Path) -> None:
    scans = sorted(p for p in CORPUS.iterdir() if "_scan." in p.name and p.suffix == ".pdf")
    images = sorted(p for p in CORPUS.iterdir() if p.suffix in (".png", ".jpg"))
    web = Web(logdir, workers=1)
    worker = start_worker(logdir)
    try:
        ids = submit_files(web.base, ctx, scans + images)
        jobs = wait_done(ids)
        per_page = [job.stage_timings["extracting_text"] / 1000 / max(1, job.file_pages or 1)
                    for job in jobs if job.status == "completed" and "extracting_text" in job.stage_timings]
        print(f"scans: {len(jobs)} scanned PDFs and images, OCR eng+spa+fra+chi_sim: median {statistics.median(per_page):.2f} s "
              f"per page (p95 {percentile(per_page, 95):.2f} s, max {max(per_page):.2f} s)  (target: <=4 s per page)")
    finally:
        stop(worker)
        stop(web.proc)
        wipe()


def worker_rss_mb(proc: subprocess.Popen) -> float:
    import psutil

    parent = psutil.Process(proc.pid)
    return sum(p.memory_info().rss for p in [parent, *parent.children(recursive=True)]) / 1e6


def bench_memory(ctx: dict, logdir: Path, total: int = 1000) -> None:
    base_files = text_layer_files()
    files = (base_files * (total // len(base_files) + 1))[:total]
    web = Web(logdir, workers=1)
    worker = start_worker(logdir)
    samples: list[tuple[int, float]] = []
    try:
        ids = []
        for start in range(0, total, 100):
            ids += submit_files(web.base, ctx, files[start:start + 100])
        while True:
            with scopes_disabled():
                done = CVJob.objects.filter(pk__in=ids, status__in=["completed", "failed"]).count()
            samples.append((done, worker_rss_mb(worker)))
            if done == len(ids):
                break
            time.sleep(2)
        quarter = [rss for done, rss in samples if done <= total // 4]
        last = [rss for done, rss in samples if done >= total * 3 // 4]
        print(f"memory: worker (parent + 2 children) RSS over {total} CVs: max {max(r for _, r in samples):.0f} MB; "
              f"median in the first quarter {statistics.median(quarter or [samples[0][1]]):.0f} MB, "
              f"in the last quarter {statistics.median(last or [samples[-1][1]]):.0f} MB  (target: <1500 MB, no growth)")
    finally:
        stop(worker)
        stop(web.proc)
        wipe()


def bench_fairness(ctx: dict, logdir: Path, batch: int, in_flight: int, probes: int = 5, one_pool: bool = False) -> None:
    """Tenant A queues ``batch`` text CVs; tenant B then sends single CVs one at a time: how long does each take?"""
    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cvs.pipeline.services import job_submit
    from tenants.scoping import tenant_scope

    settings.CV_TENANT_MAX_IN_FLIGHT = in_flight  # this process dispatches at intake; the worker after each job
    os.environ["CV_TENANT_MAX_IN_FLIGHT"] = str(in_flight)
    other = tenant_provision(tenant_name=f"Bench B {os.getpid()}", admin_username=f"bench-b-{os.getpid()}", password="bench-pass-123")

    def submit(tenant: object, name: str) -> CVJob:
        upload = SimpleUploadedFile(f"{name}.pdf", pdf_bytes([name.replace("-", " ").title(), f"{name}@example.com",
                                                                 "Experience", "Engineer at Example Ltd, 2019 - 2024"]))
        with tenant_scope(tenant.pk):  # type: ignore[attr-defined]
            return job_submit(tenant=tenant, upload=upload)  # type: ignore[arg-type]

    started = time.perf_counter()
    for number in range(batch):
        submit(ctx["tenant"], f"bulk-person-{number}")
    print(f"fairness: queued {batch} CVs for tenant A in {time.perf_counter() - started:.1f} s; in-flight limit per tenant {in_flight}")
    # The pools of bin/run: CV stages, webhook deliveries and embeddings each in their own processes
    # (--one-pool: every queue in the same two processes, as before embeddings had their own pool).
    workers = [start_worker(logdir)] if one_pool else [
        start_worker(logdir, 2, "default,ocr,llm,documents", "benchcv"), start_worker(logdir, 1, "webhooks", "benchhooks"),
        start_worker(logdir, 1, "embeddings", "benchemb")]
    try:
        # Measure queueing, not cold start: both worker processes have finished some of A's work
        # (libraries and the embedding model loaded) and are busy with more when B's first CV arrives.
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            with scopes_disabled():
                if CVJob.objects.filter(tenant=ctx["tenant"], status="completed").count() >= 20:
                    break
            time.sleep(0.5)
        waits = []
        for probe in range(probes):
            job = submit(other.tenant, f"single-person-{probe}")
            done = wait_done([str(job.pk)], timeout=1800)[0]
            assert done.finished_at is not None
            waits.append((done.finished_at - done.created_at).total_seconds())
            # Where the time went: waiting for a dispatch slot, on the queue, then in each stage.
            dispatched = (done.queued_at or done.created_at) - done.created_at
            picked = (done.started_at or done.finished_at) - (done.queued_at or done.created_at)
            stages = ", ".join(f"{stage} {ms} ms" for stage, ms in (done.stage_timings or {}).items())
            print(f"fairness: probe {probe}: {waits[-1]:.2f} s = dispatch {dispatched.total_seconds():.2f} s, "
                  f"queue {picked.total_seconds():.2f} s, stages ({stages})")
        with scopes_disabled():
            left = CVJob.objects.filter(tenant=ctx["tenant"]).exclude(status__in=["completed", "failed", "cancelled"]).count()
        print(f"fairness: tenant B's single CV, {probes} in turn: median {statistics.median(waits):.2f} s from intake to completed "
              f"(each: {', '.join(f'{wait:.2f}' for wait in waits)} s) while {left} of tenant A's {batch} were still waiting "
              "(target: <= 3 s)")
    finally:
        for worker in workers:
            stop(worker)
        wipe()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=["intake", "processing", "scans", "memory", "fairness", "all"])
    parser.add_argument("--seconds", type=int, default=20, help="intake run length")
    parser.add_argument("--total", type=int, default=1000, help="CVs for the memory run")
    parser.add_argument("--batch", type=int, default=2000, help="tenant A's queued CVs for the fairness run")
    parser.add_argument("--in-flight", type=int, default=4,
                        help="per-tenant in-flight limit for the fairness run (a huge value shows first-in-first-out)")
    parser.add_argument("--one-pool", action="store_true", help="fairness run with every queue in one worker pool")
    args = parser.parse_args()
    ctx = prepare()
    with tempfile.TemporaryDirectory(prefix="cv-bench-") as tmp:
        logdir = Path(tmp)
        if args.what in ("intake", "all"):
            bench_intake(ctx, logdir, args.seconds)
        if args.what in ("fairness", "all"):
            bench_fairness(ctx, logdir, args.batch, args.in_flight, one_pool=args.one_pool)
        if args.what != "intake" and not CORPUS.is_dir():
            print(f"{args.what}: skipped, it reads the optional shared corpus and {CORPUS} is absent")
            return
        if args.what in ("processing", "all"):
            bench_processing(ctx, logdir)
        if args.what in ("scans", "all"):
            bench_scans(ctx, logdir)
        if args.what in ("memory", "all"):
            bench_memory(ctx, logdir, args.total)


if __name__ == "__main__":
    main()
