"""Booking benchmark (run by hand): `.venv/bin/python bench/booking.py [--db sqlite|postgresql|both]`.

For each database it starts the portal under gunicorn on a free 127.0.0.1 port, against a fresh
database, and measures:
1. 200 concurrent booking attempts on one slot of capacity 3 -> must be exactly 3 successes and
   197 "slot_full" answers;
2. booking API latency with a single client (p50/p95 over N sequential bookings);
3. slot listing latency for one office and 14 days (p50/p95).
Targets (issue 5): booking p95 <= 50 ms, slot listing p95 <= 30 ms.
"""
from __future__ import annotations

import argparse
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG_SERVER_URL = os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")
OFFICE = 34


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def p(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def prepare(url: str, instance: str, capacity: int) -> tuple[str, list]:
    """Migrate, set the office capacity, return (service, free slot starts)."""
    from portal import create_app, db
    from portal.appointments.models import Office
    from portal.appointments.offices import get_office
    from portal.appointments.slots import bookable_services, free_slots
    from portal.migrate import upgrade_database
    from portal.timeutil import as_istanbul, utcnow
    app = create_app({"ENV": "development", "INSTANCE_PATH": instance, "DATABASE_URL": url,
                      "RATELIMIT_ENABLED": False})
    with app.app_context():
        upgrade_database()
        get_office(OFFICE)
        sess = db.begin_write()
        sess.get(Office, OFFICE).counters = capacity
        sess.commit()
        service = sorted(s.slug for s in bookable_services())[0]
        first = as_istanbul(utcnow()).date() + timedelta(days=1)
        starts = [s["start"] for s in free_slots(get_office(OFFICE), first, first + timedelta(days=30))]
    app.extensions["db_engine"].dispose()
    return service, starts


def start_server(url: str, instance: str, port: int, workers: int) -> subprocess.Popen:
    env = dict(os.environ, DATABASE_URL=url, INSTANCE_PATH=instance, RATELIMIT_ENABLED="false",
               ENV="development", LOG_LEVEL="WARNING")
    proc = subprocess.Popen([str(ROOT / ".venv/bin/gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers",
                             str(workers), "--threads", "8", "--log-level", "warning", "wsgi:app"],
                            cwd=ROOT, env=env)
    for _ in range(100):
        try:
            requests.get(f"http://127.0.0.1:{port}/api/v1/offices", timeout=1)
            return proc
        except requests.RequestException:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("gunicorn did not start")


def body(service: str, start, n: int) -> dict:
    digits = f"{5320000000 + n}"
    letters = "".join("abcdefghij"[int(d)] for d in str(n))
    return {"office": OFFICE, "service": service, "start": start.isoformat() + "Z", "name": f"Bench Kişi {letters}",
            "phone": f"+90{digits}", "lang": "tr", "consent": True}


def warm_up(base: str, service: str, n: int) -> None:
    """Every worker loads the knowledge base and opens its database pool before the timed parts."""
    def hit() -> None:
        session = requests.Session()
        for _ in range(3):
            session.get(f"{base}/api/v1/offices/{OFFICE}/slots?service={service}", timeout=60)
    threads = [threading.Thread(target=hit) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def race(base: str, service: str, start, attempts: int) -> dict:
    barrier = threading.Barrier(attempts)
    results: list[tuple[int, str]] = []
    lock = threading.Lock()

    def attempt(i: int) -> None:
        session = requests.Session()
        barrier.wait()
        try:
            resp = session.post(f"{base}/api/v1/appointments", json=body(service, start, 100000 + i), timeout=120)
            outcome = (resp.status_code, resp.json().get("error", ""))
        except requests.RequestException as exc:
            outcome = (0, type(exc).__name__)
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(attempts)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - began
    ok = sum(1 for code, _e in results if code == 201)
    full = sum(1 for code, e in results if code == 409 and e == "slot_full")
    other = [r for r in results if r[0] != 201 and not (r[0] == 409 and r[1] == "slot_full")]
    return {"succeeded": ok, "slot_full": full, "other": other, "seconds": round(elapsed, 2)}


def booking_latency(base: str, service: str, starts: list, n: int) -> list[float]:
    session = requests.Session()
    times = []
    for i in range(n):
        began = time.perf_counter()
        resp = session.post(f"{base}/api/v1/appointments", json=body(service, starts[i % len(starts)], 200000 + i),
                            timeout=30)
        times.append((time.perf_counter() - began) * 1000)
        if resp.status_code != 201:
            raise SystemExit(f"booking failed: {resp.status_code} {resp.text[:200]}")
    return times


def listing_latency(base: str, service: str, n: int) -> list[float]:
    from datetime import date
    session = requests.Session()
    first = date.today()
    url = f"{base}/api/v1/offices/{OFFICE}/slots?service={service}&from={first}&to={first + timedelta(days=13)}"
    times = []
    for _ in range(n):
        began = time.perf_counter()
        resp = session.get(url, timeout=30)
        times.append((time.perf_counter() - began) * 1000)
        assert resp.status_code == 200
    return times


def run(kind: str, args) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    instance = tempfile.mkdtemp(prefix=f"bench-{kind}-")
    admin = None
    if kind == "sqlite":
        url = f"sqlite:///{instance}/bench.sqlite3"
    else:
        name = f"goc_bench_{secrets.token_hex(4)}"
        admin = create_engine(PG_SERVER_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        url = make_url(PG_SERVER_URL).set(database=name).render_as_string(hide_password=False)
    try:
        service, starts = prepare(url, instance, args.capacity)
        port = free_port()
        server = start_server(url, instance, port, args.workers)
        base = f"http://127.0.0.1:{port}"
        try:
            warm_up(base, service, args.workers * 8)
            outcome = race(base, service, starts[0], args.attempts)
            print(f"[{kind}] {args.attempts} concurrent attempts on one slot of capacity {args.capacity}: "
                  f"{outcome['succeeded']} booked, {outcome['slot_full']} slot_full, "
                  f"{len(outcome['other'])} other {outcome['other'][:3]} in {outcome['seconds']} s")
            listing_latency(base, service, 10)          # warm-up
            book = booking_latency(base, service, starts[1:], args.n)
            lst = listing_latency(base, service, args.n)
            print(f"[{kind}] booking API, single client, n={args.n}: p50 {p(book, .5):.1f} ms, "
                  f"p95 {p(book, .95):.1f} ms (target <= 50)")
            print(f"[{kind}] slot listing, 1 office x 14 days, n={args.n}: p50 {p(lst, .5):.1f} ms, "
                  f"p95 {p(lst, .95):.1f} ms (target <= 30)")
            ok = outcome["succeeded"] == args.capacity and outcome["slot_full"] == args.attempts - args.capacity
            print(f"[{kind}] capacity check: {'PASS' if ok else 'FAIL'}")
        finally:
            server.terminate()
            server.wait(10)
    finally:
        if admin is not None:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
            admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--attempts", type=int, default=200)
    parser.add_argument("--capacity", type=int, default=3)
    parser.add_argument("-n", type=int, default=200, help="requests per latency measurement")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (8 threads each)")
    args = parser.parse_args()
    for kind in (["sqlite", "postgresql"] if args.db == "both" else [args.db]):
        run(kind, args)


if __name__ == "__main__":
    main()
