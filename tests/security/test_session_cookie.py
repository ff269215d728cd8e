"""Sessions: booking details and grants are held on the server and the cookie carries only an opaque
id for them; the cookie itself is encrypted; a tampered or foreign cookie is an empty session, never an
error; held values expire and are purged."""
from __future__ import annotations

import base64
from datetime import datetime, timedelta

from flask import request
from sqlalchemy import select

from portal import db
from portal.sessions import HOLDER_KEY, HeldSession, load_held, purge_held_sessions, seal, store_held, unseal
from tests.helpers.booking import future_slots, service_slug

NOW = datetime(2027, 3, 1, 9, 30)


def _decoded(cookie: str) -> str:
    raw = base64.urlsafe_b64decode(cookie + "=" * (-len(cookie) % 4))
    return raw.decode("latin-1")


def _held_rows(app) -> list[str]:
    with app.app_context():
        return list(db.session().scalars(select(HeldSession.data)))


def test_booking_keeps_details_and_grant_on_the_server_and_only_an_opaque_id_in_the_cookie(app):
    client = app.test_client()
    start = future_slots(app, n=1)[0]
    params = {"service": service_slug(), "office": 34, "start": start.strftime("%Y-%m-%dT%H:%M")}
    details = client.post("/en/book/details", query_string=params,
                          data={"name": "Amina Yusuf", "phone": "0532 765 43 21", "consent": "y"})
    assert details.status_code == 303
    during = client.get_cookie("session").value
    assert "Amina" not in _decoded(during) and "765" not in _decoded(during)
    opened = unseal(during, app.secret_key)
    assert set(opened) <= {HOLDER_KEY, "csrf_token"} and len(opened[HOLDER_KEY]) >= 40
    rows = _held_rows(app)
    assert len(rows) == 1 and "Amina" not in rows[0] and "765" not in rows[0]     # sealed at rest too

    done = client.post("/en/book/check", query_string=params)
    assert done.status_code == 303
    page = client.get("/en/book/done").get_data(as_text=True)
    reference = page.split("GIB-")[1][:7]
    after = client.get_cookie("session").value
    assert "GIB" not in _decoded(after) and reference not in _decoded(after)
    assert set(unseal(after, app.secret_key)) <= {HOLDER_KEY, "csrf_token"}
    assert client.get("/en/appointments/view").status_code == 200          # the grant, read from the server

    stranger = app.test_client()
    stranger.set_cookie("session", seal({HOLDER_KEY: "guessed-" + "x" * 40}, app.secret_key))
    assert stranger.get("/en/appointments/view").status_code in (302, 303)  # no grant for a guessed id


def test_held_values_expire_and_are_purged(app):
    with app.app_context():
        store_held("holder-one", {"grant_case": {"ref": "IK-2027-000123"}}, app.secret_key, now=NOW)
        store_held("holder-two", {"grant_case": {"ref": "IK-2027-000456"}}, app.secret_key,
                   now=NOW + timedelta(minutes=50))
        assert load_held("holder-one", [app.secret_key], now=NOW + timedelta(minutes=59)) == {
            "grant_case": {"ref": "IK-2027-000123"}}
        assert load_held("holder-one", [app.secret_key], now=NOW + timedelta(minutes=61)) == {}
        assert load_held("holder-one", ["another-secret"], now=NOW) == {}
        assert purge_held_sessions(now=NOW + timedelta(minutes=61)) == 1
        assert load_held("holder-two", [app.secret_key], now=NOW + timedelta(minutes=61)) != {}
        store_held("holder-two", {}, app.secret_key, now=NOW)                  # nothing left to hold
        assert _held_rows(app) == []


def test_a_tampered_or_foreign_cookie_is_an_empty_session():
    sealed = seal({"csrf_token": "abc"}, "secret-one")
    assert unseal(sealed, "secret-one") == {"csrf_token": "abc"}
    assert unseal(sealed, "secret-two") is None
    flipped = sealed[:-2] + ("A" if sealed[-2] != "A" else "B") + sealed[-1]
    assert unseal(flipped, "secret-one") is None
    assert unseal("eyJ1c2VyIjoiYWRtaW4ifQ", "secret-one") is None      # a plain Flask-style cookie


def test_a_garbage_cookie_does_not_break_a_page(client):
    client.set_cookie("session", "%%%not-base64%%%")
    assert client.get("/en/").status_code == 200


def test_rotating_the_secret_key_keeps_codes_and_sessions_working_through_the_fallbacks(make_app, tmp_path):
    from tests.helpers.app import migrate
    from tests.helpers.booking import payload
    db_url = f"sqlite:///{tmp_path / 'rotation.sqlite3'}"
    old = make_app(DATABASE_URL=db_url, SECRET_KEY="the-old-secret-key")
    migrate(old)
    booked = old.test_client().post("/api/v1/appointments", json=payload(future_slots(old, n=1)[0])).get_json()
    with old.app_context():
        store_held("a-browser", {"grant_appointment": {"ref": booked["reference"]}}, "the-old-secret-key")
    cookie = seal({HOLDER_KEY: "a-browser"}, "the-old-secret-key")
    lookup = {"reference": booked["reference"], "access_code": booked["access_code"]}

    rotated = make_app(DATABASE_URL=db_url, SECRET_KEY="the-new-secret-key",
                       SECRET_KEY_FALLBACKS=("the-old-secret-key",))
    assert rotated.test_client().post("/api/v1/appointments/lookup", json=lookup).status_code == 200
    with rotated.test_request_context(headers={"Cookie": f"session={cookie}"}):
        opened = rotated.session_interface.open_session(rotated, request)
    assert opened.get("grant_appointment") == {"ref": booked["reference"]}

    finished = make_app(DATABASE_URL=db_url, SECRET_KEY="the-new-secret-key")   # rotation over
    assert finished.test_client().post("/api/v1/appointments/lookup", json=lookup).status_code == 404
