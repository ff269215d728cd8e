"""/metrics under gunicorn with two workers (prometheus-client's multiprocess mode, as scripts/run_stack.sh
starts the portal): whichever worker answers a scrape, it reports the requests of both."""
from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families

from tests.helpers.replicas import migrate_database, portal_env, start_portal, stop

pytestmark = pytest.mark.live
ROUTE = "/<lang>/contact"


def requests_counted(url: str) -> float:
    body = requests.get(f"{url}/metrics", timeout=90).text
    return sum(s.value for f in text_string_to_metric_families(body) for s in f.samples
               if s.name == "portal_requests_total" and s.labels.get("route") == ROUTE)


def writers(folder) -> set[str]:
    """The worker pids that observed requests (prometheus-client's files are named per pid)."""
    return {m.group(1) for p in folder.iterdir() if (m := re.fullmatch(r"histogram_(\d+)\.db", p.name))}


def test_every_scrape_adds_up_the_workers(tmp_path):
    folder = tmp_path / "metrics"
    folder.mkdir()
    env = portal_env(tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", RATELIMIT_ENABLED="false",
                     PROMETHEUS_MULTIPROC_DIR=str(folder), RASA_URL="http://127.0.0.1:9")
    migrate_database({k: v for k, v in env.items() if k != "PROMETHEUS_MULTIPROC_DIR"})
    proc, url = start_portal(env, workers=2, log=tmp_path / "portal.log")
    try:
        sent = 0
        for _ in range(10):     # in parallel batches until both workers have answered some
            with ThreadPoolExecutor(8) as pool:
                statuses = list(pool.map(lambda _: requests.get(f"{url}/en/contact", timeout=90).status_code,
                                         range(20)))
            assert statuses == [200] * 20
            sent += 20
            if len(writers(folder)) == 2:
                break
        assert len(writers(folder)) == 2, sorted(p.name for p in folder.iterdir())
        assert [requests_counted(url) for _ in range(6)] == [float(sent)] * 6
    finally:
        stop(proc)
