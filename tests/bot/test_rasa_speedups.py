"""bot/sitecustomize.py in Rasa's own environment: responses are still validated, SQLite uses WAL."""
from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = r'''
import sqlite3, sys, tempfile, os
import sitecustomize, jsonschema
assert sitecustomize.__file__.startswith(sys.argv[1]), sitecustomize.__file__
schema = {"type": "object", "properties": {"events": {"type": "array"}}, "required": ["events"]}
jsonschema.validate({"events": []}, schema)
for bad in ({"events": "x"}, {}):
    try:
        jsonschema.validate(bad, schema)
    except jsonschema.ValidationError:
        pass
    else:
        raise SystemExit("invalid response accepted")
import sqlalchemy
path = os.path.join(tempfile.mkdtemp(), "t.sqlite3")
with sqlalchemy.create_engine("sqlite:///" + path).connect() as conn:
    mode = conn.exec_driver_sql("PRAGMA journal_mode").scalar()
    sync = conn.exec_driver_sql("PRAGMA synchronous").scalar()
print(mode, sync)
'''


def run_probe(**env) -> subprocess.CompletedProcess:
    return subprocess.run([str(ROOT / ".venv-rasa/bin/python"), "-c", PROBE, str(ROOT / "bot")],
                          env={"PYTHONPATH": str(ROOT / "bot"), "PATH": "/usr/bin:/bin", **env},
                          capture_output=True, text=True, timeout=120)


def test_speedups_keep_validation_and_switch_sqlite_to_wal():
    result = run_probe()
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["wal", "1"]          # synchronous=NORMAL is 1


def test_speedups_can_be_switched_off():
    result = run_probe(RASA_SPEEDUPS="0")
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split()[0] == "delete"
