from bot.actions.appointments import (ActionCancelAppointment, ActionCaseStatus, ActionCheckAppointment,
                                      ValidateCheckForm, find_case_number, find_code, find_reference)
from bot_helpers import make_tracker, run

APPT = {"reference": "GIB-7K3M-Q9", "status": "booked", "local_start": "2026-11-25T10:30:00+03:00",
        "office": {"name": "Ankara İl Göç İdaresi Müdürlüğü"}, "service": {"title": "İkamet izni uzatma"}}
DOMAIN = {"forms": {"check_form": {"required_slots": ["ap_reference", "ap_code"]}}}


def test_formats_are_recognised_however_typed():
    assert find_reference("my ref is gib 7k3m q9") == "GIB-7K3M-Q9"
    assert find_case_number("dosya gc-2026-7k3m9q") == "GC-2026-7K3M9Q"
    assert find_code("kod k7p2 qx9a") == "K7P2-QX9A"
    assert find_code("K7P2-QX9O") is None  # O is not in the alphabet
    assert find_code("mein Zugangscode ist k7p2qx9a, danke") == "K7P2-QX9A"


def test_the_words_of_a_question_are_not_a_code():
    # codes use letters too: 'l|ange darf' was read as ANGE-DARF and the question counted as a wrong code
    assert find_code("wie lange darf ich mit einer Reiseerlaubnis außerhalb meiner Provinz bleiben?") is None
    assert find_code("wann kann mehr Geld für die Gebühr bezahlt werden") is None
    assert find_code("xk7p2qx9a") is None                              # part of a longer word
    assert find_code("ich habe den Code vergessen, er war K7P2 QX9A glaube ich") == "K7P2-QX9A"   # capitals
    assert find_code("ich habe den Code vergessen, er war k7p2 qx9a glaube ich") == "K7P2-QX9A"   # digits


def test_a_question_at_the_code_step_leaves_the_form_to_answer_it(portal):
    tracker = make_tracker("wie lange darf ich mit einer Reiseerlaubnis außerhalb meiner Provinz bleiben?",
                           intent="ask_question", slots={"requested_slot": "ap_code", "ap_reference": "GIB-7K3M-Q9"},
                           active_loop="check_form")
    texts, _, events = run(ValidateCheckForm(), tracker, DOMAIN)
    assert not any(e.get("name") in {"ap_code", "failures"} for e in events if e.get("event") == "slot"), events
    assert texts == []            # no "that code is wrong": Rasa rejects the form and answers the question


def test_reference_and_code_in_one_message(portal):
    tracker = make_tracker("GIB-7K3M-Q9 K7P2-QX9A", intent="inform", slots={"requested_slot": "ap_reference"},
                           active_loop="check_form")
    _, _, events = run(ValidateCheckForm(), tracker, DOMAIN)
    values = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    assert values["ap_reference"] == "GIB-7K3M-Q9" and values["ap_code"] == "K7P2-QX9A"


def test_check_shows_the_appointment_and_forgets_the_code(portal):
    portal.routes[("POST", "/api/v1/appointments/lookup")] = (200, APPT)
    texts, _, events = run(ActionCheckAppointment(), make_tracker(
        "K7P2-QX9A", intent="inform", lang="en", slots={"ap_reference": "GIB-7K3M-Q9", "ap_code": "K7P2-QX9A"}))
    assert "GIB-7K3M-Q9" in texts[0]["text"] and "booked" in texts[0]["text"]
    assert portal.requests[0][2]["json"] == {"reference": "GIB-7K3M-Q9", "access_code": "K7P2-QX9A"}
    assert {"event": "slot", "timestamp": None, "name": "ap_code", "value": None} in events


def test_wrong_code_is_not_found(portal):
    portal.routes[("POST", "/api/v1/appointments/lookup")] = (404, {"error": "not_found", "message": "x", "fields": {}})
    texts, _, _ = run(ActionCheckAppointment(), make_tracker(
        "x", intent="inform", lang="en", slots={"ap_reference": "GIB-7K3M-Q9", "ap_code": "K7P2-QX9A"}))
    assert "157" in texts[0]["text"]


def test_cancel_only_after_confirmation(portal):
    portal.routes[("POST", "/api/v1/appointments/cancel")] = (200, dict(APPT, status="cancelled"))
    slots = {"ap_reference": "GIB-7K3M-Q9", "ap_code": "K7P2-QX9A", "ap_confirm": False}
    run(ActionCancelAppointment(), make_tracker("no", intent="deny", lang="en", slots=slots))
    assert portal.requests == []
    texts, _, _ = run(ActionCancelAppointment(), make_tracker("yes", intent="affirm", lang="en",
                                                              slots=dict(slots, ap_confirm=True)))
    assert "cancelled" in texts[0]["text"]


def test_case_status_when_the_case_api_times_out(portal, timeout):
    portal.routes[("POST", "/api/v1/cases/lookup")] = timeout
    texts, meta, _ = run(ActionCaseStatus(), make_tracker(
        "K7P2-QX9A", intent="inform", lang="de", slots={"cs_number": "GC-2026-7K3M9Q", "cs_code": "K7P2-QX9A"},
        active_loop=None))
    assert "157" in texts[0]["text"]


def test_case_status_shows_the_status(portal):
    portal.routes[("POST", "/api/v1/cases/lookup")] = (200, {
        "number": "GC-2026-7K3M9Q", "status": "decision_pending", "status_label": "Decision pending",
        "service": {"title": "Residence permit"}, "events": [{"status": "registered", "note": ""}]})
    texts, _, _ = run(ActionCaseStatus(), make_tracker(
        "x", intent="inform", lang="en", slots={"cs_number": "GC-2026-7K3M9Q", "cs_code": "K7P2-QX9A"}))
    assert "Decision pending" in texts[0]["text"] and "GC-2026-7K3M9Q" in texts[0]["text"]
