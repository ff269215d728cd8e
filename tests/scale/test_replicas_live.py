"""Two portal copies (gunicorn, configured by the environment only) on one PostgreSQL database and one
Redis: the rate limits count across both, a repeated Idempotency-Key never books twice, a seat is never
given twice, the sign-in lockout holds across both, and a session made by one copy works on the other."""
from __future__ import annotations

import secrets
import threading
from datetime import datetime

import pytest
import requests
from sqlalchemy import func, select

from portal import create_app
from tests.helpers.app import dispose, migrate
from tests.helpers.booking import OFFICE, configure_office, payload, service_slug
from tests.helpers.replicas import SHARED_SECRETS, portal_env, start_portal, start_redis, stop
from tests.helpers.staff import PASSWORD, add_staff, csrf_from

pytestmark = pytest.mark.live


@pytest.fixture(scope="module")
def copies(pg_database_url, tmp_path_factory):
    """(setup app, [url of copy A, url of copy B]) sharing PostgreSQL and a private Redis."""
    folder = tmp_path_factory.mktemp("replicas")
    redis_proc, redis_url = start_redis(folder)
    setup = create_app({"ENV": "testing", "INSTANCE_PATH": str(folder), "DATABASE_URL": pg_database_url,
                        "SECRET_KEY": SHARED_SECRETS["SECRET_KEY"], "SEED_DEMO_DATA": False})
    migrate(setup)
    procs, urls = [], []
    try:
        for name in ("a", "b"):
            (folder / name).mkdir()
            env = portal_env(folder / name, DATABASE_URL=pg_database_url, REDIS_URL=redis_url, REPLICAS=2,
                             RASA_URL="http://127.0.0.1:9")
            proc, url = start_portal(env, log=folder / f"{name}.log")
            procs.append(proc)
            urls.append(url)
        yield setup, urls
    finally:
        for proc in procs + [redis_proc]:
            stop(proc)
        dispose(setup)


def test_rate_limits_count_across_copies(copies):
    """Alternating copies, each answer's remaining budget is one less than the previous answer's (same
    window): one counter in Redis, not one per copy. (A window that rolls over meanwhile is skipped.)"""
    _setup, urls = copies
    seen = []
    for i in range(10):
        resp = requests.get(f"{urls[i % 2]}/api/v1/services", params={"lang": "en"}, timeout=10)
        assert resp.status_code == 200
        seen.append((resp.headers["X-RateLimit-Reset"], int(resp.headers["X-RateLimit-Remaining"])))
    steps = [later[1] - earlier[1] for earlier, later in zip(seen, seen[1:]) if earlier[0] == later[0]]
    assert len(steps) >= 5 and set(steps) == {-1}, seen


def _bot_headers(key: str | None = None) -> dict:
    """As the action server books: its token and a conversation hash (limits per conversation)."""
    headers = {"X-Actions-Token": SHARED_SECRETS["ACTIONS_API_TOKEN"], "X-Conversation": secrets.token_hex(16)}
    return {**headers, "Idempotency-Key": key} if key else headers


def _at_once(calls) -> list:
    """Run the calls in parallel threads released together; their results in order."""
    barrier, results = threading.Barrier(len(calls)), [None] * len(calls)

    def run(i, call):
        barrier.wait()
        results[i] = call()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def replica_slots(url: str, n: int) -> list[datetime]:
    """The first `n` free slot starts (naive UTC) from the copy's tomorrow on, as the copy's own clock sees
    them (the test process's clock may be shifted: TEST_SHIFT_CLOCK_DAYS)."""
    slots = requests.get(f"{url}/api/v1/offices/{OFFICE}/slots", params={"service": service_slug()},
                         timeout=30).json()["slots"]
    today = slots[0]["local_start"][:10]
    return [datetime.fromisoformat(s["start"].replace("Z", "+00:00")).replace(tzinfo=None)
            for s in slots if s["available"] and s["local_start"][:10] > today][:n]


def test_a_repeated_idempotency_key_books_once_across_copies(copies):
    setup, urls = copies
    configure_office(setup, counters=3)
    from portal.appointments.models import Appointment
    for i, start in enumerate(replica_slots(urls[0], n=3)):
        name = f"Demo Replica {'ABC'[i]} Deneme"
        body, key = payload(start, name=name), "replica-" + secrets.token_hex(8)
        answers = _at_once([lambda url=url: requests.post(f"{url}/api/v1/appointments", json=body,
                                                          headers=_bot_headers(key), timeout=30) for url in urls])
        assert [a.status_code for a in answers] == [201, 201], [a.text for a in answers]
        assert answers[0].json()["reference"] == answers[1].json()["reference"]
        with setup.app_context():
            from portal import db
            count = db.session().scalar(select(func.count()).select_from(Appointment).where(
                Appointment.reference == answers[0].json()["reference"]))
            same_person = db.session().scalar(select(func.count()).select_from(Appointment).where(
                Appointment.full_name == name))
        assert count == 1 and same_person == 1


def test_the_last_seat_goes_to_one_person_across_copies(copies):
    setup, urls = copies
    configure_office(setup, counters=1)
    start = replica_slots(urls[0], n=8)[-1]
    bodies = [payload(start, name="Demo Ali Veli"), payload(start, name="Demo Zeynep Kaya")]
    answers = _at_once([lambda url=url, body=body: requests.post(f"{url}/api/v1/appointments", json=body,
                                                                 headers=_bot_headers(), timeout=30)
                        for url, body in zip(urls, bodies)])
    assert sorted(a.status_code for a in answers) == [201, 409], [a.text for a in answers]
    assert next(a for a in answers if a.status_code == 409).json()["error"] == "slot_full"


def test_sign_in_lockout_and_sessions_hold_across_copies(copies):
    setup, urls = copies
    add_staff(setup, "replica-agent", "agent")
    browser = requests.Session()        # one cookie jar: the copies differ only by port

    def attempt(url, password):
        csrf = csrf_from(browser.get(f"{urls[0]}/staff/login", timeout=10).text)   # the form from copy A
        return browser.post(f"{url}/staff/login", data={"username": "replica-agent", "password": password,
                                                         "csrf_token": csrf}, allow_redirects=False, timeout=30)

    assert [attempt(urls[i % 2], f"wrong-{i}").status_code for i in range(5)] == [401] * 5
    for url in urls:        # locked on both copies, even with the right password
        assert attempt(url, PASSWORD).status_code == 429

    add_staff(setup, "replica-agent-2", "agent")
    resp = browser.post(f"{urls[1]}/staff/login", allow_redirects=False, timeout=30, data={
        "username": "replica-agent-2", "password": PASSWORD,
        "csrf_token": csrf_from(browser.get(f"{urls[0]}/staff/login", timeout=10).text)})
    assert resp.status_code == 303      # copy B accepted copy A's form (the shared SECRET_KEY)
    assert browser.get(f"{urls[0]}/staff/suggest", allow_redirects=False, timeout=30).status_code == 200
