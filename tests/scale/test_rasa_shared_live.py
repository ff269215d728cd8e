"""Two Rasa processes sharing PostgreSQL (tracker, database `<portal db>_rasa`) and Redis (locks): a
booking conversation whose turns alternate between them continues at every step and books. Real Rasa
servers (bot/serve.sh, the trained model), a real action server and the portal on PostgreSQL.
Rasa B runs without the launcher's speed-ups (RASA_SPEEDUPS=0): the conversation crosses a patched and an
unpatched process, and both understand the same messages the same way (rasa_ext/model_load.py loads the
model without Rasa's training step)."""
from __future__ import annotations

import os
import subprocess
import threading

import pytest
import redis
import requests
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url
from werkzeug.serving import make_server

from portal import create_app
from tests.helpers.app import dispose, migrate
from tests.helpers.live_stack import MODEL, NOT_TODAY, ROOT, Chat, buttons, free_port, wait_for
from tests.helpers.replicas import SHARED_SECRETS, start_redis, stop

pytestmark = pytest.mark.live

RASA_API_TOKEN = "shared-live-test-token"
# written for this test: greetings, requests, answers inside a form, other scripts, and noise
MESSAGES = ["merhaba", "randevumu iptal etmek istiyorum", "ikamet iznimi nasıl uzatırım", "evet", "hayır",
            "I want to talk to a person", "where is the office in Izmir", "мне нужна запись на приём",
            "хочу скасувати запис", "أريد موعدا لتجديد الإقامة", "کارت اقامتم گم شده", "زه مرسته غواړم",
            "Ich brauche einen Termin", "je veux annuler", "0532 111 22 33", "asdf qwer"]


@pytest.fixture(scope="module")
def shared_bot(pg_database_url, tmp_path_factory):
    """(portal app, portal url, [Rasa A url, Rasa B url], redis url, tracker database url)."""
    assert MODEL.exists(), "no trained bot model: run `make bot` first"
    folder = tmp_path_factory.mktemp("shared-rasa")
    redis_proc, redis_url = start_redis(folder)
    tracker_url = make_url(pg_database_url).set(database=make_url(pg_database_url).database + "_rasa")
    app = create_app({"ENV": "testing", "INSTANCE_PATH": str(folder), "DATABASE_URL": pg_database_url,
                      "RATELIMIT_ENABLED": False, "HANDOFF_HOURS": "mon-sun 00:00-23:59", "SEED_DEMO_DATA": False,
                      "ACTIONS_API_TOKEN": SHARED_SECRETS["ACTIONS_API_TOKEN"]})
    migrate(app)
    portal_port = free_port()
    server = make_server("127.0.0.1", portal_port, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    portal_url = f"http://127.0.0.1:{portal_port}"
    actions_port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(PORTAL_URL=portal_url, INSTANCE_PATH=str(folder), ACTIONS_PORT=str(actions_port), REPLICAS="2",
               RASA_TELEMETRY_ENABLED="false", **SHARED_SECRETS)
    procs = {"actions": subprocess.Popen(["bash", str(ROOT / "bot" / "serve.sh"), "actions"], env=env, cwd=ROOT,
                                         start_new_session=True, stdout=subprocess.DEVNULL,
                                         stderr=open(folder / "actions.log", "wb"))}
    rasa_urls = []
    try:
        for name, speedups in (("rasa-a", "1"), ("rasa-b", "0")):
            port = free_port()
            procs[name] = subprocess.Popen(
                ["bash", str(ROOT / "bot" / "serve.sh"), "rasa"], cwd=ROOT, start_new_session=True,
                env={**env, "RASA_PORT": str(port), "DATABASE_URL": pg_database_url, "REDIS_URL": redis_url,
                     "RASA_SPEEDUPS": speedups, "RASA_API_TOKEN": RASA_API_TOKEN},
                stdout=subprocess.DEVNULL, stderr=open(folder / f"{name}.log", "wb"))
            rasa_urls.append(f"http://127.0.0.1:{port}")
        wait_for(f"http://127.0.0.1:{actions_port}/health", 60, procs["actions"])
        for name, url in zip(("rasa-a", "rasa-b"), rasa_urls):
            wait_for(f"{url}/webhooks/rest/", 400, procs[name])
        yield app, portal_url, rasa_urls, redis_url, tracker_url.render_as_string(hide_password=False)
    finally:
        for proc in [*procs.values(), redis_proc]:
            stop(proc)
        server.shutdown()
        dispose(app)
        admin = create_engine(pg_database_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{tracker_url.database}" WITH (FORCE)'))
        admin.dispose()


def test_a_patched_and_an_unpatched_rasa_understand_messages_alike(shared_bot):
    _, _, rasa_urls, _, _ = shared_bot
    parses = [[requests.post(f"{url}/model/parse", params={"token": RASA_API_TOKEN}, json={"text": text},
                             timeout=120).json() for text in MESSAGES] for url in rasa_urls]
    for text, patched, unpatched in zip(MESSAGES, *parses):
        assert patched["intent"]["name"] == unpatched["intent"]["name"], text
        assert patched["intent"]["confidence"] == pytest.approx(unpatched["intent"]["confidence"], abs=1e-6), text
        # the intents that matter (the tail of near-zero scores may order its ties either way)
        ranked = [{r["name"]: r["confidence"] for r in parse["intent_ranking"] if r["confidence"] > 1e-4}
                  for parse in (patched, unpatched)]
        assert ranked[0] == pytest.approx(ranked[1], abs=1e-6), text


def test_a_booking_continues_across_two_rasa_processes(shared_bot):
    app, portal_url, rasa_urls, redis_url, tracker_url = shared_bot
    requests.get(f"{portal_url}/api/v1/services", params={"lang": "en"}, timeout=60)  # first calls load content
    for url in rasa_urls:                                                               # and models: warm up
        requests.post(f"{url}/webhooks/rest/webhook", json={"sender": "warm-up", "message": "hello"}, timeout=120)
    locks = redis.Redis.from_url(redis_url)
    sets_before = locks.info("commandstats").get("cmdstat_set", {}).get("calls", 0)
    chat, turn = Chat(portal_url, "en"), [0]

    def say(message: str) -> dict:
        app.config["RASA_URL"] = rasa_urls[turn[0] % 2]     # every turn on the other Rasa process
        turn[0] += 1
        reply = chat.say(message)
        assert not reply["degraded"], reply
        return reply

    reply = say("I want to book an appointment")
    assert reply["intent"] == "book_appointment"
    assert "residence-permit-extension" in [b["payload"] for b in buttons(reply)], reply
    reply = say("residence-permit-extension")                         # Rasa B knows the form is running
    assert reply["intent"] == "book_appointment", reply
    days = buttons(say("34"))
    assert days, "the office step did not continue"
    slots = [b for b in buttons(say(days[NOT_TODAY]["payload"])) if b["payload"] != "another day"]
    assert slots, "the day step did not continue"
    say(slots[0]["payload"])
    say("Demo Selin Aksoy")
    reply = say("0535 111 22 33")
    assert any(b["payload"] == "/affirm" for b in buttons(reply)), reply
    reply = say("/affirm")
    assert "GIB-" in reply["messages"][0]["text"], reply
    assert turn[0] == 8

    from portal.appointments.models import Appointment
    from portal.chat.models import Conversation
    from portal.db import session
    with app.app_context():
        assert session().scalar(select(Appointment).where(Appointment.full_name == "Demo Selin Aksoy")) is not None
        sender = session().scalar(select(Conversation.sender).order_by(Conversation.id.desc()))
    tracker = create_engine(tracker_url)
    with tracker.connect() as conn:
        users = conn.execute(text("SELECT count(*) FROM events WHERE sender_id = :s AND type_name = 'user'"),
                             {"s": sender}).scalar()
    tracker.dispose()
    assert users == 8                       # every turn, from both processes, in the one tracker
    assert not (app.instance_path and os.path.exists(os.path.join(app.instance_path, "rasa_tracker.sqlite3")))
    # the ticket locks went through Redis (set per message; deleted when the message is done)
    assert locks.info("commandstats").get("cmdstat_set", {}).get("calls", 0) - sets_before >= 8
    assert locks.keys("rasa:lock:*") == []
