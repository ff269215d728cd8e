"""Real processes for the tests of several copies: portal copies under gunicorn (configured only by
the environment, as in production), a private Redis server, and Rasa copies through bot/serve.sh.
Everything runs on free 127.0.0.1 ports; each test stops what it started."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
import requests

from tests.helpers.live_stack import ROOT, free_port, wait_for

SHARED_SECRETS = {"SECRET_KEY": "s" * 64, "ACTIONS_API_TOKEN": "a" * 64, "TRACKER_ENCRYPTION_KEY": "t" * 64}


def stop(proc: subprocess.Popen, timeout: float = 20) -> None:
    """SIGTERM to the process group (gunicorn's workers, serve.sh's exec'd server), then SIGKILL."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def start_redis(folder: Path) -> tuple[subprocess.Popen, str]:
    """A private Redis server (nothing persisted) and its URL."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail("redis-server is not installed (Debian package redis-server)", pytrace=False)
    port = free_port()
    proc = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                             "--dir", str(folder)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    deadline = time.monotonic() + 20
    import redis
    client = redis.Redis(port=port)
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            if proc.poll() is not None or time.monotonic() > deadline:
                stop(proc)
                raise RuntimeError("the private redis-server did not start")
            time.sleep(0.1)
    return proc, f"redis://127.0.0.1:{port}/0"


def portal_env(instance: Path, **settings) -> dict:
    """The environment of one portal copy: shared secrets, its instance folder, the settings given."""
    env = dict(os.environ, INSTANCE_PATH=str(instance), RATELIMIT_ENABLED="true", SEED_DEMO_DATA="false",
               FLASK_APP="wsgi:app", **{k: v for k, v in SHARED_SECRETS.items() if k != "TRACKER_ENCRYPTION_KEY"})
    env.update({k: str(v) for k, v in settings.items()})
    return env


def start_portal(env: dict, workers: int = 1, log: Path | None = None) -> tuple[subprocess.Popen, str]:
    """`gunicorn wsgi:app` as scripts/run_stack.sh starts it; returns the process and its base URL once
    /healthz answers."""
    port = free_port()
    proc = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
         "--threads", "4", "--graceful-timeout", "5", "wsgi:app"],
        cwd=ROOT, env=env, start_new_session=True, stdout=subprocess.DEVNULL,
        stderr=open(log, "wb") if log else subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{url}/healthz", 60, proc)
    except Exception:
        stop(proc)
        raise
    return proc, url


def migrate_database(env: dict) -> None:
    """`flask db upgrade` with that environment (the portal copies then only read and write rows)."""
    subprocess.run([str(ROOT / ".venv" / "bin" / "flask"), "db", "upgrade"], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=120)


def wait_ready(url: str, timeout: float = 120) -> dict:
    """Poll /readyz until 200 (the index and encoder load in the background); returns its JSON."""
    deadline = time.monotonic() + timeout
    while True:
        resp = requests.get(f"{url}/readyz", timeout=10)
        if resp.status_code == 200 or time.monotonic() > deadline:
            return resp.json()
        time.sleep(0.3)
