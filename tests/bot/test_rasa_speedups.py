"""Rasa's speed-ups, in Rasa's own environment (.venv-rasa, subprocesses): bot/rasa_launcher.py checks
each distinct jsonschema schema once and still validates every response, and loads models without Rasa's
training step only for commands that load one (that the loaded model predicts exactly as Rasa's own load:
tests/scale/test_rasa_shared_live.py, against a running unpatched Rasa); the tracker store named in
bot/endpoints.yml puts its own SQLite engine in WAL mode and no other engine; RASA_SPEEDUPS=0 runs
Rasa unpatched; every script starts Rasa through the launcher."""
from __future__ import annotations

import json
import os
import secrets
import sqlite3
import subprocess

import pytest
import requests
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.helpers.rasa_probe import RASA_PYTHON, ROOT, run_probe

pytestmark = pytest.mark.slow

SCHEMAS = r'''
import json, sys, jsonschema, rasa_launcher
from jsonschema.validators import validator_for
rasa_launcher.apply_speedups()
out = {"patched": jsonschema.validate.__module__ == "rasa_ext.schema_cache"}

def schema():  # a new dict each time, as Rasa's RemoteAction.action_response_format_spec() builds it
    return {"type": "object", "properties": {"events": {"type": "array"}}, "required": ["events"]}

cls = validator_for(schema())
checks, original_check = [], cls.check_schema
cls.check_schema = staticmethod(lambda s, *a, **k: (checks.append(1), original_check(s, *a, **k))[1])
for _ in range(3):
    jsonschema.validate({"events": []}, schema())
out["checks_of_one_schema"] = len(checks)
out["invalid_instances"] = []
for bad in ({"events": "x"}, {}):
    try:
        jsonschema.validate(bad, schema())
    except jsonschema.ValidationError as err:
        out["invalid_instances"].append(err.validator)
try:    # a second, different schema, and an invalid one: it is checked, not trusted
    jsonschema.validate({"events": []}, {"type": "object", "properties": {"events": {"type": 12}}})
    out["invalid_schema"] = "accepted"
except jsonschema.SchemaError:
    out["invalid_schema"] = "SchemaError"
changed = schema(); changed["required"] = "events"          # the same dict shape, now invalid
try:
    jsonschema.validate({"events": []}, changed)
    out["changed_schema"] = "accepted"
except jsonschema.SchemaError:
    out["changed_schema"] = "SchemaError"
if "with-rasa" in sys.argv:   # Rasa's own check of action-server responses (importing Rasa: most of the time)
    from rasa.core.actions.action import RemoteAction
    from rasa.utils.tensorflow.models import RasaModel
    out["model_load"] = RasaModel.__dict__["load"].__func__.__module__
    action = RemoteAction("action_probe", None)
    out["rasa_valid"] = action._validate_action_result({"events": [{"event": "slot", "name": "a", "value": 1}],
                                                        "responses": [{"text": "hi"}]})
    try:
        action._validate_action_result({"events": [{"event": 3}], "responses": "x"})
        out["rasa_invalid"] = "accepted"
    except jsonschema.ValidationError:
        out["rasa_invalid"] = "ValidationError"
print(json.dumps(out))
'''

TRACKER_STORE = r'''
import asyncio, json, os, sqlite3, sys, sqlalchemy
from rasa.core.tracker_store import create_tracker_store
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import read_endpoint_config
tmp = sys.argv[1]
os.environ.update(RASA_TRACKER_DB=os.path.join(tmp, "tracker.sqlite3"), ACTION_SERVER_URL="http://127.0.0.1:9/webhook")
store = create_tracker_store(read_endpoint_config("endpoints.yml", "tracker_store"), Domain.empty())

async def roundtrip():
    await store.save(DialogueStateTracker.from_events("probe", [UserUttered("merhaba")]))
    return len((await store.retrieve("probe")).events)

def pragmas(engine):
    with engine.connect() as conn:
        return [conn.exec_driver_sql("PRAGMA journal_mode").scalar(), conn.exec_driver_sql("PRAGMA synchronous").scalar()]

other = sqlalchemy.create_engine("sqlite:///" + os.path.join(tmp, "other.sqlite3"))
out = {"class": type(store).__name__, "events": asyncio.run(roundtrip()), "store": pragmas(store.engine),
       "other_engine": pragmas(other),
       "file": sqlite3.connect(os.environ["RASA_TRACKER_DB"]).execute("PRAGMA journal_mode").fetchone()[0]}
print(json.dumps(out))
'''

POSTGRES = r'''
import asyncio, json, sys
from sqlalchemy import event
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa_ext.tracker_store import WalSQLTrackerStore, set_wal_pragmas
store = WalSQLTrackerStore(**json.loads(sys.argv[1]))

async def roundtrip():
    await store.save(DialogueStateTracker.from_events("probe", [UserUttered("hello")]))
    return len((await store.retrieve("probe")).events)

print(json.dumps({"dialect": store.engine.dialect.name, "wal": store.wal, "events": asyncio.run(roundtrip()),
                  "listener": event.contains(store.engine, "connect", set_wal_pragmas)}))
store.engine.dispose()
'''


def test_each_distinct_schema_is_checked_once_and_every_response_validated():
    out = run_probe(SCHEMAS, "with-rasa")
    assert out["patched"] is True
    assert out["checks_of_one_schema"] == 1              # the same schema content: checked once
    assert out["invalid_instances"] == ["type", "required"]
    assert out["invalid_schema"] == "SchemaError"        # not skipped because another schema was checked
    assert out["changed_schema"] == "SchemaError"
    assert out["rasa_valid"] is True and out["rasa_invalid"] == "ValidationError"
    assert out["model_load"] == "rasa_ext.model_load"


def test_training_gets_the_schema_cache_but_not_the_model_load():
    out = run_probe("import json, sys, jsonschema, rasa_launcher\nrasa_launcher.apply_speedups('train')\n"
                    "print(json.dumps({'schema_cache': jsonschema.validate.__module__,"
                    " 'tensorflow': 'tensorflow' in sys.modules, 'model_load': 'rasa_ext.model_load' in sys.modules}))")
    assert out == {"schema_cache": "rasa_ext.schema_cache", "tensorflow": False, "model_load": False}


def test_switched_off_the_schema_is_checked_every_time():
    out = run_probe(SCHEMAS, RASA_SPEEDUPS="0")
    assert out["patched"] is False and out["checks_of_one_schema"] == 3
    assert out["invalid_schema"] == "SchemaError" and out["changed_schema"] == "SchemaError"
    assert out["invalid_instances"] == ["type", "required"]


def test_the_tracker_store_of_endpoints_yml_uses_wal_and_no_other_engine_changes(tmp_path):
    out = run_probe(TRACKER_STORE, str(tmp_path))
    assert out["class"] == "WalSQLTrackerStore" and out["events"] >= 1
    assert out["store"] == ["wal", 1] and out["file"] == "wal"       # synchronous=NORMAL is 1
    assert out["other_engine"] == ["delete", 2]                       # SQLite's defaults (FULL is 2)


def test_switched_off_the_tracker_store_keeps_sqlite_defaults(tmp_path):
    out = run_probe(TRACKER_STORE, str(tmp_path), RASA_SPEEDUPS="0")
    assert out["class"] == "WalSQLTrackerStore" and out["events"] >= 1
    assert out["store"] == ["delete", 2] and out["file"] == "delete"


@pytest.mark.postgres
def test_on_postgresql_the_tracker_store_is_rasas_sql_tracker_store():
    server = make_url(os.environ.get("TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test"))
    name = f"goc_rasa_test_{secrets.token_hex(4)}"
    kwargs = {"dialect": "postgresql", "host": server.host, "port": server.port or 5432, "db": name,
              "username": server.username, "password": server.password, "login_db": server.database}
    try:
        out = run_probe(POSTGRES, json.dumps(kwargs))
    finally:
        admin = create_engine(server, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    assert out == {"dialect": "postgresql", "wal": False, "events": 1, "listener": False}


def test_the_launcher_refuses_another_rasa_version():
    result = subprocess.run(
        [str(RASA_PYTHON), "-c", "import rasa_launcher; rasa_launcher.check_rasa_version('3.5.0')"],
        env={"PYTHONPATH": str(ROOT / "bot"), "PATH": "/usr/bin:/bin"}, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and "Rasa 3.6.21 expected, found 3.5.0" in result.stderr


def test_the_launcher_hands_over_to_rasas_cli():
    result = subprocess.run([str(RASA_PYTHON), str(ROOT / "bot" / "rasa_launcher.py"), "--version"],
                            env={"PATH": "/usr/bin:/bin", "HOME": os.environ.get("HOME", "/tmp"),
                                 "RASA_TELEMETRY_ENABLED": "false"},
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "3.6.21" in result.stdout


def test_every_script_starts_rasa_through_the_launcher():
    assert not (ROOT / "bot" / "sitecustomize.py").exists()
    scripts = [*ROOT.joinpath("bot").glob("*.sh"), *ROOT.joinpath("scripts").rglob("*.sh")]
    assert scripts
    for script in scripts:
        assert ".venv-rasa/bin/rasa " not in script.read_text(), script
    assert "rasa_launcher.py run" in (ROOT / "bot" / "serve.sh").read_text()


@pytest.mark.live
def test_the_running_rasa_keeps_its_tracker_in_wal_mode(live_stack):
    reply = requests.post(f"{live_stack.url}/api/v1/chat", json={"message": "merhaba", "lang": "tr"}, timeout=30)
    assert reply.status_code == 200 and not reply.json()["degraded"], reply.text
    conn = sqlite3.connect(live_stack.instance / "rasa_tracker.sqlite3")
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("SELECT count(*) FROM events").fetchone()[0] > 0
    finally:
        conn.close()
