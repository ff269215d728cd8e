"""Rasa gets stand-ins of the same shape for phones and codes; the API and the replies get the real
values back, for that conversation only (portal/chat/pseudonyms.py)."""
from __future__ import annotations

import re
from datetime import timedelta

import phonenumbers
import pytest
from sqlalchemy import select

from portal import db
from portal.appointments.models import Appointment
from portal.chat import pseudonyms
from portal.ratelimit import CONVERSATION_HEADER, TOKEN_HEADER
from portal.timeutil import utcnow
from tests.helpers.booking import future_slots, payload

PHONE = "0539 871 26 45"


@pytest.fixture()
def token_app(app):
    """A migrated app; its ACTIONS_API_TOKEN was generated into the instance folder."""
    assert app.config["ACTIONS_API_TOKEN"]
    return app


def covered(app, sender: str, text: str) -> str:
    with app.test_request_context():
        sess = db.begin_write()
        out = pseudonyms.cover_text(sess, sender, text)
        sess.commit()
        return out


def revealed(app, sender: str, text: str) -> str:
    with app.test_request_context():
        return pseudonyms.reveal_text(db.session(), sender, text)


def test_rasa_gets_stand_ins_of_the_same_shape(token_app):
    text = covered(token_app, "s1", f"call {PHONE}, code k7p2-qx9a, ref GIB-7K3M-Q9, passport U48213957, "
                                    "mail ali@example.com, IBAN TR33 0006 1005 1978 6457 8413 26")
    phone = re.search(r"\d{4} \d{3} \d{2} \d{2}", text).group(0)
    assert phone != PHONE and phone[:4] == "0539"
    assert phonenumbers.is_valid_number(phonenumbers.parse(phone, "TR"))    # the form's check still passes
    code = re.search(r"code (\S+),", text).group(1)
    assert code != "k7p2-qx9a" and re.fullmatch(r"[a-z\d]{4}-[a-z\d]{4}", code)
    assert [c.isdigit() for c in code] == [c.isdigit() for c in "k7p2-qx9a"]
    passport = re.search(r"passport (\S+),", text).group(1)
    assert passport != "U48213957" and re.fullmatch(r"[A-Z]\d{8}", passport)
    assert "GIB-7K3M-Q9" in text and "[email]" in text and "[iban]" in text
    assert "example.com" not in text and "0006" not in text


def test_the_same_value_in_another_spelling_keeps_its_stand_in(token_app):
    first = covered(token_app, "s2", f"my phone is {PHONE}")
    again = covered(token_app, "s2", "my phone is +90 539 871 2645")
    digits = lambda s: re.sub(r"\D", "", s)
    assert digits(first)[-7:] == digits(again)[-7:] != "8712645"
    upper, lower = covered(token_app, "s2", "ABCD2345"), covered(token_app, "s2", "abcd-2345")
    assert upper != "ABCD2345" and upper == lower.upper().replace("-", "") and lower.islower()


def test_replies_get_the_real_values_back_for_that_conversation_only(token_app):
    text = covered(token_app, "s3", f"{PHONE} K7P2-QX9A")
    phone, code = re.search(r"(\d{4} \d{3} \d{2} \d{2}) (\S+)", text).groups()
    e164 = phonenumbers.format_number(phonenumbers.parse(phone, "TR"), phonenumbers.PhoneNumberFormat.E164)
    reply = f"We will call {e164}. Your code {code} is noted."
    assert revealed(token_app, "s3", reply) == "We will call +905398712645. Your code K7P2-QX9A is noted."
    assert revealed(token_app, "another sender", reply) == reply


def test_the_real_values_are_sealed_serve_one_day_and_are_purged(token_app):
    text = covered(token_app, "s4", f"{PHONE} K7P2-QX9A")
    with token_app.app_context():
        rows = db.session().scalars(select(pseudonyms.Pseudonym)).all()
        assert len(rows) == 2
        assert all("8712645" not in r.sealed + r.stand_in and "K7P2" not in r.sealed for r in rows)
    assert revealed(token_app, "s4", text) == f"{PHONE} K7P2-QX9A"
    later = utcnow() + timedelta(hours=pseudonyms.KEEP_HOURS, seconds=1)
    with token_app.test_request_context():
        assert pseudonyms.reveal_text(db.session(), "s4", text) == f"{PHONE} K7P2-QX9A"
        sess = db.begin_write()
        assert pseudonyms.cover_text(sess, "s4", PHONE, now=later) not in (PHONE, text.split(" K")[0])
        sess.commit()
        assert pseudonyms.purge_pseudonyms(utcnow()) == 0
        assert pseudonyms.purge_pseudonyms(later) == 2


def test_a_long_list_of_numbers_gets_placeholders_beyond_the_cap(token_app):
    many = ", ".join(f"0532 111 {n // 100:02d} {n % 100:02d}" for n in range(pseudonyms.MAX_PER_CONVERSATION + 3))
    text = covered(token_app, "s5", many)
    assert text.count("[phone]") == 3 and "0532 111 00 00" not in text


def test_the_api_books_with_the_real_phone_and_gives_the_bot_a_stand_in_code(token_app):
    sender = "s6"
    covered_phone = re.search(r"\S.*", covered(token_app, sender, PHONE)).group(0)
    token = token_app.config["ACTIONS_API_TOKEN"]
    headers = {TOKEN_HEADER: token, CONVERSATION_HEADER: pseudonyms.conversation_key(sender)}
    client = token_app.test_client()
    start = future_slots(token_app, n=1)[0]
    booked = client.post("/api/v1/appointments", json=payload(start, phone=covered_phone, email=None),
                         headers=headers)
    assert booked.status_code == 201, booked.get_json()
    body = booked.get_json()
    with token_app.app_context():
        appt = db.session().scalar(select(Appointment).where(Appointment.reference == body["reference"]))
        assert appt.phone == "+905398712645"              # the office calls the real number
    access = {"reference": body["reference"], "access_code": body["access_code"]}
    # the stand-in opens the appointment for this conversation, and for nobody else
    assert client.post("/api/v1/appointments/lookup", json=access, headers=headers).status_code == 200
    assert client.post("/api/v1/appointments/lookup", json=access).status_code == 404
    other = {TOKEN_HEADER: token, CONVERSATION_HEADER: pseudonyms.conversation_key("s7")}
    assert client.post("/api/v1/appointments/lookup", json=access, headers=other).status_code == 404
    forged = {TOKEN_HEADER: "wrong", CONVERSATION_HEADER: headers[CONVERSATION_HEADER]}
    assert client.post("/api/v1/appointments/lookup", json=access, headers=forged).status_code == 404
    # and the reply that shows it to the user shows the real code, which works anywhere
    real = revealed(token_app, sender, f"Access code: {body['access_code']}.").split(": ")[1].rstrip(".")
    assert real != body["access_code"]
    assert client.post("/api/v1/appointments/lookup", json={**access, "access_code": real}).status_code == 200
