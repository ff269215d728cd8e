"""Load and failover test of the local cluster (run by hand, not in CI; a few minutes on 2 cores).

    .venv/bin/python bench/cluster.py --json OUT [--seconds 20] [--users 12]

It starts its own cluster (cluster/: 2 portal, 2 Rasa, 2 action-server replicas behind nginx, under
supervisord) on free 127.0.0.1 ports, on a fresh PostgreSQL database (migration_cluster_bench) and
its own Redis database number, with rate limits off (every virtual person comes from 127.0.0.1).
Locust (as a library, headless) then sends people's traffic through nginx (bench/cluster_load.py):
  1. capacity: searches, then chat messages, back to back at rising concurrency; the highest rate
     whose p95 stays within 300 ms, per core;
  2. two replicas: the mixed load (reading, searching, chatting incl. bookings by chat, booking on the
     web and by the API);
  3. failover: the mixed load; halfway, portal-1 and rasa-1 are killed (SIGKILL, whole process group)
     and supervisord restarts them; errors while they are down are counted apart;
  4. content update: the mixed load while the index is rebuilt beside the running one and the portal
     replicas reload one by one (gunicorn HUP), then the Rasa replicas restart one by one (drained in
     nginx first);
  5. one replica: the mixed load with replica 2 of each part stopped (throughput and p95 against 2).
Then it checks the database (bookings, double bookings), stops everything it started (timed) and
prints and writes the JSON.
"""
from __future__ import annotations

import locust  # noqa: F401  (first: gevent patches the standard library before anything else loads)

import argparse
import json
import os
import random
import socket
import sys
import time
from pathlib import Path

import gevent
from locust.env import Environment

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import cluster_load as load  # noqa: E402
from bench.cluster_stats import (Recorder, booking_checks, conversation_checks, cpu_snapshot,  # noqa: E402
                                 cpu_used, latency_by_kind, summary)
from cluster import control, rollout  # noqa: E402
from cluster.layout import KINDS, Layout, kind_of  # noqa: E402
from cluster.prepare import prepare  # noqa: E402

YIMER_CALLS_PER_YEAR = (2_300_000, 3_300_000)
SERVER_PARTS = ("portal", "portal-internal", "rasa", "actions", "nginx", "postgresql", "redis")
IDEMPOTENT = {"page", "guide", "static", "search", "search_page", "slots", "book_api"}


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def free_base_port() -> int:
    for _ in range(200):
        base = random.randrange(20000, 60000, 100)
        layout = Layout(base_port=base)
        with socket.socket() as probe:
            if all(probe.connect_ex(("127.0.0.1", port)) != 0 for port in layout.all_ports()):
                return base
    raise SystemExit("no free range of ports")


class Bench:
    def __init__(self, args: argparse.Namespace):
        self.args = args
        self.layout = Layout(run_dir=ROOT / "instance" / "cluster-bench", base_port=free_base_port(),
                             web_workers=args.web_workers, database="migration_cluster_bench",
                             redis_db=args.redis_db, ratelimit=False)
        self.recorder = Recorder()
        self.sup: control.Supervisor | None = None
        self.env: dict[str, str] = {}
        self.kill_at: float | None = None
        self.recovered_at: float | None = None
        self.phases: dict = {}              # filled as they finish (kept when a later phase fails)

    # -- running load --------------------------------------------------------------------------
    def program_groups(self) -> dict[int, str]:
        """process group -> part (portal, rasa, actions, nginx): supervisord starts each program in a
        group of its own."""
        groups = {}
        for info in self.sup.rpc.getAllProcessInfo():
            if info["pid"]:
                groups[int(info["pid"])] = kind_of(info["name"])
        return groups

    def run_load(self, classes: list, users: int, seconds: float, phase: str, during=None) -> dict:
        """Run `users` people of `classes` for `seconds` (or while `during()` works); their numbers."""
        env = Environment(user_classes=classes, host=self.layout.url, stop_timeout=60)
        env.events.request.add_listener(self.recorder.on_request)
        self.recorder.phase = phase
        cpu_before, started = cpu_snapshot(self.program_groups()), time.time()
        runner = env.create_local_runner()
        runner.start(users, spawn_rate=users * 4)
        detail = during() if during else gevent.sleep(seconds)
        stop_at = time.time()
        cpu_after = cpu_snapshot(self.program_groups())
        runner.stop()                      # people finish what they are doing (a conversation, a booking)
        runner.quit()
        env.events.request.remove_listener(self.recorder.on_request)
        rows = self.recorder.of(phase)
        out = summary([r for r in rows if r.t <= stop_at], stop_at - started)
        out["requests_incl_finishing"] = len(rows)
        out["errors_incl_finishing"] = sum(not r.ok for r in rows)
        out["cpu_cores"] = cpu_used(cpu_before, cpu_after, stop_at - started)
        out["load_average_1m"] = round(os.getloadavg()[0], 1)    # other work on the machine shows here
        if detail:
            out["detail"] = detail
        log(f"{phase}: {out['requests']} requests, {out['errors']} errors, {out['rps']}/s, p95 {out['p95_ms']} ms")
        return out

    def mixed(self, phase: str, seconds: float | None = None, during=None) -> dict:
        return self.run_load(load.MIXED, self.args.users, seconds or self.args.seconds, phase, during)

    # -- phases ----------------------------------------------------------------------------------
    def capacity(self) -> dict:
        out = {}
        for kind, people, levels in (("search", load.SearchOnly, (1, 2, 4, 8)), ("chat", load.ChatOnly, (1, 2, 4))):
            steps = []
            for users in levels:
                step = self.run_load([people], users, self.args.step_seconds, f"capacity {kind} x{users}")
                numbers = step["by_kind"].get(kind, {"n": 0, "errors": 0, "p50_ms": 0, "p95_ms": 0})
                busy = sum(step["cpu_cores"].get(part, 0.0) for part in SERVER_PARTS)     # our servers only
                steps.append({"users": users, "rps": round(numbers["n"] / step["seconds"], 1),
                              "p50_ms": numbers["p50_ms"], "p95_ms": numbers["p95_ms"], "errors": numbers["errors"],
                              "server_cores_busy": round(busy, 2),
                              "server_cpu_ms_per_request": round(1000 * busy * step["seconds"] / max(numbers["n"], 1)),
                              "cpu_cores": step["cpu_cores"]})
            best = {limit: max((s["rps"] for s in steps if s["p95_ms"] <= limit and not s["errors"]), default=0.0)
                    for limit in (300, 1000)}
            out[kind] = {"steps": steps, "rps_at_p95_300ms": best[300], "per_core": round(best[300] / os.cpu_count(), 1),
                         "rps_at_p95_1000ms": best[1000], "per_core_at_p95_1000ms": round(best[1000] / os.cpu_count(), 1)}
        return out

    def kill_halfway(self) -> dict:
        seconds = self.args.kill_seconds
        gevent.sleep(seconds / 2)
        self.kill_at = time.time()
        killed = {program: self.sup.kill(program) for program in ("portal-1", "rasa-1")}
        log(f"killed {killed} (SIGKILL)")
        gevent.sleep(1)
        control.wait_ready(self.layout, list(killed), timeout=self.args.ready_timeout, log=log)
        self.recovered_at = time.time()
        log(f"both back after {self.recovered_at - self.kill_at:.1f} s")
        gevent.sleep(max(seconds / 2 - (self.recovered_at - self.kill_at), 10))
        return {"killed": list(killed), "recovered_s": round(self.recovered_at - self.kill_at, 1)}

    def update_content(self) -> dict:
        gevent.sleep(3)
        index = rollout.rollout_index(self.layout, self.env, log=log)
        model = rollout.rollout_model(self.layout, log=log)
        gevent.sleep(3)
        return {"index": index, "model": model}

    def stop_replica_two(self) -> None:
        """Replica 2 of every part out of nginx (drained), then stopped."""
        drained: set[int] = set()
        for kind in KINDS:
            rollout.drain(self.sup, self.layout.port_of(f"{kind}-2"), drained)
        for kind in KINDS:
            self.sup.stop(f"{kind}-2")

    def during_kill(self) -> dict:
        rows = [r for r in self.recorder.of("failover")
                if r.t <= self.recovered_at and r.t + r.ms / 1000 >= self.kill_at]
        failed = [r for r in rows if not r.ok]
        return {"requests": len(rows), "errors": len(failed),
                "errors_get_and_idempotent": sum(r.kind in IDEMPOTENT for r in failed),
                "errors_other_posts": sum(r.kind not in IDEMPOTENT for r in failed),
                "by_kind": latency_by_kind(rows)}

    # -- the whole run ---------------------------------------------------------------------------
    def run(self) -> dict:
        began = time.time()
        log(f"preparing {self.layout.run_dir} (database {self.layout.database}, Redis db {self.layout.redis_db})")
        self.env = prepare(self.layout, fresh=True, log=log)
        control.start_detached(self.layout, self.env)
        self.sup = control.Supervisor(self.layout)
        ready = control.wait_ready(self.layout, timeout=self.args.ready_timeout, log=log)
        log(f"cluster at {self.layout.url}; ready in {ready:.0f} s")
        self.fill_data()
        result: dict = {"replicas": self.layout.replicas, "layout": {
            "portal": self.layout.replicas, "rasa": self.layout.replicas, "actions": self.layout.replicas,
            "gunicorn_workers_per_portal": self.layout.web_workers, "cores": os.cpu_count()}}
        self.run_load([load.SearchOnly, load.ChatOnly], 4, 8, "warm-up")
        phases = self.phases
        phases["capacity"] = self.capacity()
        phases["two replicas"] = self.mixed("two replicas")
        phases["failover"] = self.mixed("failover", during=self.kill_halfway)
        control.wait_ready(self.layout, timeout=self.args.ready_timeout, log=log)
        phases["content update"] = self.mixed("content update", during=self.update_content)
        self.stop_replica_two()
        phases["one replica"] = self.mixed("one replica")
        result.update(self.totals(phases))
        result["phases"] = phases
        result["errors_during_kill"] = result["kill_window"]["errors"]
        result.update(booking_checks(self.layout.database_url(), load.BOOKINGS, load.PHONE_PREFIX))
        result["stop_seconds"] = round(control.stop_cluster(self.layout) or 0.0, 1)
        result["duration_s"] = round(time.time() - began)
        return result

    def totals(self, phases: dict) -> dict:
        measured = [r for r in self.recorder.rows if r.phase != "warm-up"]
        mixed = [r for r in measured if not r.phase.startswith("capacity")]
        two, one = phases["two replicas"], phases["one replica"]
        by_kind = latency_by_kind(mixed)
        chat_per_core = phases["capacity"]["chat"]["per_core"]
        return {
            "requests": len(measured), "errors": sum(not r.ok for r in measured),
            "error_rate": round(sum(not r.ok for r in measured) / max(len(measured), 1), 5),
            "p50_ms": {kind: v["p50_ms"] for kind, v in by_kind.items()},
            "p95_ms": {kind: v["p95_ms"] for kind, v in by_kind.items()},
            **conversation_checks(load.CONVERSATIONS, self.kill_at, self.recovered_at),
            "bookings": len(load.BOOKINGS),
            "bookings_by_channel": {c: sum(b["channel"] == c for b in load.BOOKINGS) for c in ("chat", "web", "api")},
            "kill_window": self.during_kill(),
            "scaling": {"rps_1": one["rps"], "rps_2": two["rps"], "ratio": round(two["rps"] / max(one["rps"], 0.1), 2),
                        "p95_ms_1": one["p95_ms"], "p95_ms_2": two["p95_ms"],
                        "cpu_cores_1": one["cpu_cores"], "cpu_cores_2": two["cpu_cores"]},
            "capacity_per_core": {"search_rps": phases["capacity"]["search"]["per_core"], "chat_messages_per_s": chat_per_core,
                                  "at_p95_1000ms": {k: phases["capacity"][k]["per_core_at_p95_1000ms"] for k in ("search", "chat")}},
            "yimer157": yimer_comparison(*((chat_per_core, "p95 300 ms") if chat_per_core else
                                           (phases["capacity"]["chat"]["per_core_at_p95_1000ms"], "p95 1 s"))),
        }

    def fill_data(self) -> None:
        """What the people can ask for: every guide, the bookable services, the offices (the portal's API)."""
        import requests
        from knowledge.loader import load as load_knowledge
        load.DATA["services"] = sorted(load_knowledge().services)
        api = requests.Session()
        load.DATA["bookable"] = [s["slug"] for s in api.get(f"{self.layout.url}/api/v1/services", timeout=30).json()["services"]]
        offices = api.get(f"{self.layout.url}/api/v1/offices", timeout=30).json()["offices"]
        load.DATA["offices"] = [o["code"] for o in offices]


def yimer_comparison(chat_per_core: float, basis: str) -> dict:
    """YİMER 157's yearly calls as chat messages per second, next to the measured capacity. Assumed:
    calls in 50 working hours a week, 8 messages per conversation, a peak hour at twice the average."""
    low, high = YIMER_CALLS_PER_YEAR
    per_s = [round(n / (52 * 50 * 3600), 2) for n in (low, high)]
    peak_messages = round(per_s[1] * 8 * 2, 1)
    return {"calls_per_s_working_hours": per_s, "peak_chat_messages_per_s": peak_messages,
            "cores_needed_at_peak": round(peak_messages / chat_per_core, 1) if chat_per_core else None,
            "capacity_basis": f"{chat_per_core} chat messages/s per core at {basis}",
            "assumptions": "50 working hours a week, 8 messages a conversation, peak hour x2"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", dest="out", help="write the result here too")
    parser.add_argument("--users", type=int, default=12, help="people in the mixed load")
    parser.add_argument("--seconds", type=float, default=20, help="length of the two- and one-replica phases")
    parser.add_argument("--kill-seconds", type=float, default=60, help="length of the failover phase")
    parser.add_argument("--step-seconds", type=float, default=8, help="length of each capacity step")
    parser.add_argument("--web-workers", type=int, default=2, help="gunicorn workers per portal replica")
    parser.add_argument("--redis-db", type=int, default=4)
    parser.add_argument("--ready-timeout", type=float, default=600, help="seconds a (re)started replica may take")
    args = parser.parse_args()
    bench = Bench(args)
    result: dict = {}
    try:
        result = bench.run()
    except BaseException as exc:                        # keep what was measured, say what failed
        result = {"failed": f"{type(exc).__name__}: {exc}", "phases": bench.phases}
        raise
    finally:
        took = control.stop_cluster(bench.layout)      # after a failure too: never leave the cluster running
        if took is not None:
            log(f"cluster stopped in {took:.1f} s")
        text = json.dumps(result, ensure_ascii=False, indent=1)
        print(text)
        if args.out:
            Path(args.out).write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
