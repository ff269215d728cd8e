"""Rasa's tracker store keeps what people tell the bot encrypted at rest (bot/rasa_ext/tracker_store.py),
checked in Rasa's own environment: every event's data is sealed, a conversation reads back whole,
rows written before encryption stay readable, a rotated key still opens old rows, and a store without
the key refuses to read instead of returning garbage."""
from __future__ import annotations

import json
import sqlite3

import pytest

from tests.helpers.rasa_probe import run_probe

pytestmark = pytest.mark.slow

ROUND_TRIP = r'''
import asyncio, json, os, sqlite3, sys
from rasa.shared.core.events import BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa_ext.tracker_store import WalSQLTrackerStore

async def step(db, events):
    store = WalSQLTrackerStore(dialect="sqlite", db=db)     # reads its keys from the environment now
    if events:
        tracker = DialogueStateTracker.from_events("probe", [UserUttered(events[0]), SlotSet("bk_phone", events[1]),
                                                            BotUttered(events[2])])
        await store.save(tracker)
    try:
        back = await store.retrieve("probe")
    except RuntimeError as exc:
        return {"error": str(exc)}
    finally:
        store.engine.dispose()
    return {"read": [e.get("text") or e.get("value") for e in (x.as_dict() for x in back.events)
                     if e.get("event") in ("user", "slot", "bot")]}

# steps in one process (Rasa's import is most of the time): each with its environment, and SQL run
# on the file before it (as another program would have written it)
out = []
for s in json.loads(sys.argv[1]):
    os.environ.pop("TRACKER_ENCRYPTION_KEY", None)
    os.environ.update(s.get("env", {}))
    if s.get("sql"):
        with sqlite3.connect(s["db"]) as conn:
            conn.execute(*s["sql"])
    out.append(asyncio.run(step(s["db"], s.get("events", []))))
print(json.dumps(out))
'''


def run_steps(*steps: dict, **env: str) -> list[dict]:
    return run_probe(ROUND_TRIP, json.dumps(steps), **env)


SAID = ["my phone is 0532 111 22 33", "+905321112233", "Access code: ABCD-EFGH"]


def _rows(path) -> list[tuple[str, str]]:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT type_name, data FROM events ORDER BY id").fetchall()


def test_event_data_is_sealed_at_rest_and_reads_back_whole(tmp_path):
    db = tmp_path / "tracker.sqlite3"
    [out] = run_steps({"db": str(db), "events": SAID}, INSTANCE_PATH=str(tmp_path))
    assert out["read"][-3:] == SAID
    rows = _rows(db)
    assert rows and all(data.startswith("sealed1:") for _, data in rows)
    raw = db.read_bytes() + b"".join(p.read_bytes() for p in tmp_path.glob("tracker.sqlite3-*"))
    assert b"0532" not in raw and b"905321112233" not in raw and b"ABCD-EFGH" not in raw
    assert (tmp_path / "tracker_key").stat().st_mode & 0o777 == 0o600     # generated once, private


def test_plain_rows_from_before_encryption_stay_readable(tmp_path):
    db = str(tmp_path / "tracker.sqlite3")
    clear = json.dumps({"event": "user", "text": "written in clear", "timestamp": 1.0, "parse_data": {}})
    _, out = run_steps({"db": db, "events": SAID},
                       {"db": db, "sql": ["UPDATE events SET data = ? WHERE type_name = 'user'", [clear]]},
                       INSTANCE_PATH=str(tmp_path))     # as an unencrypted store would have written it
    assert "written in clear" in out["read"] and SAID[1] in out["read"]


def test_a_rotated_key_still_opens_old_rows_and_a_missing_key_refuses(tmp_path):
    db = str(tmp_path / "tracker.sqlite3")
    _, rotated, without = run_steps({"db": db, "events": SAID, "env": {"TRACKER_ENCRYPTION_KEY": "old-key"}},
                                    {"db": db, "env": {"TRACKER_ENCRYPTION_KEY": "new-key,old-key"}},
                                    {"db": db, "env": {"TRACKER_ENCRYPTION_KEY": "new-key"}})
    assert rotated["read"] == SAID
    assert "no longer configured" in without["error"]


LOGGING = r'''
import json, logging, sys, io
import structlog
import rasa_launcher
from rasa_ext import log_redaction
log_redaction.install()
from rasa.utils import log_utils
log_utils.configure_structlog(logging.INFO)
stream = io.StringIO()
logging.getLogger().handlers[0].setStream(stream)
structlog.get_logger().error("rest.message.received.timeout", text="call me on 0532 111 22 33",
                             slot_values={"bk_phone": "+905321112233"}, sender_id="abc")
print(json.dumps({"logged": stream.getvalue()}))
'''


def test_rasas_logs_carry_the_event_but_never_what_people_wrote():
    logged = run_probe(LOGGING)["logged"]
    assert "rest.message.received.timeout" in logged and "abc" in logged
    assert "0532" not in logged and "905321112233" not in logged and "[redacted]" in logged
