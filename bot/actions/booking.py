"""Booking an appointment: the form and the submission to the case API (the questions are in
booking_questions.py). Steps: service (confirmed in words unless chosen by button), province, day, time,
name, phone, then a summary; "No" there asks what to change and changes only that. A booking request that
names a service or a province fills them at once. Data checks that matter are the API's; the form only
keeps obviously wrong answers out and counts failures (after three it offers the web form and 157)."""
from __future__ import annotations

import hashlib
import re
from typing import Any

import phonenumbers
from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from . import free_times, lexicon, messages, portal_client
from .base import Turn, send_meta, turn
from .core import clear_form_slots
from .lexicon import normalise
from .forms_common import (candidate, confirmation, failed,
                           fold, local_time, too_many_failures, validate_confirmation)

BOOKING_SLOTS = ["bk_service", "bk_office", "bk_slot", "bk_name", "bk_phone", "bk_consent"]   # what is sent
FORM_SLOTS = ["bk_service", "bk_service_ok", "bk_office", "bk_day", "bk_slot", "bk_name", "bk_phone", "bk_change",
              "bk_consent"]
POPULAR_OFFICES = (34, 6, 35, 27, 1, 16, 7, 33)
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)+")
# "What do you want to change?" -> the slots asked again (a new service or office needs a new time)
CHANGES = {"service": ["bk_service", "bk_service_ok", "bk_day", "bk_slot"], "office": ["bk_office", "bk_day", "bk_slot"],
           "time": ["bk_day", "bk_slot"], "name": ["bk_name"], "phone": ["bk_phone"]}
# words of a generic booking request: what is left after removing them must name a service
GENERIC_WORDS = {normalise(word) for word in """
i want to book an a appointment please make need get new the for me can how do would like schedule my at in on
randevu randevusu almak istiyorum al alabilir miyim bir lutfen icin nasil yeni ihtiyacim var ben de goc idaresi
idaresinden idaresine
اريد احجز حجز موعد بدي ممكن من فضلك لو سمحت موعدا عندي
میخوام میخواهم نوبت بگیرم گرفتن رزرو لطفا یک وقت برای من
хочу записаться запись на прием прием мне нужно нужна пожалуйста как записать меня
хочу записатися запис на прийом мені потрібно будь ласка як записати мене
زه غواړم وخت ونیسم نوبت مهرباني وکړئ اخیستل واخلم
ich mochte einen termin buchen vereinbaren bitte brauche wie kann
je veux voudrais prendre un rendez vous rdv reserver s il plait besoin d comment
migration immigration office directorate with goc göç idaresi idaresinden idaresine müdürlüğü müdürlüğünden il
ofis şube دائرة بدائرة الهجرة الهجره مديرية بمديرية ادارة إدارة الأجانب في عند اداره مهاجرت در از به
миграционной миграционную миграционная миграционный миграционка службе службу управление управлении в
міграційної міграційну міграційна службі службу управління у до د مهاجرت په کې ته bei der beim
migrationsbehörde ausländerbehörde migrationsamt amt behörde à la au service de des migrations bureau
préfecture direction
""".split()}


def find_office(text: str, offices: list[dict]) -> int | None:
    """Plate code ('34', '٣٤') or province/office name in any case, accents and script ('Стамбул',
    'غازي عنتاب', 'Antep': bot/lexicon)."""
    digits = lexicon.to_ascii_digits(text).strip()
    if digits.isdigit():
        code = int(digits)
        return code if any(o["code"] == code for o in offices) else None
    wanted = fold(text)
    if len(wanted) < 3:
        return None
    for office in offices:
        province = fold(office.get("province", ""))
        if province and (province == wanted or re.search(rf"\b{re.escape(province)}\b", wanted)):
            return office["code"]
    code = lexicon.province(text)
    return code if code is not None and any(o["code"] == code for o in offices) else None


def clean_phone(text: str) -> str | None:
    try:
        number = phonenumbers.parse(text, "TR")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def clean_name(text: str) -> str | None:
    name = " ".join(text.split())
    letters = sum(ch.isalpha() for ch in name)
    if letters < 2 or len(name) > 200 or any(ch.isdigit() for ch in name):
        return None
    if not all(ch.isalpha() or ch in " '’.-‐" for ch in name):
        return None
    return name


class ValidateBookingForm(FormValidationAction):
    def name(self) -> str:
        return "validate_booking_form"

    async def required_slots(self, domain_slots, dispatcher, tracker, domain) -> list[str]:
        if too_many_failures(tracker):
            return []
        # "what to change" only after a "No" at the summary
        return [s for s in domain_slots if s != "bk_change" or tracker.get_slot("bk_fixing")]

    # --- extraction (custom slot mappings) ---------------------------------------------------
    async def extract_bk_service(self, dispatcher, tracker: Tracker, domain) -> dict:
        if tracker.get_slot("bk_service") is None and tracker.get_slot("requested_slot") is None:
            named = opening_service(turn(tracker))      # the request names a service
            last = tracker.get_slot("last_service")     # or the user just read about one
            return {"bk_service": named or last} if named or last else {}
        # a tapped service button (its payload is the slug) whatever the NLU made of it
        return candidate(tracker, "bk_service", lambda text: text if SLUG.fullmatch(text) else None, payload=True)

    async def extract_bk_service_ok(self, dispatcher, tracker: Tracker, domain) -> dict:
        return confirmation(tracker, "bk_service_ok")

    async def extract_bk_office(self, dispatcher, tracker: Tracker, domain) -> dict:
        if tracker.get_slot("bk_office") is None and tracker.get_slot("requested_slot") is None:
            code = opening_office(tracker)              # "... in Gaziantep next week"
            return {"bk_office": str(code)} if code else {}
        return candidate(tracker, "bk_office", lambda text: text.strip() if lexicon.to_ascii_digits(text).strip().isdigit()
                         or lexicon.province(text) else None)

    async def extract_bk_day(self, dispatcher, tracker: Tracker, domain) -> dict:
        return candidate(tracker, "bk_day", free_times.looks_like_day)

    async def extract_bk_slot(self, dispatcher, tracker: Tracker, domain) -> dict:
        return candidate(tracker, "bk_slot", free_times.looks_like_time)

    async def extract_bk_change(self, dispatcher, tracker: Tracker, domain) -> dict:
        return candidate(tracker, "bk_change", lambda text: text if text in CHANGES else None)

    async def extract_bk_name(self, dispatcher, tracker: Tracker, domain) -> dict:
        return candidate(tracker, "bk_name", lambda text: clean_name(text) if len(text.split()) <= 3 else None)

    async def extract_bk_phone(self, dispatcher, tracker: Tracker, domain) -> dict:
        return candidate(tracker, "bk_phone", clean_phone)

    async def extract_bk_consent(self, dispatcher, tracker: Tracker, domain) -> dict:
        return confirmation(tracker, "bk_consent")

    # --- validation ------------------------------------------------------------------------------
    def validate_bk_service(self, value: Any, dispatcher, tracker: Tracker, domain) -> dict:
        t = turn(tracker)
        try:
            services = portal_client.bookable_services(t.lang)
        except (portal_client.PortalUnavailable, portal_client.PortalError):
            messages.service_unreachable(dispatcher, t)
            return failed(tracker, "bk_service")
        slugs = {s["slug"] for s in services}
        typed = tracker.get_slot("requested_slot") == "bk_service"
        if value in slugs:      # a button, or prefilled: a button needs no confirmation
            chosen = typed and (tracker.latest_message or {}).get("text") == value
            return {"bk_service": value, **({"bk_service_ok": True} if chosen else {})}
        wanted = fold(str(value))
        for service in services:
            if fold(service["title"]) == wanted:
                return {"bk_service": service["slug"], "bk_service_ok": True}
        top = searched_service(str(value), t) if names_service(str(value)) else None
        if top in slugs:
            return {"bk_service": top, "bk_service_ok": None}   # confirmed in words next
        if tracker.get_slot("requested_slot") is None:  # prefilled from the question: not bookable
            return {"bk_service": None}
        dispatcher.utter_message(text=t._("I could not find that service among the ones you can book. "
                                          "Please choose one of the buttons."))
        return failed(tracker, "bk_service")

    def validate_bk_office(self, value: Any, dispatcher, tracker: Tracker, domain) -> dict:
        t = turn(tracker)
        try:
            code = find_office(str(value), portal_client.offices(t.lang))
        except (portal_client.PortalUnavailable, portal_client.PortalError):
            messages.service_unreachable(dispatcher, t)
            return failed(tracker, "bk_office")
        if code is None:
            dispatcher.utter_message(text=t._("I could not find that province. Please write the province "
                                              "name in Turkish letters or its plate number, for example 34."))
            return failed(tracker, "bk_office")
        return {"bk_office": str(code)}

    def validate_bk_service_ok(self, value: Any, dispatcher, tracker: Tracker, domain) -> dict:
        checked = validate_confirmation(dispatcher, tracker, "bk_service_ok", value, turn(tracker))
        if checked.get("bk_service_ok") is False:       # not that service: the list of services
            return {"bk_service": None, "bk_service_ok": None}
        return checked

    def _free(self, dispatcher, t: Turn, tracker: Tracker) -> list[dict] | None:
        return free_times.load(dispatcher, t, tracker.get_slot("bk_office"), tracker.get_slot("bk_service"))

    def validate_bk_day(self, value: Any, dispatcher, tracker: Tracker, domain) -> dict:
        t = turn(tracker)
        slots = self._free(dispatcher, t, tracker)
        if slots is None:
            return failed(tracker, "bk_day")
        return free_times.chosen_day(value, slots, dispatcher, t, tracker, "bk_day")

    def validate_bk_slot(self, value: Any, dispatcher, tracker: Tracker, domain) -> dict:
        t = turn(tracker)
        slots = self._free(dispatcher, t, tracker)
        if slots is None:
            return failed(tracker, "bk_slot")
        return free_times.chosen_time(value, slots, dispatcher, t, tracker, "bk_day", "bk_slot")

    def validate_bk_name(self, value: Any, dispatcher, tracker: Tracker, domain) -> dict:
        name = clean_name(str(value))
        if name is None:
            t = turn(tracker)
            dispatcher.utter_message(text=t._("Please write your full name with letters only, as in your document."))
            return failed(tracker, "bk_name")
        return {"bk_name": name}

    def validate_bk_phone(self, value: Any, dispatcher, tracker: Tracker, domain) -> dict:
        phone = clean_phone(str(value))
        if phone is None:
            t = turn(tracker)
            dispatcher.utter_message(text=t._("That does not look like a phone number. Write it like "
                                              "0532 123 45 67 or +90 532 123 45 67."))
            return failed(tracker, "bk_phone")
        return {"bk_phone": phone}

    def validate_bk_consent(self, value: Any, dispatcher, tracker: Tracker, domain) -> dict:
        checked = validate_confirmation(dispatcher, tracker, "bk_consent", value, turn(tracker))
        if checked.get("bk_consent") is False:          # "No" at the summary: ask what to change
            return {"bk_consent": None, "bk_change": None, "bk_fixing": True}
        return checked

    def validate_bk_change(self, value: Any, dispatcher, tracker: Tracker, domain) -> dict:
        t = turn(tracker)
        choice = value if value in CHANGES else change_named(str(value), t)
        if choice is None:
            dispatcher.utter_message(text=t._("Please choose what to change with one of the buttons."))
            return failed(tracker, "bk_change")
        return {"bk_change": choice, "bk_fixing": False, **{slot: None for slot in CHANGES[choice]}}


def change_titles(t: Turn) -> dict[str, str]:
    _ = t._
    return {"service": _("The service"), "office": _("The province"), "time": _("The day and time"),
            "name": _("The name"), "phone": _("The phone number")}


def change_named(text: str, t: Turn) -> str | None:
    """A typed answer to "what do you want to change": the number or the title of a choice."""
    plain = lexicon.to_ascii_digits(text).strip()
    if plain.isdigit() and 1 <= int(plain) <= len(CHANGES):
        return list(CHANGES)[int(plain) - 1]
    wanted = normalise(text)
    for key, title in change_titles(t).items():
        if wanted and (wanted == normalise(title) or normalise(title).endswith(wanted)):
            return key
    if lexicon.weekday(text) or lexicon.relative_day(text) is not None or free_times.looks_like_time(text):
        return "time"
    return None


def names_service(text: str) -> bool:
    """Does the message name something beyond a generic booking request? ("appointment" names none)"""
    words = [w for w in normalise(text).split() if w not in GENERIC_WORDS and not w.isdigit()]
    return len(words) >= 2 or (len(words) == 1 and len(words[0]) >= 6)


def searched_service(text: str, t: Turn) -> str | None:
    try:
        found = portal_client.search(text, t.lang, k=1)
    except (portal_client.PortalUnavailable, portal_client.PortalError):
        return None
    return None if found.get("abstain") else (found.get("results") or [{}])[0].get("service")


def opening_service(t: Turn) -> str | None:
    """The bookable service the booking request itself names, if the search is sure of it."""
    if t.intent != "book_appointment" or not names_service(t.text):
        return None
    try:
        bookable = {s["slug"] for s in portal_client.bookable_services(t.lang)}
    except (portal_client.PortalUnavailable, portal_client.PortalError):
        return None
    top = searched_service(t.text, t)
    return top if top in bookable else None


def opening_office(tracker: Tracker) -> int | None:
    """A province named in the booking request (in any script)."""
    message = tracker.latest_message or {}
    if ((message.get("intent") or {}).get("name")) != "book_appointment":
        return None
    return lexicon.province(message.get("text") or "")


def give_up(dispatcher: CollectingDispatcher, t: Turn) -> None:
    """After repeated failures, or without consent: the web form, 157 and a person."""
    dispatcher.utter_message(
        text=t._("We could not complete the booking here. You can use the booking form on this site, "
                 "call YİMER 157, or talk to a person."),
        buttons=[{"title": t._("Booking form"), "url": f"/{t.lang}/book"},
                 {"title": t._("Talk to a person"), "payload": "/human_handoff"}])


class SubmitBooking(Action):
    def name(self) -> str:
        return "action_submit_booking"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        t = turn(tracker)
        values = {slot: tracker.get_slot(slot) for slot in BOOKING_SLOTS}
        if any(values[s] is None for s in BOOKING_SLOTS) or not values["bk_consent"]:
            give_up(dispatcher, t)
            send_meta(dispatcher, t, intent="book_appointment")
            return t.events + clear_form_slots()
        data = {"office": int(values["bk_office"]), "service": values["bk_service"], "start": values["bk_slot"],
                "name": values["bk_name"], "phone": values["bk_phone"], "lang": t.lang, "consent": True}
        key = hashlib.sha256(f"{tracker.sender_id}|{values['bk_slot']}|{values['bk_office']}".encode()).hexdigest()
        try:
            booked = portal_client.book(data, key, t.lang)
        except portal_client.PortalUnavailable:
            give_up(dispatcher, t)
            send_meta(dispatcher, t, intent="book_appointment")
            return t.events + clear_form_slots()
        except portal_client.PortalError as err:
            return t.events + self._retry(dispatcher, t, err, float(tracker.get_slot("failures") or 0))
        appt = booked.get("appointment") or {}
        dispatcher.utter_message(text=t._(
            "Your appointment is booked: %(time)s at %(office)s. Reference: %(reference)s. Access code: "
            "%(code)s. Write both down: you need them to check or cancel the appointment. The code is "
            "shown only once.", time=local_time(appt.get("local_start", ""), t),
            office=(appt.get("office") or {}).get("name", ""), reference=booked.get("reference", ""),
            code=booked.get("access_code", "")))
        self.next_steps(dispatcher, t, values["bk_service"])
        send_meta(dispatcher, t, intent="book_appointment", booked=booked.get("reference"))
        return t.events + clear_form_slots() + [SlotSet("held_reference", booked.get("reference")),
                                                SlotSet("held_code", booked.get("access_code"))]

    @staticmethod
    def next_steps(dispatcher: CollectingDispatcher, t: Turn, service: str) -> None:
        """After a booking: the details with what to bring, a calendar file, the guide, and changing the time
        (the portal lets this browser open the appointment's pages for a while, see portal/chat)."""
        dispatcher.utter_message(
            text=t._("What next? Bring the documents listed in the details. You can add the appointment to your "
                     "calendar, or change its time here."),
            buttons=[{"title": t._("Details and what to bring"), "url": f"/{t.lang}/appointments/view"},
                     {"title": t._("Add to my calendar"), "url": f"/{t.lang}/appointments/calendar.ics"},
                     {"title": t._("Read the full guide"), "url": f"/{t.lang}/services/{service}"},
                     {"title": t._("Change the time"), "payload": "/reschedule_appointment"}])

    @staticmethod
    def _retry(dispatcher: CollectingDispatcher, t: Turn, err: portal_client.PortalError, failures: float = 0) -> list:
        """409 (time taken, already booked) or 422 (a field rejected): say why, clear what was wrong and
        ask again; counts as a failure, so a conflict that cannot be fixed here ends in the give-up reply."""
        if err.message:
            dispatcher.utter_message(text=err.message)
        wrong = {"start": "bk_slot", "office": "bk_office", "service": "bk_service", "name": "bk_name",
                 "phone": "bk_phone", "consent": "bk_consent"}
        slots = [wrong[f] for f in err.fields if f in wrong] or ["bk_slot"]
        send_meta(dispatcher, t, intent="book_appointment")
        return ([SlotSet(s, None) for s in slots] + [SlotSet("failures", failures + 1), ActiveLoop("booking_form"),
                                                      FollowupAction("booking_form")])
