"""The session cookie is encrypted: after booking it does not reveal the reference, the access code,
the name or the phone; a tampered or foreign cookie is an empty session, never an error."""
from __future__ import annotations

import base64

from flask import request

from portal.sessions import seal, unseal
from tests.helpers.booking import future_slots, service_slug


def _decoded(cookie: str) -> str:
    raw = base64.urlsafe_b64decode(cookie + "=" * (-len(cookie) % 4))
    return raw.decode("latin-1")


def test_booking_leaves_nothing_readable_in_the_cookie(app):
    client = app.test_client()
    start = future_slots(app, n=1)[0]
    params = {"service": service_slug(), "office": 34, "start": start.strftime("%Y-%m-%dT%H:%M")}
    details = client.post("/en/book/details", query_string=params,
                          data={"name": "Amina Yusuf", "phone": "0532 765 43 21", "consent": "y"})
    assert details.status_code == 303
    during = client.get_cookie("session").value
    assert "Amina" not in _decoded(during) and "765" not in _decoded(during)
    done = client.post("/en/book/check", query_string=params)
    assert done.status_code == 303
    page = client.get("/en/book/done").get_data(as_text=True)
    after = client.get_cookie("session").value
    reference = page.split("GIB-")[1][:7]
    assert "GIB" not in _decoded(after) and reference not in _decoded(after)


def test_a_tampered_or_foreign_cookie_is_an_empty_session():
    sealed = seal({"grant_appointment": {"ref": "GIB-7K3M-Q9"}}, "secret-one")
    assert unseal(sealed, "secret-one") == {"grant_appointment": {"ref": "GIB-7K3M-Q9"}}
    assert unseal(sealed, "secret-two") is None
    flipped = sealed[:-2] + ("A" if sealed[-2] != "A" else "B") + sealed[-1]
    assert unseal(flipped, "secret-one") is None
    assert unseal("eyJ1c2VyIjoiYWRtaW4ifQ", "secret-one") is None      # a plain Flask-style cookie


def test_a_garbage_cookie_does_not_break_a_page(client):
    client.set_cookie("session", "%%%not-base64%%%")
    assert client.get("/en/").status_code == 200


def test_rotating_the_secret_key_keeps_codes_and_cookies_working_through_the_fallbacks(make_app, tmp_path):
    from tests.helpers.app import migrate
    from tests.helpers.booking import payload
    db_url = f"sqlite:///{tmp_path / 'rotation.sqlite3'}"
    old = make_app(DATABASE_URL=db_url, SECRET_KEY="the-old-secret-key")
    migrate(old)
    browser = old.test_client()
    booked = browser.post("/api/v1/appointments", json=payload(future_slots(old, n=1)[0])).get_json()
    cookie = seal({"grant_appointment": {"ref": booked["reference"]}}, "the-old-secret-key")
    lookup = {"reference": booked["reference"], "access_code": booked["access_code"]}

    rotated = make_app(DATABASE_URL=db_url, SECRET_KEY="the-new-secret-key",
                       SECRET_KEY_FALLBACKS=("the-old-secret-key",))
    assert rotated.test_client().post("/api/v1/appointments/lookup", json=lookup).status_code == 200
    with rotated.test_request_context(headers={"Cookie": f"session={cookie}"}):
        opened = rotated.session_interface.open_session(rotated, request)
    assert opened.get("grant_appointment") == {"ref": booked["reference"]}

    finished = make_app(DATABASE_URL=db_url, SECRET_KEY="the-new-secret-key")   # rotation over
    assert finished.test_client().post("/api/v1/appointments/lookup", json=lookup).status_code == 404

