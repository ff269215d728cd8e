"""The chat end to end: the portal's /api/v1/chat with a real Rasa server and action server (the
session's shared `live_stack`). No test stops a shared process, so the tests run in any order."""
from __future__ import annotations

import re
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from tests.helpers.app import migrate
from tests.helpers.live_stack import ROOT, Chat, book_and_confirm, buttons, free_port

pytestmark = pytest.mark.live


def book(stack, lang: str, start: str, name: str, phone: str) -> str:
    text = book_and_confirm(stack, lang, start, name, phone)
    return text.split("GIB-", 1)[1][:7]


@pytest.mark.parametrize("lang,start,name,phone", [
    ("ar", "بدي احجز موعد بدائرة الهجرة", "محمد أحمد", "0532 123 45 67"),
    ("tr", "göç idaresinden randevu almak istiyorum", "Ayşe Demir", "0544 765 43 21"),
])
def test_full_booking_conversation_creates_an_appointment(live_stack, lang, start, name, phone):
    suffix = book(live_stack, lang, start, name, phone)
    from portal.appointments.models import Appointment
    from portal.db import session
    with live_stack.app.app_context():
        appt = session().scalar(select(Appointment).where(Appointment.reference == f"GIB-{suffix}"))
        assert appt is not None and appt.office_code == 34 and appt.full_name == name and appt.lang == lang


def test_a_question_inside_the_booking_form_is_answered_and_the_form_resumes(live_stack):
    chat = Chat(live_stack.url, "en")
    chat.say("I want to book an appointment")
    chat.say("residence-permit-extension")
    reply = chat.say("how much is the residence permit fee?")
    assert reply["intent"] == "ask_question" and len(reply["messages"]) >= 2, reply
    assert "province" in reply["messages"][-1]["text"], reply


def test_question_is_answered_with_its_source(live_stack):
    reply = Chat(live_stack.url, "en").say("how many days can I stay outside my province with a travel permit?")
    assert reply["intent"] == "ask_question" and reply["sources"], reply
    assert reply["messages"] and not reply["degraded"]


EMERGENCIES = {
    "tr": "biri beni öldürmekle tehdit ediyor, şu an kapının önünde",
    "en": "there is a man with a knife outside our door, please help",
    "ar": "زوجي عم يضربني هلق ساعدوني",
    "fa": "منو تو یه خونه زندانی کردن و نمیذارن برم بیرون",
    "ru": "меня заперли в квартире и забрали паспорт, помогите",
    "uk": "мене тримають силою і погрожують, допоможіть",
    "ps": "یو څوک ما د وژلو ګواښ کوي مرسته وکړئ",
    "de": "Hilfe, mein Mann schlägt mich gerade",
    "fr": "au secours, quelqu'un m'agresse dans la rue",
}


@pytest.mark.parametrize("lang", sorted(EMERGENCIES))
def test_emergency_in_every_language_gives_112_first(live_stack, lang):
    reply = Chat(live_stack.url, lang).say(EMERGENCIES[lang])
    assert reply["emergency"] is True and reply["intent"] == "emergency", reply
    assert reply["messages"][0]["text"].startswith("112"), reply
    assert reply["lang"] == lang


def test_reschedule_through_the_chat_moves_the_appointment(live_stack):
    Chat(live_stack.url, "tr").say("merhaba")  # warm-up when this test runs first (cold model)
    confirmation = book_and_confirm(live_stack, "tr", "randevu almak istiyorum", "Elif Kaya", "0535 222 33 44")
    reference = re.search(r"GIB-[A-Z0-9]{4}-[A-Z0-9]{2}", confirmation).group(0)
    code = re.search(r"\b[A-Z0-9]{4}-[A-Z0-9]{4}\b", confirmation).group(0)
    chat = Chat(live_stack.url, "tr")
    reply = chat.say("randevumu başka bir güne almak istiyorum")
    assert not reply["degraded"] and "GIB-" in reply["messages"][-1]["text"], reply  # asks for the reference
    reply = chat.say(f"{reference} {code}")
    days = [b["payload"] for b in buttons(reply)]
    assert days and all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", d) for d in days), reply
    reply = chat.say(days[-1])
    times = [b["payload"] for b in buttons(reply)]
    assert times and all(t.startswith(days[-1]) for t in times), reply
    reply = chat.say(times[0])
    assert "/affirm" in [b["payload"] for b in buttons(reply)], reply
    reply = chat.say("/affirm")
    assert reply["lang"] == "tr" and reference in reply["messages"][0]["text"], reply
    from portal.appointments.models import Appointment
    from portal.db import session
    wanted = datetime.fromisoformat(times[0]).replace(tzinfo=ZoneInfo("Europe/Istanbul")).astimezone(timezone.utc)
    with live_stack.app.app_context():
        appt = session().scalar(select(Appointment).where(Appointment.reference == reference))
        assert appt.status == "booked" and appt.start_at == wanted.replace(tzinfo=None)


def test_rasa_unreachable_gives_degraded_answers(make_app):
    """Rasa down, without stopping the shared one: a portal of its own whose RASA_URL is a closed port."""
    app = make_app(RASA_URL=f"http://127.0.0.1:{free_port()}", INDEX_DIR=str(ROOT / "instance" / "index"),
                   HANDOFF_HOURS="mon-sun 00:00-23:59")
    migrate(app)
    client = app.test_client()

    def say(message: str) -> dict:
        resp = client.post("/api/v1/chat", json={"message": message, "lang": "tr"})
        assert resp.status_code == 200, resp.text
        return resp.get_json()

    reply = say("ikamet izni uzatma başvurusu ne zaman yapılır")
    assert reply["degraded"] is True and len(reply["messages"]) >= 2, reply
    assert any(b.get("url") for m in reply["messages"] for b in m.get("buttons", []))
    reply = say("imdat kocam beni dövüyor")
    assert reply["emergency"] and reply["messages"][0]["text"].startswith("112")
