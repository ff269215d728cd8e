"""A portal worker takes requests only once its search index and encoder are loaded
(portal/gunicorn_hooks.py): the very first request to a starting gunicorn finds the replica ready,
and a first search answers from the index, so a replica restarted under load never answers
"loading" or "search unavailable". The real gunicorn on the real index, one worker."""
from __future__ import annotations

import os
import socket
import subprocess
import time

import pytest
import requests

from tests.helpers.live_stack import ROOT

pytestmark = pytest.mark.slow

INDEX = ROOT / "instance" / "index"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture()
def gunicorn(tmp_path):
    assert (INDEX / "manifest.json").exists(), "no search index: run `flask knowledge index` (make setup)"
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "REDIS_URL"))}
    env.update(INDEX_DIR=str(INDEX), INSTANCE_PATH=str(tmp_path), DATABASE_URL=f"sqlite:///{tmp_path}/p.sqlite3",
               SECRET_KEY="k" * 64, ACTIONS_API_TOKEN="t" * 64, RASA_URL="http://127.0.0.1:9",
               RATELIMIT_ENABLED="false", PROMETHEUS_MULTIPROC_DIR=str(tmp_path))
    subprocess.run([str(ROOT / ".venv/bin/flask"), "db", "upgrade"], cwd=ROOT, env=env, check=True,
                   capture_output=True, timeout=120)
    proc = subprocess.Popen([str(ROOT / ".venv/bin/gunicorn"), "-c", "python:portal.gunicorn_hooks",
                             "--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "2",
                             "--no-control-socket", "wsgi:app"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    yield proc, f"http://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(timeout=30)


def test_the_first_request_finds_the_worker_ready(gunicorn):
    proc, url = gunicorn
    deadline = time.monotonic() + 240
    while True:                      # the master listens at once; the request waits for the worker
        try:
            first = requests.get(f"{url}/readyz", timeout=240)
            break
        except requests.ConnectionError:
            assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read().decode()[-2000:]
            time.sleep(0.05)
    body = first.json()
    assert first.status_code == 200, body
    assert body["components"]["index"]["status"] in ("ok", "stale"), body
    found = requests.post(f"{url}/api/v1/search", json={"q": "how do I renew my residence permit", "lang": "en"},
                          timeout=60)
    assert found.status_code == 200 and found.json()["results"], found.text[:500]
