"""Rescheduling through the chat: the form (code checked with the case API, real free days and times
of the same office and service), the confirmation and the API call, with mocked HTTP."""
from __future__ import annotations

import hashlib
from datetime import datetime, timezone

from bot.actions import free_times
from bot.actions.appointments import ActionCheckAppointment
from bot.actions.reschedule import (RESCHEDULE_SLOTS, ActionRescheduleAppointment, AskDay, AskTime,
                                    ValidateRescheduleForm)
from bot_helpers import make_tracker, run

DOMAIN = {"forms": {"reschedule_form": {"required_slots": RESCHEDULE_SLOTS}}}
APPT = {"reference": "GIB-7K3M-Q9", "status": "booked", "start": "2026-11-25T07:30:00Z",
        "local_start": "2026-11-25T10:30:00+03:00", "office": {"code": 6, "name": "Ankara İl Göç İdaresi Müdürlüğü"},
        "service": {"slug": "residence-permit-extension", "title": "İkamet izni uzatma"}}
SLOTS = [{"start": "2026-11-25T07:30:00Z", "local_start": "2026-11-25T10:30:00+03:00", "available": 1},  # current
         {"start": "2026-11-25T08:00:00Z", "local_start": "2026-11-25T11:00:00+03:00", "available": 2},
         {"start": "2026-11-26T06:00:00Z", "local_start": "2026-11-26T09:00:00+03:00", "available": 1},
         {"start": "2026-11-26T11:00:00Z", "local_start": "2026-11-26T14:00:00+03:00", "available": 3}]
OPENED = {"ap_reference": "GIB-7K3M-Q9", "ap_code": "K7P2-QX9A", "rs_office": "6",
          "rs_service": "residence-permit-extension", "rs_current": "2026-11-25T07:30:00Z"}
FILLED = dict(OPENED, rs_day="2026-11-26", rs_slot="2026-11-26T11:00:00Z", rs_confirm=True)
LOOKUP, RESCHEDULE = ("POST", "/api/v1/appointments/lookup"), ("POST", "/api/v1/appointments/reschedule")
FREE = ("GET", "/api/v1/offices/6/slots")
NOW = datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc)  # before the appointments above


def reschedule_form() -> ValidateRescheduleForm:
    return ValidateRescheduleForm(clock=lambda: NOW)


def slot_values(events) -> dict:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def form_turn(text, slots, intent="inform", lang="en"):
    return make_tracker(text, intent=intent, lang=lang, slots=slots, active_loop="reschedule_form")


def test_reference_and_code_open_the_appointment(portal):
    portal.routes[LOOKUP] = (200, APPT)
    _, _, events = run(reschedule_form(), form_turn("GIB-7K3M-Q9 K7P2-QX9A", {"requested_slot": "ap_reference"}),
                       DOMAIN)
    values = slot_values(events)
    assert values["rs_office"] == "6" and values["rs_service"] == "residence-permit-extension"
    assert values["rs_current"] == "2026-11-25T07:30:00Z" and values["ap_code"] == "K7P2-QX9A"
    assert portal.requests[0][2]["json"] == {"reference": "GIB-7K3M-Q9", "access_code": "K7P2-QX9A"}


def test_wrong_code_asks_again_and_counts_a_failure(portal):
    portal.routes[LOOKUP] = (404, {"error": "not_found", "message": "x", "fields": {}})
    texts, _, events = run(reschedule_form(), form_turn(
        "K7P2-QX9A", {"requested_slot": "ap_code", "ap_reference": "GIB-7K3M-Q9", "failures": 0}), DOMAIN)
    values = slot_values(events)
    assert values["ap_reference"] is None and values["ap_code"] is None and values["failures"] == 1
    assert "rs_office" not in values
    assert "157" in texts[0]["text"]


def test_a_cancelled_appointment_cannot_be_moved(portal):
    portal.routes[LOOKUP] = (200, dict(APPT, status="cancelled"))
    texts, _, events = run(reschedule_form(), form_turn(
        "K7P2-QX9A", {"requested_slot": "ap_code", "ap_reference": "GIB-7K3M-Q9"}, lang="de"), DOMAIN)
    values = slot_values(events)
    assert values["rs_closed"] is True and values["requested_slot"] is None  # the form ends
    assert "GIB-7K3M-Q9" in texts[0]["text"] and texts[0]["buttons"][0]["payload"] == "/book_appointment"
    assert "cancelled" not in texts[0]["text"]  # said in German


def test_free_days_and_times_of_the_same_office_and_service(portal):
    portal.routes[FREE] = (200, {"slots": SLOTS})
    texts, _, _ = run(AskDay(), form_turn("K7P2-QX9A", OPENED))
    assert [b["payload"] for b in texts[0]["buttons"]] == ["2026-11-25", "2026-11-26"]
    assert portal.requests[0][2]["params"]["service"] == "residence-permit-extension"
    _, _, events = run(reschedule_form(), form_turn("26.11", dict(OPENED, requested_slot="rs_day")), DOMAIN)
    assert slot_values(events)["rs_day"] == "2026-11-26"
    texts, _, _ = run(AskTime(), form_turn("26.11", dict(OPENED, rs_day="2026-11-25")))
    assert [b["payload"] for b in texts[0]["buttons"]] == ["2026-11-25T11:00"]  # not the current time
    _, _, events = run(reschedule_form(), form_turn(
        "14:00", dict(OPENED, rs_day="2026-11-26", requested_slot="rs_slot")), DOMAIN)
    assert slot_values(events)["rs_slot"] == "2026-11-26T11:00:00Z"


def test_a_day_without_free_times_is_refused(portal):
    portal.routes[FREE] = (200, {"slots": SLOTS})
    texts, _, events = run(reschedule_form(), form_turn(
        "2026-11-30", dict(OPENED, requested_slot="rs_day", failures=0)), DOMAIN)
    assert slot_values(events)["rs_day"] is None and slot_values(events)["failures"] == 1
    assert texts and "day" in texts[0]["text"]


def test_a_question_at_the_day_question_is_not_taken_as_a_day(portal):
    _, _, events = run(reschedule_form(), form_turn(
        "how long is a residence permit valid", dict(OPENED, requested_slot="rs_day"), intent="ask_question"), DOMAIN)
    assert "rs_day" not in slot_values(events) and portal.requests == []


def test_happy_path_moves_the_appointment(portal):
    portal.routes[RESCHEDULE] = (200, dict(APPT, start="2026-11-26T11:00:00Z", local_start="2026-11-26T14:00:00+03:00"))
    texts, meta, events = run(ActionRescheduleAppointment(), make_tracker("yes", intent="affirm", lang="en",
                                                                          slots=FILLED))
    assert portal.requests[0][2]["json"] == {"reference": "GIB-7K3M-Q9", "access_code": "K7P2-QX9A",
                                             "start": "2026-11-26T11:00:00Z"}
    assert "changed" in texts[0]["text"] and "14:00" in texts[0]["text"]
    assert meta["intent"] == "reschedule_appointment"
    assert slot_values(events)["ap_code"] is None and slot_values(events)["rs_slot"] is None  # forgotten


def test_no_call_without_confirmation(portal):
    texts, _, _ = run(ActionRescheduleAppointment(), make_tracker("no", intent="deny", lang="en",
                                                                  slots=dict(FILLED, rs_confirm=False)))
    assert portal.requests == [] and "not changed" in texts[0]["text"]


def test_slot_taken_meanwhile_offers_other_times(portal):
    portal.routes[RESCHEDULE] = (409, {"error": "slot_full", "message": "This time is now fully booked.",
                                       "fields": {"start": "This time is now fully booked."}})
    texts, _, events = run(ActionRescheduleAppointment(), make_tracker("yes", intent="affirm", lang="en",
                                                                       slots=dict(FILLED, failures=0)))
    assert texts[0]["text"] == "This time is now fully booked."
    values = slot_values(events)
    assert values["rs_slot"] is None and values["rs_confirm"] is None and values["failures"] == 1
    assert "ap_code" not in values  # the code is kept for the retry
    assert {"event": "active_loop", "timestamp": None, "name": "reschedule_form"} in events
    assert any(e.get("event") == "followup" and e.get("name") == "reschedule_form" for e in events)
    portal.routes[FREE] = (200, {"slots": SLOTS})
    texts, _, _ = run(AskTime(), form_turn("yes", dict(FILLED, rs_slot=None, rs_confirm=None)))
    assert [b["payload"] for b in texts[0]["buttons"]] == ["2026-11-26T09:00", "2026-11-26T14:00"]


def test_timeout_says_the_outcome_is_unknown(portal, timeout):
    portal.routes[RESCHEDULE] = timeout
    texts, _, events = run(ActionRescheduleAppointment(), make_tracker("evet", intent="affirm", lang="tr", slots=FILLED))
    assert "157" in texts[0]["text"] and texts[0]["buttons"][0]["payload"] == "/check_appointment"
    assert slot_values(events)["ap_code"] is None


def test_cancelled_meanwhile_gives_the_api_message(portal):
    portal.routes[RESCHEDULE] = (409, {"error": "not_changeable", "message": "This appointment can no longer be "
                                       "changed.", "fields": {}})
    texts, _, events = run(ActionRescheduleAppointment(), make_tracker("yes", intent="affirm", lang="en", slots=FILLED))
    assert texts[0]["text"] == "This appointment can no longer be changed."
    assert not any(e.get("event") == "followup" for e in events)


def test_after_a_check_a_booked_appointment_can_be_changed(portal):
    portal.routes[LOOKUP] = (200, APPT)
    slots = {"ap_reference": "GIB-7K3M-Q9", "ap_code": "K7P2-QX9A"}
    texts, _, _ = run(ActionCheckAppointment(), make_tracker("x", intent="inform", lang="en", slots=slots))
    assert texts[0]["buttons"] == [{"title": "Change the time", "payload": "/reschedule_appointment"}]
    portal.routes[LOOKUP] = (200, dict(APPT, status="cancelled"))
    texts, _, _ = run(ActionCheckAppointment(), make_tracker("x", intent="inform", lang="en", slots=slots))
    assert not texts[0].get("buttons")


def test_requests_carry_the_token_and_a_hash_of_the_conversation(portal, monkeypatch, tmp_path):
    monkeypatch.delenv("ACTIONS_API_TOKEN", raising=False)
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    (tmp_path / "actions_token").write_text("secret-from-the-portal\n")
    portal.routes[FREE] = (200, {"slots": SLOTS})
    run(AskDay(), make_tracker("x", lang="en", slots=OPENED, active_loop="reschedule_form", sender="user-42"))
    headers = portal.requests[-1][2]["headers"]
    assert headers["X-Actions-Token"] == "secret-from-the-portal"
    assert headers["X-Conversation"] == hashlib.sha256(b"user-42").hexdigest()[:32]
    monkeypatch.setenv("ACTIONS_API_TOKEN", "from-env")
    run(AskDay(), make_tracker("x", lang="en", slots=OPENED, active_loop="reschedule_form", sender="user-43"))
    assert portal.requests[-1][2]["headers"]["X-Actions-Token"] == "from-env"


def test_without_a_token_no_identity_is_claimed(portal, monkeypatch, tmp_path):
    monkeypatch.delenv("ACTIONS_API_TOKEN", raising=False)
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))  # no actions_token file
    portal.routes[FREE] = (200, {"slots": SLOTS})
    run(AskDay(), make_tracker("x", lang="en", slots=OPENED, active_loop="reschedule_form"))
    assert "X-Actions-Token" not in portal.requests[-1][2]["headers"]
    assert "X-Conversation" not in portal.requests[-1][2]["headers"]


def test_typed_dates_match_only_free_days():
    free = ["2026-11-25", "2026-11-26"]
    assert free_times.find_day("2026-11-26", free) == "2026-11-26"
    assert free_times.find_day("26/11", free) == "2026-11-26"
    assert free_times.find_day("2", free) == "2026-11-26"
    assert free_times.find_day("30.11.2026", free) is None
    assert free_times.find_day("soon", free) is None


def test_a_past_appointment_cannot_be_moved(portal):
    portal.routes[LOOKUP] = (200, dict(APPT, start="2026-11-19T07:30:00Z"))
    texts, _, events = run(reschedule_form(), form_turn(
        "K7P2-QX9A", {"requested_slot": "ap_code", "ap_reference": "GIB-7K3M-Q9"}), DOMAIN)
    assert slot_values(events)["rs_closed"] is True
    assert texts[0]["text"] == "Appointment GIB-7K3M-Q9 can no longer be changed."


def test_the_opening_request_may_carry_reference_and_code(portal):
    portal.routes[LOOKUP] = (200, APPT)
    _, _, events = run(reschedule_form(), form_turn(
        "GIB-7K3M-Q9 K7P2-QX9A randevumun saatini değiştirmek istiyorum", {}, intent="reschedule_appointment"), DOMAIN)
    values = slot_values(events)
    assert values["ap_reference"] == "GIB-7K3M-Q9" and values["ap_code"] == "K7P2-QX9A"
    assert values["rs_office"] == "6"  # opened at once: the next question is the day


def test_only_a_typed_code_is_taken_from_the_opening_request(portal):
    _, _, events = run(reschedule_form(), form_turn(
        "randevumu GIB-7K3M-Q9 değiştirmek istiyorum", {}, intent="reschedule_appointment"), DOMAIN)
    values = slot_values(events)
    assert values["ap_reference"] == "GIB-7K3M-Q9" and "ap_code" not in values  # 'RANDEVUM' is no code
    assert portal.requests == []
    _, _, events = run(reschedule_form(), form_turn("randevumu değiştirmek istiyorum", {},
                                                           intent="reschedule_appointment"), DOMAIN)
    assert slot_values(events) == {}
