"""Where rate limits count: Redis when configured (shared by every worker), and a Redis that does not
answer never turns a request into an error (the limits count in memory meanwhile)."""
from __future__ import annotations

import socket
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_redis_that_does_not_answer_still_limits_in_memory(make_migrated_app):
    app = make_migrated_app(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URL=f"redis://127.0.0.1:{closed_port()}/0")
    client = app.test_client()
    codes = [client.post("/api/v1/appointments/lookup", json={"reference": "GIB-AAAA-22", "access_code": "AAAA-AAAA"})
             .status_code for _ in range(11)]
    assert codes == [404] * 10 + [429]


def test_the_stack_counts_limits_in_the_local_redis_when_nothing_is_configured():
    script = ("set -e; unset REDIS_URL RATELIMIT_STORAGE_URL; WEB_WORKERS=2; "
              "source scripts/stack.d/01-ratelimits.sh; echo \"[$RATELIMIT_STORAGE_URL]\"")
    out = subprocess.run(["bash", "-c", script], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[redis://127.0.0.1:6379/1]"      # the machines here run Redis on 127.0.0.1
    kept = subprocess.run(["bash", "-c", script.replace("unset REDIS_URL RATELIMIT_STORAGE_URL",
                                                        "export REDIS_URL=redis://elsewhere:6379/0")],
                          cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert kept.strip() == "[]"
