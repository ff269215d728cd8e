from bot.actions import booking
from bot.actions.booking import SubmitBooking, ValidateBookingForm, find_office
from bot.actions.free_times import find_slot
from bot.actions.booking_questions import AskChange, AskDay, AskService, AskServiceOk, AskSlot
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


def test_free_times_of_the_chosen_day_are_offered_as_buttons_with_another_day(portal):
    portal.routes[("GET", "/api/v1/offices/6/slots")] = (200, {"slots": SLOTS + [dict(SLOTS[0], available=0)]})
    texts, _, _ = run(AskSlot(), make_tracker("2026-11-25", intent="inform", lang="en",
                                              slots={"bk_office": "6", "bk_service": "residence-permit-extension",
                                                     "bk_day": "2026-11-25"}))
    assert [b["payload"] for b in texts[0]["buttons"]] == ["2026-11-25T10:30", "2026-11-25T11:00", "another day"]
    assert "10:30" in texts[0]["buttons"][0]["title"] and "25 November" in texts[0]["text"]


def test_the_free_days_are_offered_first(portal):
    later = {"start": "2026-11-27T11:00:00Z", "local_start": "2026-11-27T14:00:00+03:00", "available": 1}
    portal.routes[("GET", "/api/v1/offices/6/slots")] = (200, {"slots": SLOTS + [later]})
    texts, _, _ = run(AskDay(), make_tracker("Ankara", intent="inform", lang="uk",
                                             slots={"bk_office": "6", "bk_service": "residence-permit-extension"}))
    assert [b["payload"] for b in texts[0]["buttons"]] == ["2026-11-25", "2026-11-27"]


DOMAIN = {"forms": {"booking_form": {"required_slots": booking.FORM_SLOTS}}}


def slot_values(events) -> dict:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def test_typed_days_and_times_in_several_languages(portal):
    portal.routes[("GET", "/api/v1/offices/6/slots")] = (200, {"slots": SLOTS + [
        {"start": "2026-11-26T11:00:00Z", "local_start": "2026-11-26T14:00:00+03:00", "available": 1}]})
    base = {"bk_office": "6", "bk_service": "residence-permit-extension", "bk_service_ok": True}
    for text, lang in (("у четвер", "uk"), ("26 листопада", "uk"), ("الخميس", "ar"), ("٢٦/١١", "ar"),
                       ("jeudi", "fr"), ("perşembe günü", "tr")):
        events = run(ValidateBookingForm(), make_tracker(text, intent="inform", lang=lang, slots=dict(
            base, requested_slot="bk_day"), active_loop="booking_form"), DOMAIN)[2]
        assert slot_values(events)["bk_day"] == "2026-11-26", text
    for text in ("о 14:00", "١٤:٠٠", "saat 14"):
        events = run(ValidateBookingForm(), make_tracker(text, intent="inform", lang="uk", slots=dict(
            base, bk_day="2026-11-26", requested_slot="bk_slot"), active_loop="booking_form"), DOMAIN)[2]
        assert slot_values(events)["bk_slot"] == "2026-11-26T11:00:00Z", text


def test_another_day_at_the_time_question_goes_back_to_the_days(portal):
    portal.routes[("GET", "/api/v1/offices/6/slots")] = (200, {"slots": SLOTS})
    texts, _, events = run(ValidateBookingForm(), make_tracker("інший день", intent="inform", lang="uk", slots={
        "bk_office": "6", "bk_service": "residence-permit-extension", "bk_day": "2026-11-25",
        "requested_slot": "bk_slot"}, active_loop="booking_form"), DOMAIN)
    values = slot_values(events)
    assert values["bk_day"] is None and values["bk_slot"] is None and "failures" not in values
    assert not texts     # no "this time is taken"


def test_a_province_in_any_script_and_in_the_request_itself(portal):
    portal.routes[("GET", "/api/v1/offices")] = (200, {"offices": OFFICES + [
        {"code": 27, "name": "Gaziantep İl Göç İdaresi Müdürlüğü", "province": "Gaziantep"}]})
    assert find_office("Стамбул", OFFICES) == 34 and find_office("٣٤", OFFICES) == 34
    events = run(ValidateBookingForm(), make_tracker("بدي موعد في غازي عنتاب الأسبوع الجاي", intent="book_appointment",
                                                     lang="ar", active_loop="booking_form"), DOMAIN)[2]
    assert slot_values(events)["bk_office"] == "27"


def test_no_at_the_summary_asks_what_to_change_and_changes_only_that(portal):
    filled = dict(FILLED, bk_service_ok=True, bk_day="2026-11-25", bk_consent=None, requested_slot="bk_consent")
    events = run(ValidateBookingForm(), make_tracker("ні", intent="deny", lang="uk", slots=filled,
                                                     active_loop="booking_form"), DOMAIN)[2]
    assert slot_values(events)["bk_fixing"] is True and slot_values(events)["bk_consent"] is None
    texts, _, _ = run(AskChange(), make_tracker("ні", intent="deny", lang="en", slots=filled))
    assert [b["payload"] for b in texts[0]["buttons"]] == ["service", "office", "time", "name", "phone", "/stop"]
    fixing = dict(filled, bk_fixing=True, requested_slot="bk_change")
    events = run(ValidateBookingForm(), make_tracker("time", intent="inform", lang="en", slots=fixing,
                                                     active_loop="booking_form"), DOMAIN)[2]
    values = slot_values(events)
    assert values["bk_day"] is None and values["bk_slot"] is None and values["bk_fixing"] is False
    assert "bk_name" not in values and "bk_phone" not in values and "bk_office" not in values


def test_typed_yes_at_the_summary_in_any_language(portal):
    for text in ("Так, записуйте", "evet", "نعم", "oui bien sûr", "👍"):
        events = run(ValidateBookingForm(), make_tracker(text, intent="inform", lang="uk", slots=dict(
            FILLED, bk_service_ok=True, bk_consent=None, requested_slot="bk_consent"),
            active_loop="booking_form"), DOMAIN)[2]
        assert slot_values(events)["bk_consent"] is True, text


def test_an_unclear_answer_to_a_yes_no_question_asks_again_with_buttons(portal):
    texts, _, events = run(ValidateBookingForm(), make_tracker("hmm maybe", intent="inform", lang="en", slots=dict(
        FILLED, bk_consent=None, requested_slot="bk_consent", failures=0), active_loop="booking_form"), DOMAIN)
    assert slot_values(events)["bk_consent"] is None and slot_values(events)["failures"] == 1
    assert texts[0]["text"] == "Please answer yes or no."
    assert [b["payload"] for b in texts[0]["buttons"]] == ["/affirm", "/deny"]


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


def test_a_name_the_nlu_reads_as_stop_is_taken_as_the_name(portal):
    tracker = make_tracker("Demo Selin Aksoy", intent="stop", slots={"requested_slot": "bk_name"},
                           active_loop="booking_form")
    tracker.latest_message["intent"]["confidence"] = 0.69      # what the trained NLU said in CI
    _, _, events = run(ValidateBookingForm(), tracker,
                       {"forms": {"booking_form": {"required_slots": booking.BOOKING_SLOTS}}})
    assert {"event": "slot", "timestamp": None, "name": "bk_name", "value": "Demo Selin Aksoy"} in events


def test_a_typed_request_to_stop_at_the_name_question_still_stops(portal):
    for text in ("stop", "vazgeçtim", "отмена"):
        tracker = make_tracker(text, intent="stop", slots={"requested_slot": "bk_name"}, active_loop="booking_form")
        tracker.latest_message["intent"]["confidence"] = 0.95
        _, _, events = run(ValidateBookingForm(), tracker,
                           {"forms": {"booking_form": {"required_slots": booking.BOOKING_SLOTS}}})
        assert not any(e.get("name") == "bk_name" for e in events), text


SERVICES = [{"slug": "residence-permit-application", "title": "First residence permit", "url": "/en/services/x"},
            {"slug": "residence-permit-extension", "title": "Residence permit extension",
             "url": "/en/services/residence-permit-extension"}]


def test_a_service_named_in_the_booking_request_is_prefilled_and_confirmed_in_words(portal):
    portal.routes[("GET", "/api/v1/services")] = (200, {"services": SERVICES})
    portal.routes[("POST", "/api/v1/search")] = (200, {"lang": "en", "abstain": False, "results": [
        {"service": "residence-permit-extension", "title": "Residence permit extension", "score": 0.9,
         "url": "/en/services/residence-permit-extension", "answer": "..."}]})
    events = run(ValidateBookingForm(), make_tracker("I need an appointment to extend my residence permit",
                                                     intent="book_appointment", lang="en",
                                                     active_loop="booking_form"), DOMAIN)[2]
    assert slot_values(events)["bk_service"] == "residence-permit-extension"
    assert "bk_service_ok" not in slot_values(events)            # not confirmed yet: asked next
    texts, meta, _ = run(AskServiceOk(), make_tracker("x", intent="inform", lang="en",
                                                      slots={"bk_service": "residence-permit-extension"}))
    assert "Residence permit extension" in texts[0]["text"] and texts[0]["text"].endswith("right?")
    assert [b.get("payload") for b in texts[0]["buttons"]][:2] == ["/affirm", "/deny"]
    assert meta["sources"] == ["residence-permit-extension"]


def test_no_at_the_service_confirmation_shows_the_services(portal):
    events = run(ValidateBookingForm(), make_tracker("no", intent="deny", lang="en", slots={
        "bk_service": "residence-permit-extension", "requested_slot": "bk_service_ok"},
        active_loop="booking_form"), DOMAIN)[2]
    assert slot_values(events)["bk_service"] is None and slot_values(events)["bk_service_ok"] is None


def test_a_generic_booking_request_names_no_service(portal):
    portal.routes[("GET", "/api/v1/services")] = (200, {"services": SERVICES})
    for text, lang in (("I want an appointment please", "en"), ("appointment", "en"),
                       ("хочу записатися на прийом", "uk"), ("أريد حجز موعد", "ar"), ("randevu almak istiyorum", "tr"),
                       ("I want an appointment at the migration office", "en"),
                       ("хочу записаться в миграционную службу", "ru")):
        events = run(ValidateBookingForm(), make_tracker(text, intent="book_appointment", lang=lang,
                                                         active_loop="booking_form"), DOMAIN)[2]
        assert "bk_service" not in slot_values(events), text
    assert not any(path == "/api/v1/search" for _m, path, _kw in portal.requests)    # nothing to search
    texts, _, _ = run(AskService(), make_tracker("appointment", intent="book_appointment", lang="en"))
    assert [b["payload"] for b in texts[0]["buttons"]] == [s["slug"] for s in SERVICES]


def test_a_name_the_nlu_reads_as_yes_does_not_confirm_anything(portal):
    events = run(ValidateBookingForm(), make_tracker("Olena Koval", intent="affirm", lang="uk", slots=dict(
        FILLED, bk_service_ok=True, bk_consent=None, requested_slot="bk_consent", failures=0),
        active_loop="booking_form"), DOMAIN)[2]
    assert slot_values(events)["bk_consent"] is None
    events = run(ValidateBookingForm(), make_tracker("/affirm", intent="affirm", lang="uk", slots=dict(
        FILLED, bk_service_ok=True, bk_consent=None, requested_slot="bk_consent"),
        active_loop="booking_form"), DOMAIN)[2]
    assert slot_values(events)["bk_consent"] is True          # the Yes button


def test_after_a_booking_the_next_steps_and_change_the_time_without_typing_the_code_again(portal):
    portal.routes[("POST", "/api/v1/appointments")] = (201, {
        "reference": "GIB-7K3M-Q9", "access_code": "K7P2-QX9A",
        "appointment": {"local_start": "2026-11-25T10:30:00+03:00", "office": {"name": "Ankara İl Göç İdaresi"}}})
    texts, _, events = run(SubmitBooking(), make_tracker("evet", intent="affirm", lang="en", slots=FILLED))
    urls = [b.get("url") for b in texts[1]["buttons"]]
    assert "/en/appointments/view" in urls and "/en/appointments/calendar.ics" in urls
    assert {"payload": "/reschedule_appointment"}.items() <= texts[1]["buttons"][-1].items()
    assert slot_values(events)["held_reference"] == "GIB-7K3M-Q9" and slot_values(events)["held_code"] == "K7P2-QX9A"
    from bot.actions.reschedule import ValidateRescheduleForm
    opened = ValidateRescheduleForm()._from_request(make_tracker(
        "/reschedule_appointment", intent="reschedule_appointment", lang="en",
        slots={"held_reference": "GIB-7K3M-Q9", "held_code": "K7P2-QX9A"}))
    assert opened == {"ap_reference": "GIB-7K3M-Q9", "ap_code": "K7P2-QX9A"}
