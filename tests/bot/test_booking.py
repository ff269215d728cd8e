from bot.actions import booking
from bot.actions.booking import AskService, AskSlot, SubmitBooking, ValidateBookingForm, find_office, find_slot
from bot_helpers import make_tracker, run

OFFICES = [{"code": 34, "name": "İstanbul İl Göç İdaresi Müdürlüğü", "province": "İstanbul"},
           {"code": 6, "name": "Ankara İl Göç İdaresi Müdürlüğü", "province": "Ankara"}]
SLOTS = [{"start": "2026-11-25T07:30:00Z", "local_start": "2026-11-25T10:30:00+03:00", "available": 2},
         {"start": "2026-11-25T08:00:00Z", "local_start": "2026-11-25T11:00:00+03:00", "available": 1}]
FILLED = {"bk_service": "residence-permit-extension", "bk_office": "6", "bk_slot": "2026-11-25T07:30:00Z",
          "bk_name": "Ayşe Demir", "bk_phone": "+905321234567", "bk_consent": True}


def test_office_by_name_in_any_case_or_by_plate_code():
    assert find_office("istanbul", OFFICES) == 34
    assert find_office("İSTANBUL ofisi", OFFICES) == 34
    assert find_office("06", OFFICES) == 6
    assert find_office("Paris", OFFICES) is None


def test_slot_by_payload_number_or_time():
    assert find_slot("2026-11-25T11:00", SLOTS) == "2026-11-25T08:00:00Z"
    assert find_slot("1", SLOTS) == "2026-11-25T07:30:00Z"
    assert find_slot("saat 11.00 olsun", SLOTS) == "2026-11-25T08:00:00Z"
    assert find_slot("15:00", SLOTS) is None


def test_phone_and_name_checks():
    assert booking.clean_phone("0532 123 45 67") == "+905321234567"
    assert booking.clean_phone("12345") is None
    assert booking.clean_name("  Ayşe   Demir ") == "Ayşe Demir"
    assert booking.clean_name("محمد أحمد") == "محمد أحمد"
    assert booking.clean_name("R2D2") is None


def test_invalid_office_counts_a_failure(portal):
    portal.routes[("GET", "/api/v1/offices")] = (200, {"offices": OFFICES})
    form = ValidateBookingForm()
    tracker = make_tracker("Paris", intent="inform", slots={"requested_slot": "bk_office", "failures": 1},
                           active_loop="booking_form")
    texts, _, events = run(form, tracker, {"forms": {"booking_form": {"required_slots": booking.BOOKING_SLOTS}}})
    assert texts and "34" in texts[0]["text"]
    assert {"event": "slot", "timestamp": None, "name": "failures", "value": 2.0} in events


def test_a_question_during_the_form_is_not_taken_as_an_answer(portal):
    tracker = make_tracker("ikamet harcı ne kadar", intent="ask_question",
                           slots={"requested_slot": "bk_name"}, active_loop="booking_form")
    _, _, events = run(ValidateBookingForm(), tracker,
                       {"forms": {"booking_form": {"required_slots": booking.BOOKING_SLOTS}}})
    assert not any(e.get("name") == "bk_name" for e in events)


def test_three_failures_end_the_form(portal):
    tracker = make_tracker("xx", intent="inform", slots={"requested_slot": "bk_phone", "failures": 3},
                           active_loop="booking_form")
    _, _, events = run(ValidateBookingForm(), tracker,
                       {"forms": {"booking_form": {"required_slots": booking.BOOKING_SLOTS}}})
    assert {"event": "slot", "timestamp": None, "name": "requested_slot", "value": None} in events


def test_free_times_are_offered_as_buttons(portal):
    portal.routes[("GET", "/api/v1/offices/6/slots")] = (200, {"slots": SLOTS + [dict(SLOTS[0], available=0)]})
    texts, _, _ = run(AskSlot(), make_tracker("Ankara", intent="inform", lang="en",
                                              slots={"bk_office": "6", "bk_service": "residence-permit-extension"}))
    assert [b["payload"] for b in texts[0]["buttons"]] == ["2026-11-25T10:30", "2026-11-25T11:00"]
    assert "10:30" in texts[0]["buttons"][0]["title"]


def test_submit_books_and_shows_reference_and_code_once(portal):
    portal.routes[("POST", "/api/v1/appointments")] = (201, {
        "reference": "GIB-7K3M-Q9", "access_code": "K7P2-QX9A",
        "appointment": {"local_start": "2026-11-25T10:30:00+03:00", "office": {"name": "Ankara İl Göç İdaresi"}}})
    texts, meta, events = run(SubmitBooking(), make_tracker("evet", intent="affirm", lang="tr", slots=FILLED))
    assert "GIB-7K3M-Q9" in texts[0]["text"] and "K7P2-QX9A" in texts[0]["text"]
    sent = portal.requests[0][2]
    assert sent["json"]["office"] == 6 and sent["json"]["consent"] is True and sent["headers"]["Idempotency-Key"]
    assert meta["booked"] == "GIB-7K3M-Q9" and meta["intent"] == "book_appointment"
    assert {"event": "slot", "timestamp": None, "name": "bk_phone", "value": None} in events


def test_submit_when_the_case_api_times_out(portal, timeout):
    portal.routes[("POST", "/api/v1/appointments")] = timeout
    texts, _, events = run(SubmitBooking(), make_tracker("evet", intent="affirm", lang="en", slots=FILLED))
    assert "157" in texts[0]["text"] and texts[0]["buttons"][0]["url"] == "/en/book"
    assert {"event": "slot", "timestamp": None, "name": "bk_name", "value": None} in events


def test_taken_slot_asks_for_another_time(portal):
    portal.routes[("POST", "/api/v1/appointments")] = (409, {"error": "slot_full", "message": "That time was just taken.",
                                                             "fields": {"start": "full"}})
    texts, _, events = run(SubmitBooking(), make_tracker("evet", intent="affirm", lang="en", slots=FILLED))
    assert texts[0]["text"] == "That time was just taken."
    assert {"event": "slot", "timestamp": None, "name": "bk_slot", "value": None} in events
    assert any(e.get("event") == "followup" and e.get("name") == "booking_form" for e in events)


def test_no_consent_books_nothing(portal):
    texts, _, _ = run(SubmitBooking(), make_tracker("hayır", intent="deny", slots=dict(FILLED, bk_consent=False)))
    assert portal.requests == [] and texts


def test_a_short_name_is_taken_even_if_the_nlu_thinks_it_is_a_greeting(portal):
    tracker = make_tracker("Selam Kaya", intent="greeting", slots={"requested_slot": "bk_name"},
                           active_loop="booking_form")
    _, _, events = run(ValidateBookingForm(), tracker,
                       {"forms": {"booking_form": {"required_slots": booking.BOOKING_SLOTS}}})
    assert {"event": "slot", "timestamp": None, "name": "bk_name", "value": "Selam Kaya"} in events


def test_stop_always_interrupts(portal):
    tracker = make_tracker("stop", intent="stop", slots={"requested_slot": "bk_name"}, active_loop="booking_form")
    _, _, events = run(ValidateBookingForm(), tracker,
                       {"forms": {"booking_form": {"required_slots": booking.BOOKING_SLOTS}}})
    assert not any(e.get("name") == "bk_name" for e in events)


SERVICES = [{"slug": "residence-permit-application", "title": "First residence permit", "url": "/en/services/x"},
            {"slug": "residence-permit-extension", "title": "Residence permit extension",
             "url": "/en/services/residence-permit-extension"}]


def test_a_service_named_in_the_booking_request_comes_first_with_its_guide(portal):
    portal.routes[("GET", "/api/v1/services")] = (200, {"services": SERVICES})
    portal.routes[("POST", "/api/v1/search")] = (200, {"lang": "en", "abstain": False, "results": [
        {"service": "residence-permit-extension", "title": "Residence permit extension", "score": 0.9,
         "url": "/en/services/residence-permit-extension", "answer": "..."}]})
    texts, meta, _ = run(AskService(), make_tracker("I need an appointment to extend my residence permit",
                                                    intent="book_appointment", lang="en"))
    assert "Residence permit extension" in texts[0]["text"]
    assert texts[0]["buttons"][0]["url"] == "/en/services/residence-permit-extension"
    assert texts[1]["buttons"][0]["payload"] == "residence-permit-extension"      # the user still chooses
    assert meta["sources"] == ["residence-permit-extension"]


def test_no_service_guess_when_the_search_is_unsure_or_the_request_is_short(portal):
    portal.routes[("GET", "/api/v1/services")] = (200, {"services": SERVICES})
    portal.routes[("POST", "/api/v1/search")] = (200, {"lang": "en", "abstain": True, "results": []})
    for text in ("I want an appointment please today", "appointment"):
        texts, meta, _ = run(AskService(), make_tracker(text, intent="book_appointment", lang="en"))
        assert len(texts) == 1 and meta["sources"] == []
        assert [b["payload"] for b in texts[0]["buttons"]] == [s["slug"] for s in SERVICES]
    assert sum(1 for method, path, _ in portal.requests if path == "/api/v1/search") == 1   # short: no search
