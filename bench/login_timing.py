"""Can a staff username be told apart by timing? (run by hand, reported, never asserted)

    .venv/bin/python bench/login_timing.py [--tries 50] [--json OUT]

A portal on a temporary SQLite database gets `--tries` staff users. Each existing username gets one
wrong password (so no lockout interferes), and as many unknown usernames get one each, interleaved.
Every sign-in goes through the real `/staff/login` route (Flask test client, rate limits off). Prints
the median, p10 and p90 of both and the difference of the medians (target < 5 ms).
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from portal import create_app  # noqa: E402
from portal.migrate import upgrade_database  # noqa: E402
from portal.staff.auth.operations import create_staff_user  # noqa: E402


def _timed(client, username: str) -> float:
    start = time.perf_counter()
    resp = client.post("/staff/login", data={"username": username, "password": "not the password at all"})
    elapsed = (time.perf_counter() - start) * 1000
    assert resp.status_code == 401, resp.status_code
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tries", type=int, default=50)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"ENV": "testing", "INSTANCE_PATH": tmp, "RATELIMIT_ENABLED": False,
                          "DATABASE_URL": f"sqlite:///{tmp}/db.sqlite3", "WTF_CSRF_ENABLED": False,
                          "SEED_DEMO_DATA": False})
        with app.app_context():
            upgrade_database()
            for i in range(args.tries):
                create_staff_user(f"agent{i:03d}", "Bench agent", "agent", "bench password long enough")
        client = app.test_client()
        _timed(client, "warm-up-unknown")
        existing, unknown = [], []
        for i in range(args.tries):
            existing.append(_timed(client, f"agent{i:03d}"))
            unknown.append(_timed(client, f"nobody{i:03d}"))
        app.extensions["db_engine"].dispose()

    def summary(values):
        deciles = statistics.quantiles(values, n=10)
        return {"median_ms": round(statistics.median(values), 2), "p10_ms": round(deciles[0], 2),
                "p90_ms": round(deciles[-1], 2)}

    result = {"tries": args.tries, "existing": summary(existing), "unknown": summary(unknown),
              "median_difference_ms": round(abs(statistics.median(existing) - statistics.median(unknown)), 2)}
    print(json.dumps(result, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
