"""Numbers for bench/cluster.py: every request the load sent (kind, time, latency, outcome), latency
percentiles per kind, where the CPU time went (per process group, from /proc), and the checks made in
the database at the end (bookings, double bookings)."""
from __future__ import annotations

import os
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from bench.search import percentile

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class Request:
    t: float            # wall-clock start (time.time())
    kind: str           # the request's name= in bench/cluster_load.py
    method: str
    ms: float
    ok: bool
    phase: str
    error: str = ""


@dataclass
class Recorder:
    """Locust's request event -> Request rows, tagged with the phase running at the time."""
    phase: str = "setup"
    rows: list[Request] = field(default_factory=list)

    def on_request(self, request_type, name, response_time, exception=None, start_time=None, **_kw) -> None:
        start = start_time if start_time else time.time() - (response_time or 0) / 1000
        reason = "" if exception is None else str(exception).split("\n")[0][:80]
        self.rows.append(Request(start, name, request_type, float(response_time or 0), exception is None, self.phase, reason))

    def of(self, phase: str) -> list[Request]:
        return [r for r in self.rows if r.phase == phase]


def latency_by_kind(rows: list[Request]) -> dict[str, dict]:
    """{kind: {"n", "errors", "p50_ms", "p95_ms"}}; latencies of answered requests only."""
    groups: dict[str, list[Request]] = defaultdict(list)
    for row in rows:
        groups[row.kind].append(row)
    out = {}
    for kind, items in sorted(groups.items()):
        good = [r.ms for r in items if r.ok] or [0.0]
        out[kind] = {"n": len(items), "errors": sum(not r.ok for r in items),
                     "p50_ms": round(percentile(good, 50)), "p95_ms": round(percentile(good, 95))}
    return out


def summary(rows: list[Request], seconds: float) -> dict:
    answered = [r.ms for r in rows if r.ok] or [0.0]
    reasons = Counter(f"{r.kind}: {r.error}" for r in rows if not r.ok)
    return {"requests": len(rows), "errors": sum(not r.ok for r in rows), "seconds": round(seconds, 1),
            "error_reasons": dict(reasons.most_common(6)),
            "rps": round(len(rows) / seconds, 1) if seconds else 0.0,
            "p50_ms": round(percentile(answered, 50)), "p95_ms": round(percentile(answered, 95)),
            "by_kind": latency_by_kind(rows)}


# -- CPU: where the time goes ----------------------------------------------------------------------
def _stat(pid: str) -> tuple[str, int, float] | None:
    """(command, process group, CPU seconds) of one process."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    comm = raw[raw.index("(") + 1:raw.rindex(")")]
    fields = raw[raw.rindex(")") + 2:].split()
    return comm, int(fields[2]), (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def machine_busy_seconds() -> float:
    """CPU seconds the whole machine spent busy so far (all cores; /proc/stat, idle and iowait excluded)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(fields[:8]) - fields[3] - fields[4]) / CLOCK_TICKS


def cpu_snapshot(program_groups: dict[int, str]) -> dict[str, float]:
    """CPU seconds used so far, per part: each supervisor program's process group (portal, rasa,
    actions, nginx), PostgreSQL, Redis, this load generator, and the whole machine."""
    totals: dict[str, float] = defaultdict(float)
    totals["machine"] = machine_busy_seconds()
    me = os.getpid()
    for pid in filter(str.isdigit, os.listdir("/proc")):
        found = _stat(pid)
        if found is None:
            continue
        comm, group, seconds = found
        if group in program_groups:
            part = program_groups[group]
        elif int(pid) == me:
            part = "load generator"
        elif comm.startswith("postgres"):
            part = "postgresql"
        elif comm.startswith("redis"):
            part = "redis"
        else:
            continue
        totals[part] += seconds
    return totals


def cpu_used(before: dict[str, float], after: dict[str, float], seconds: float) -> dict:
    """Cores busy per part over an interval; "other" is the rest of the machine (other people's work
    included). A process that exited in between is not counted in its part."""
    parts = {k: round(max(0.0, after.get(k, 0.0) - before.get(k, 0.0)) / seconds, 2) for k in after}
    parts["other"] = round(max(0.0, parts["machine"] - sum(v for k, v in parts.items() if k != "machine")), 2)
    return dict(sorted(parts.items(), key=lambda item: -item[1]))


# -- the database at the end -----------------------------------------------------------------------
def booking_checks(database_url: str, bookings: list[dict], phone_prefix: str) -> dict:
    """Bookings the load was told about against what the database holds.

    double_bookings: appointments beyond one per person of the load (a retried request booked twice)
    plus places booked beyond a slot's capacity. mismatched: a confirmed reference whose appointment
    is missing or carries another person's name (a mixed-up conversation or request).
    """
    import psycopg
    url = database_url.replace("postgresql+psycopg://", "postgresql://")
    e164 = "+90" + phone_prefix.lstrip("0")
    with psycopg.connect(url) as conn:
        rows = conn.execute("SELECT reference, full_name, phone, status FROM appointments WHERE phone LIKE %s",
                            (e164 + "%",)).fetchall()
        over_capacity = conn.execute(
            "SELECT coalesce(sum(n - o.counters), 0) FROM (SELECT office_code, start_at, count(*) AS n "
            "FROM appointments WHERE status = 'booked' GROUP BY office_code, start_at) a "
            "JOIN offices o ON o.code = a.office_code WHERE n > o.counters").fetchone()[0]
    per_phone: dict[str, int] = defaultdict(int)
    by_reference = {}
    for reference, name, phone, _status in rows:
        per_phone[phone] += 1
        by_reference[reference] = name
    mismatched = [b["reference"] for b in bookings if by_reference.get(b["reference"]) != b["name"]]
    return {
        "bookings_in_database": len(rows),
        "double_bookings": sum(n - 1 for n in per_phone.values() if n > 1) + int(over_capacity),
        "bookings_mismatched": len(mismatched),
        "bookings_unconfirmed": len(set(by_reference) - {b["reference"] for b in bookings}),
    }


def conversation_checks(conversations: list[dict], kill_at: float | None, recovered_at: float | None) -> dict:
    """conversations: finished ones; across_kill: those going on between the kill and the killed replicas'
    return (so served by the surviving ones, their state from PostgreSQL); intact: of those, the ones
    that went on to their end correctly (a booking made, every question answered)."""
    across = [c for c in conversations
              if kill_at is not None and recovered_at is not None and c["start"] < recovered_at and c["end"] > kill_at]
    return {"conversations": len(conversations), "conversations_ok": sum(c["ok"] for c in conversations),
            "booking_conversations": sum(c["kind"] == "booking" for c in conversations),
            "conversations_across_kill": len(across), "conversations_intact": sum(c["ok"] for c in across)}
