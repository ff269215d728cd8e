"""Search benchmark (run by hand, not part of the tests).

    .venv/bin/python bench/search.py [--requests 300] [--workers 2] [--rebuild] [--in-process]

Measures
  * in-process latency of SearchEngine.search (p50/p95), after warm-up;
  * HTTP latency of POST /api/v1/search against gunicorn (p50/p95), 1 client;
  * throughput (requests/s) with 1 and 4 concurrent clients;
  * peak RSS (VmHWM) of each gunicorn worker after the runs;
  * index build time: from the manifest, or a full build from scratch into a temporary folder
    with --rebuild (every chunk encoded).
Queries are the knowledge base's own example questions (sampled, all languages), never an
evaluation set.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def percentile(values: list[float], pct: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, max(0, round(pct / 100 * (len(values) - 1))))]


def sample_queries(app, n: int, seed: int = 7) -> list[tuple[str, str]]:
    from knowledge.search.chunks import build_chunks
    from portal.knowledge_access import knowledge_base
    with app.app_context():
        questions = [(c.text, c.lang) for c in build_chunks(knowledge_base()) if c.kind == "question"]
    random.Random(seed).shuffle(questions)
    return questions[:n]


def in_process(app, queries) -> dict:
    from portal.search.operations import get_engine
    with app.app_context():
        started = time.perf_counter()
        engine = get_engine()
        engine.search("ikamet izni")          # loads the model
        load_seconds = time.perf_counter() - started
        for q, _lang in queries[:20]:
            engine.search(q)
        times = []
        for q, _lang in queries:
            t0 = time.perf_counter()
            engine.search(q)
            times.append((time.perf_counter() - t0) * 1000)
    return {"load_s": round(load_seconds, 2), "p50_ms": round(percentile(times, 50), 1),
            "p95_ms": round(percentile(times, 95), 1), "n": len(times)}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def post(url: str, q: str) -> float:
    body = json.dumps({"q": q}).encode()
    req = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    t0 = time.perf_counter()
    with urllib.request.urlopen(req, timeout=30) as resp:
        resp.read()
        if resp.status != 200:
            raise RuntimeError(f"HTTP {resp.status}")
    return (time.perf_counter() - t0) * 1000


def run_clients(url: str, queries, clients: int) -> dict:
    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        times = list(pool.map(lambda item: post(url, item[0]), queries))
    wall = time.perf_counter() - started
    return {"clients": clients, "requests": len(times), "rps": round(len(times) / wall, 1),
            "p50_ms": round(percentile(times, 50), 1), "p95_ms": round(percentile(times, 95), 1)}


def worker_pids(master: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{master}/task/{master}/children").read_text().split()]
    except OSError:
        return []


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def over_http(queries, workers: int, threads: int) -> dict:
    port = free_port()
    # as `make run` serves it: its gunicorn settings (each worker loads everything before its first
    # request) and one compute thread per process (scripts/stack.d/00-threads.sh)
    env = dict(os.environ, RATELIMIT_ENABLED="false", LOG_LEVEL="WARNING")
    env.setdefault("OMP_NUM_THREADS", "1")
    proc = subprocess.Popen([str(ROOT / ".venv/bin/gunicorn"), "-c", "python:portal.gunicorn_hooks", "--bind",
                             f"127.0.0.1:{port}", "--workers", str(workers), "--threads", str(threads), "wsgi:app"],
                            cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/api/v1/search"
    try:
        for _ in range(200):
            try:
                post(url, "ikamet")
                break
            except OSError:
                time.sleep(0.1)
        for q, _lang in queries[:40]:        # warm every worker (model + index load)
            post(url, q)
        single = run_clients(url, queries, 1)
        four = run_clients(url, queries, 4)
        rss = {pid: peak_rss_mb(pid) for pid in worker_pids(proc.pid)}
    finally:
        proc.terminate()
        proc.wait(10)
    return {"workers": workers, "threads": threads, "one_client": single, "four_clients": four,
            "worker_peak_rss_mb": rss}


def build_time(app, rebuild: bool) -> dict:
    from knowledge.search.index import build_index, read_manifest
    from portal.knowledge_access import knowledge_base
    from portal.search.operations import _encoder
    with app.app_context():
        if not rebuild:
            manifest = read_manifest(app.config["INDEX_DIR"]) or {}
            return {"from": "manifest (incremental builds reuse vectors)", "seconds": manifest.get("build_seconds"),
                    "chunks": (manifest.get("counts") or {}).get("chunks"),
                    "encoded": (manifest.get("counts") or {}).get("encoded")}
        with tempfile.TemporaryDirectory() as tmp:
            t0 = time.perf_counter()
            manifest = build_index(knowledge_base(), _encoder(), tmp)
            return {"from": "full build", "seconds": round(time.perf_counter() - t0, 1),
                    "chunks": manifest["counts"]["chunks"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--rebuild", action="store_true", help="time a full index build from scratch")
    parser.add_argument("--in-process", action="store_true", help="only the in-process latency (quick)")
    args = parser.parse_args()
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    from portal import create_app
    app = create_app({"RATELIMIT_ENABLED": False})
    queries = sample_queries(app, args.requests)
    if args.in_process:
        print(json.dumps({"omp_num_threads": os.environ.get("OMP_NUM_THREADS", "default"),
                          "load": round(os.getloadavg()[0], 2), "in_process": in_process(app, queries)}))
        return
    report = {"queries": len(queries), "in_process": in_process(app, queries),
              "http": over_http(queries, args.workers, args.threads), "index_build": build_time(app, args.rebuild)}
    print(json.dumps(report, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
