from bot.actions.core import ActionEmergency, ActionGreet, ActionHumanHandoff, ActionOutOfScope, ActionStop
from bot_helpers import make_tracker, run


def test_emergency_gives_112_first_as_a_call_link_then_157_183_and_a_person():
    texts, meta, _ = run(ActionEmergency(), make_tracker("help someone is attacking me", intent="emergency", lang="en"))
    assert texts[0]["text"].startswith("112") and texts[0]["buttons"] == [{"title": "Call 112", "url": "tel:112"}]
    assert "157" in texts[1]["text"] and "183" in texts[1]["text"]
    assert {b["url"] for b in texts[1]["buttons"]} == {"tel:157", "tel:183"}
    assert texts[2]["buttons"][0]["payload"] == "/human_handoff"
    assert meta["intent"] == "emergency" and meta["emergency"] is True


def test_emergency_inside_a_form_clears_it():
    _, _, events = run(ActionEmergency(), make_tracker("help", intent="emergency", active_loop="booking_form",
                                                       slots={"bk_name": "x"}))
    assert {"event": "slot", "timestamp": None, "name": "bk_name", "value": None} in events


def test_handoff_asks_the_portal_and_says_nothing_itself():
    texts, meta, _ = run(ActionHumanHandoff(), make_tracker("a person please", intent="human_handoff", lang="en"))
    assert texts == [] and meta["handoff_request"] is True and meta["intent"] == "human_handoff"


def test_greet_and_out_of_scope_report_their_intents():
    texts, meta, _ = run(ActionGreet(), make_tracker("merhaba", intent="greeting"))
    assert meta["intent"] == "greeting" and len(texts[0]["buttons"]) == 5
    texts, meta, _ = run(ActionOutOfScope(), make_tracker("weather tomorrow", intent="out_of_scope", lang="en"))
    assert meta["intent"] == "out_of_scope" and "embassy" in texts[0]["text"]


def test_form_intents_are_reported_as_the_flow():
    _, meta, _ = run(ActionStop(), make_tracker("Ankara", intent="inform", active_loop="booking_form"))
    assert meta["intent"] == "book_appointment"


def test_unsure_emergency_gives_numbers_first_and_then_the_answer(portal):
    portal.routes[("POST", "/api/v1/search")] = (200, {"lang": "en", "abstain": False, "results": [
        {"service": "trafficking-victims", "title": "Victims", "score": 0.9, "url": "/en/services/trafficking-victims",
         "answer": "Victims of trafficking get protection."}]})
    tracker = make_tracker("what protection is there for trafficking victims", intent="emergency", lang="en")
    tracker.latest_message["intent"]["confidence"] = 0.6
    texts, meta, _ = run(ActionEmergency(), tracker)
    assert texts[0]["text"].startswith("112") and texts[3]["text"] == "Victims of trafficking get protection."
    assert meta["emergency"] is True and meta["sources"] == ["trafficking-victims"]


def test_the_nlu_emergency_gives_way_when_the_portal_detector_finds_the_message_clearly_safe(portal):
    portal.routes[("POST", "/api/v1/search")] = (200, {"lang": "uk", "abstain": False, "results": [
        {"service": "protection-id-documents", "title": "Документ", "score": 0.9,
         "url": "/uk/services/protection-id-documents", "answer": "Після реєстрації видають документ."}]})
    tracker = make_tracker("Я подав заяву на міжнародний захист. Який документ мені видадуть?", intent="emergency",
                           lang="uk")
    tracker.latest_message["intent"]["confidence"] = 0.8
    tracker.latest_message["metadata"]["danger_margin"] = -30.0
    texts, meta, _ = run(ActionEmergency(), tracker)
    assert texts[0]["text"] == "Після реєстрації видають документ." and meta.get("emergency") is not True
    assert meta["intent"] == "ask_question"
    tracker.latest_message["metadata"]["danger_margin"] = -2.0      # not clearly safe: the numbers first
    texts, meta, _ = run(ActionEmergency(), tracker)
    assert texts[0]["text"].startswith("112") and meta["emergency"] is True
