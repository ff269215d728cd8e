"""Replicas load the search index that `flask knowledge index` built once, read-only: a portal process
that may not write to INDEX_DIR (nor to its instance folder) gets ready, searches, and changes no file.

Run as root (CI), the process gives up the capabilities that let root ignore permission bits
(util-linux's setpriv), so the read-only folders bind it too."""
from __future__ import annotations

import os
import shutil
import stat
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.helpers.live_stack import ROOT

pytestmark = pytest.mark.slow

INDEX = ROOT / "instance" / "index"
PROBE = """
import json, sys
from portal import create_app
from portal.search.operations import get_engine
app = create_app()
client = app.test_client()
for _ in range(600):
    resp = client.get("/readyz")
    if resp.get_json()["components"]["index"]["status"] != "loading":
        break
    __import__("time").sleep(0.1)
with app.app_context():
    result = get_engine().search("how do I renew my residence permit", "en", 3)
print(json.dumps({"ready": resp.status_code, "index": resp.get_json()["components"]["index"]["status"],
                  "top": result.results[0]["service"] if result.results else None}))
"""


def snapshot(folder: Path) -> dict:
    return {p.name: (p.stat().st_size, p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


@pytest.fixture()
def read_only_copy():
    """The built index and an empty instance folder, both without write permission for anyone."""
    assert (INDEX / "manifest.json").exists(), "no search index: run `flask knowledge index` (make setup)"
    base = Path(tempfile.mkdtemp(prefix="ro-index-"))
    shutil.copytree(INDEX, base / "index")
    (base / "instance").mkdir()
    for path in [*(base / "index").iterdir()]:
        path.chmod(0o444)
    for folder in (base / "index", base / "instance", base):
        folder.chmod(0o555)
    yield base
    for folder in (base, base / "index", base / "instance"):
        folder.chmod(0o755)
    shutil.rmtree(base)


def test_a_replica_loads_the_index_read_only(read_only_copy):
    index, instance = read_only_copy / "index", read_only_copy / "instance"
    before = snapshot(index)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "REDIS_URL"))}
    env.update(INDEX_DIR=str(index), INSTANCE_PATH=str(instance), DATABASE_URL="sqlite://", HOME=str(instance),
               SECRET_KEY="k" * 64, ACTIONS_API_TOKEN="t" * 64, REPLICAS="2", RASA_URL="http://127.0.0.1:9",
               PYTHONDONTWRITEBYTECODE="1")
    bound = ["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner"] if os.geteuid() == 0 else []
    done = subprocess.run([*bound, str(ROOT / ".venv" / "bin" / "python"), "-c", PROBE], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    result = __import__("json").loads(done.stdout.strip().splitlines()[-1])
    # ok, or stale when the content changed after the build: both answer
    assert result["ready"] == 200 and result["index"] in ("ok", "stale") and result["top"], result
    assert snapshot(index) == before
    assert list(instance.iterdir()) == []
    assert stat.S_IMODE(index.stat().st_mode) == 0o555


def test_the_probe_cannot_write_there(read_only_copy):
    """The check above means something: the same process setup is refused a write in that folder."""
    bound = ["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner"] if os.geteuid() == 0 else []
    done = subprocess.run([*bound, str(ROOT / ".venv" / "bin" / "python"), "-c",
                           f"open({str(read_only_copy / 'index' / 'x')!r}, 'w')"], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode != 0 and "PermissionError" in done.stderr
