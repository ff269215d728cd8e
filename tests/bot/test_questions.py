from bot.actions.questions import ActionAnswerQuestion

from bot_helpers import make_tracker, run

RESULT = {"service": "travel-permit", "title": "İzin belgesi", "score": 0.91, "url": "/tr/services/travel-permit",
          "answer": "En fazla 15 gün için izin belgesi alabilirsiniz."}


def test_answer_with_guide_link_and_buttons(portal):
    portal.routes[("POST", "/api/v1/search")] = (200, {"lang": "tr", "abstain": False, "results": [
        RESULT, dict(RESULT, service="address-notification", score=0.7)]})
    texts, meta, events = run(ActionAnswerQuestion(), make_tracker("how many days can I leave my province", lang="en"))
    assert texts[0]["text"] == RESULT["answer"]
    assert {"title": "Read the full guide", "url": "/tr/services/travel-permit"} in texts[0]["buttons"]
    assert meta["intent"] == "ask_question" and meta["sources"] == ["travel-permit"]
    assert {"event": "slot", "timestamp": None, "name": "last_service", "value": "travel-permit"} in events
    sent = portal.requests[0][2]
    assert sent["json"] == {"q": "how many days can I leave my province", "lang": "en", "k": 3} and sent["timeout"]


def test_close_scores_ask_which_one(portal):
    portal.routes[("POST", "/api/v1/search")] = (200, {"lang": "en", "abstain": False, "results": [
        RESULT, dict(RESULT, service="address-notification", title="Address", score=0.908)]})
    texts, meta, _ = run(ActionAnswerQuestion(), make_tracker("permit", lang="en"))
    assert [b["payload"] for b in texts[0]["buttons"]] == ["İzin belgesi", "Address", "/human_handoff"]  # or a person
    assert meta["sources"] == ["travel-permit", "address-notification"]


def test_abstain_says_so_and_offers_157_and_a_person(portal):
    portal.routes[("POST", "/api/v1/search")] = (200, {"lang": "en", "abstain": True, "results": []})
    texts, _, _ = run(ActionAnswerQuestion(), make_tracker("who won the match", lang="en"))
    assert "157" in texts[0]["text"] and texts[0]["buttons"][0]["payload"] == "/human_handoff"


def test_search_timeout_is_answered_honestly(portal, timeout):
    portal.routes[("POST", "/api/v1/search")] = timeout
    texts, meta, _ = run(ActionAnswerQuestion(), make_tracker("ikamet", lang="en"))
    assert "157" in texts[0]["text"] and meta["intent"] == "ask_question"


def test_answers_in_the_language_the_user_writes(portal):
    portal.routes[("POST", "/api/v1/search")] = (200, {"lang": "ar", "abstain": True, "results": []})
    _, meta, events = run(ActionAnswerQuestion(), make_tracker("كيف بجدد الإقامة تبعي قبل ما تخلص", lang="tr"))
    assert meta["lang"] == "ar"
    assert portal.requests[0][2]["json"]["lang"] == "ar"
    assert any(e.get("name") == "lang" and e.get("value") == "ar" for e in events)


def test_possible_emergency_gets_the_numbers_first_then_the_answer(portal):
    portal.routes[("POST", "/api/v1/search")] = (200, {"lang": "en", "abstain": False, "results": [RESULT]})
    tracker = make_tracker("my friend took a lot of pills", lang="en")
    tracker.latest_message["intent_ranking"] = [{"name": "ask_question", "confidence": 0.6},
                                                {"name": "emergency", "confidence": 0.35}]
    texts, meta, _ = run(ActionAnswerQuestion(), tracker)
    assert texts[0]["text"].startswith("112") and texts[3]["text"] == RESULT["answer"]
    assert meta["intent"] == "emergency" and meta["emergency"] is True


def test_an_out_of_scope_question_says_what_we_cover_not_157(portal):
    portal.routes[("POST", "/api/v1/search")] = (200, {"lang": "en", "abstain": True, "out_of_scope": True,
                                                       "results": []})
    texts, meta, _ = run(ActionAnswerQuestion(), make_tracker("best shawarma in Istanbul?", lang="en"))
    assert "157" not in texts[0]["text"] and "residence permits" in texts[0]["text"]
    assert meta["intent"] == "out_of_scope" and "/human_handoff" in [b["payload"] for b in texts[0]["buttons"]]
