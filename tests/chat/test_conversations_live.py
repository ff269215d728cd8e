"""Typing like a person, through the real stack (portal, Rasa, action server): a booking with typed
days, times and yes in Ukrainian and Arabic, a correction at the summary, "start over" in a form, an
emergency followed by a question."""
from __future__ import annotations

from datetime import date

import pytest
from babel.dates import format_date
from sqlalchemy import select

from tests.helpers.live_stack import NOT_TODAY, Chat, buttons

pytestmark = pytest.mark.live


def payloads(reply: dict) -> list[str]:
    return [b["payload"] for b in buttons(reply)]


def to_service_question(chat: Chat, reply: dict, yes: str) -> dict:
    """From the opening reply to the province question: confirm a guessed service in words, or pick one."""
    if "/affirm" in payloads(reply):             # "An appointment for: ... Is that right?"
        return chat.say(yes)
    assert "residence-permit-extension" in payloads(reply), reply
    return chat.say("residence-permit-extension")


def booked(stack, reference: str):
    from portal.appointments.models import Appointment
    from portal.db import session
    with stack.app.app_context():
        return session().scalar(select(Appointment).where(Appointment.reference == reference))


@pytest.mark.parametrize("lang,opening,yes,time_words,name", [
    ("uk", "хочу записатися на продовження посвідки на проживання", "так, правильно", "о {hm}", "Олена Коваль"),
    ("ar", "بدي موعد لتجديد الإقامة", "نعم صح", "الساعة {hm_ar}", "فاطمة حسن"),
])
def test_a_booking_typed_in_words_from_start_to_end(live_stack, lang, opening, yes, time_words, name):
    chat = Chat(live_stack.url, lang)
    reply = chat.say(opening)
    assert reply["intent"] == "book_appointment" and reply["lang"] == lang, reply
    reply = to_service_question(chat, reply, yes)
    reply = chat.say({"uk": "Стамбул", "ar": "اسطنبول"}[lang])            # the province in the user's script
    days = [p for p in payloads(reply) if len(p) == 10]
    assert days, reply
    day = date.fromisoformat(days[NOT_TODAY])
    reply = chat.say(format_date(day, "EEEE", locale=lang))             # a weekday typed in words
    times = [p for p in payloads(reply) if p.startswith(day.isoformat())]
    assert times and reply["lang"] == lang, reply
    hm = times[0][11:16]
    hm_ar = hm.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    reply = chat.say(time_words.format(hm=hm, hm_ar=hm_ar))             # a time typed, Eastern Arabic digits too
    assert "/affirm" not in payloads(reply), reply                     # the name question, not a failure
    reply = chat.say(name)
    reply = chat.say("0532 765 43 21")
    assert "/affirm" in payloads(reply), chat.transcript                # the summary
    reply = chat.say(yes)
    text = reply["messages"][0]["text"]
    assert "GIB-" in text and reply["lang"] == lang, reply
    appt = booked(live_stack, "GIB-" + text.split("GIB-", 1)[1][:7])
    assert appt.full_name == name and appt.office_code == 34


def test_no_at_the_summary_changes_only_what_the_user_picks(live_stack):
    chat = Chat(live_stack.url, "en")
    chat.say("I want to book an appointment")
    chat.say("residence-permit-extension")
    reply = chat.say("Ankara")
    days = [p for p in payloads(reply) if len(p) == 10]
    reply = chat.say(days[NOT_TODAY])
    first_time = [p for p in payloads(reply) if p != "another day"][0]
    chat.say(first_time)
    chat.say("Can Yilmaz")
    reply = chat.say("0533 111 22 33")
    assert "/affirm" in payloads(reply), reply
    reply = chat.say("no")
    assert payloads(reply)[:5] == ["service", "office", "time", "name", "phone"], reply
    reply = chat.say("time")
    days = [p for p in payloads(reply) if len(p) == 10]
    reply = chat.say(days[-1])
    new_time = [p for p in payloads(reply) if p != "another day"][-1]
    reply = chat.say(new_time)
    assert "/affirm" in payloads(reply) and "Can Yilmaz" in reply["messages"][0]["text"], reply
    reply = chat.say("yes, book it")
    text = reply["messages"][0]["text"]
    appt = booked(live_stack, "GIB-" + text.split("GIB-", 1)[1][:7])
    assert appt.full_name == "Can Yilmaz" and appt.office_code == 6 and new_time != first_time


def test_start_over_in_the_middle_of_a_form(live_stack):
    chat = Chat(live_stack.url, "fr")
    chat.say("je voudrais prendre rendez-vous")
    reply = chat.say("recommencer")
    assert reply["lang"] == "fr" and {"/book_appointment", "/case_status"} <= set(payloads(reply)), reply  # the menu
    reply = chat.say("combien de jours dure une autorisation de voyage ?")
    assert reply["intent"] == "ask_question" and reply["sources"], reply


def test_an_emergency_then_a_question(live_stack):
    chat = Chat(live_stack.url, "fa")
    reply = chat.say("همسایه ما داره زنش رو با چاقو تهدید میکنه، صدای جیغ میاد")
    assert reply["emergency"] and reply["messages"][0]["text"].startswith("112"), reply
    assert reply["handoff"] == "waiting"
    reply = chat.say("برای تمدید اقامت چه مدارکی لازم است؟")
    assert reply["intent"] == "ask_question" and reply["sources"] and reply["lang"] == "fa", reply
