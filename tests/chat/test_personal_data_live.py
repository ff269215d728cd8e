"""After a scripted conversation (a booking by chat, a look-up with reference and code, a message
full of personal data) and a booking on the web, no phone number, access code, e-mail address,
passport number or IBAN is anywhere in clear: not in the portal's tables (except the appointment's
own contact columns, which the office needs), not in Rasa's tracker store, not in any log, not in
any cookie. Not even in Rasa's tracker once its events are decrypted: Rasa only ever got stand-ins
(portal/chat/pseudonyms.py). The real stack: portal, action server and Rasa (`live_stack`)."""
from __future__ import annotations

import base64
import hashlib
import logging
import re
import sqlite3

import pytest
import requests
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import create_engine, inspect, text

from tests.helpers.booking import future_slots
from tests.helpers.live_stack import Chat, book_and_confirm
from tests.helpers.staff import csrf_from

pytestmark = pytest.mark.live

PHONE, WEB_PHONE = "0539 871 26 45", "0538 604 19 72"
EMAIL, WEB_EMAIL = "leyla.sweep@example.org", "web.sweep@example.net"
PASSPORT = "U48213957"
IBAN = "TR33 0006 1005 1978 6457 8413 26"
# the columns that must hold the contact details: the appointment itself
CONTACT_COLUMNS = {("appointments", "phone"), ("appointments", "email"), ("appointments", "full_name"),
                   ("appointments", "name_key")}


def _variants(phone: str) -> list[str]:
    digits = re.sub(r"\D", "", phone)[1:]
    return [phone, digits, f"+90{digits}"]


def _table_findings(db_url: str, needles: dict[str, list[str]]) -> list[str]:
    engine = create_engine(db_url)
    found = []
    with engine.connect() as conn:
        for table in inspect(engine).get_table_names():
            for row in conn.execute(text(f'SELECT * FROM "{table}"')).mappings():
                for column, value in row.items():
                    if value is None or (table, column) in CONTACT_COLUMNS:
                        continue
                    found += [f"{kind} in {table}.{column}" for kind, values in needles.items()
                              if any(v in str(value) for v in values)]
    engine.dispose()
    return found


def _bytes_findings(where: str, blob: bytes, needles: dict[str, list[str]]) -> list[str]:
    return [f"{kind} in {where}" for kind, values in needles.items()
            if any(v.encode() in blob for v in values)]


def _opened_events(rows: list[tuple[str]], key: str) -> str:
    """The tracker's events decrypted as bot/rasa_ext/tracker_store.py sealed them."""
    aes, opened = AESGCM(hashlib.sha256(b"rasa-tracker-events:" + key.encode()).digest()), []
    for (data,) in rows:
        if not data.startswith("sealed1:"):
            opened.append(data)
            continue
        raw = base64.b64decode(data[len("sealed1:"):])
        opened.append(aes.decrypt(raw[:12], raw[12:], None).decode())
    return "\n".join(opened)


def test_no_personal_data_in_clear_anywhere_after_a_conversation_and_a_booking(live_stack, caplog):
    caplog.set_level(logging.DEBUG)
    confirmation = book_and_confirm(live_stack, "en", "I want to book an appointment", "Leyla Sweep", PHONE)
    reference = re.search(r"GIB-[A-Z0-9]{4}-[A-Z0-9]{2}", confirmation).group(0)
    code = re.search(r"\b[A-Z0-9]{4}-[A-Z0-9]{4}\b", confirmation).group(0)
    # its own conversation: whatever the bot makes of it ("call me on ..." may read as a hand-over request),
    # the look-up below must not depend on it
    told = Chat(live_stack.url, "en")
    told.say(f"my e-mail is {EMAIL}, passport {PASSPORT}, IBAN {IBAN}, call me on {PHONE}")
    chat = Chat(live_stack.url, "en")
    checked = chat.say("I want to check my appointment")
    checked = chat.say(f"{reference} {code}")
    assert reference in " ".join(m["text"] for m in checked["messages"]), checked    # the bot used them

    web = requests.Session()
    start = future_slots(live_stack.app, n=1)[0]
    params = {"service": "residence-permit-extension", "office": 34, "start": start.strftime("%Y-%m-%dT%H:%M")}
    form = web.get(f"{live_stack.url}/en/book/details", params=params)
    details = web.post(f"{live_stack.url}/en/book/details", params=params, allow_redirects=False,
                       data={"name": "Web Sweep", "phone": WEB_PHONE, "email": WEB_EMAIL, "consent": "y",
                             "csrf_token": csrf_from(form.text)})
    assert details.status_code == 303, details.text[:500]
    cookie_during = web.cookies.get("session")
    check = web.get(f"{live_stack.url}/en/book/check", params=params)
    done = web.post(f"{live_stack.url}/en/book/check", params=params, allow_redirects=True,
                    data={"csrf_token": csrf_from(check.text)})
    assert "GIB-" in done.text

    needles = {"phone": _variants(PHONE) + _variants(WEB_PHONE), "access code": [code, code.replace("-", "")],
               "e-mail": [EMAIL, WEB_EMAIL], "passport": [PASSPORT], "IBAN": [IBAN, IBAN.replace(" ", "")]}
    db_url = live_stack.app.config["DATABASE_URL"]
    # the search finds what is there: the appointment keeps the phone the office needs
    engine = create_engine(db_url)
    with engine.connect() as conn:
        phones = list(conn.execute(text("SELECT phone FROM appointments")).scalars())
    engine.dispose()
    assert any(_variants(PHONE)[1] in (p or "") for p in phones)

    findings = _table_findings(db_url, needles)
    tracker = live_stack.instance / "rasa_tracker.sqlite3"
    with sqlite3.connect(tracker) as conn:
        rows = conn.execute("SELECT data FROM events WHERE type_name = 'user'").fetchall()
        every_event = conn.execute("SELECT data FROM events").fetchall()
    assert rows and all(r[0].startswith("sealed1:") for r in rows[-10:])           # encrypted, not absent
    events = _opened_events(every_event, (live_stack.instance / "tracker_key").read_text().strip())
    assert "Leyla Sweep" in events and reference in events      # what Rasa needs is there, decrypted
    findings += _bytes_findings("Rasa's decrypted tracker events", events.encode(), needles)
    for path in sorted(live_stack.instance.iterdir()):
        if path.is_file() and not path.name.startswith("db.sqlite3"):
            findings += _bytes_findings(path.name, path.read_bytes(), needles)     # tracker, its WAL, logs
    findings += _bytes_findings("the portal's log", caplog.text.encode(), needles)
    for value in (cookie_during, *web.cookies.values(), *chat.http.cookies.values(), *told.http.cookies.values()):
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)) if value else b""
        findings += _bytes_findings("a cookie", value.encode() + raw, needles)
    assert not findings, findings
