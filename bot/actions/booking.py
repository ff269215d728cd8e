"""Booking an appointment: the form (service, office, slot, name, phone, consent), its questions
and the submission to the case API. Data checks that matter are the API's; the form only keeps
obviously wrong answers out and counts failures (after three it offers the web form and 157)."""
from __future__ import annotations

import hashlib
import re
from typing import Any

import phonenumbers
from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from . import free_times, messages, portal_client
from .base import Turn, send_meta, turn
from .core import clear_form_slots
from .free_times import find_slot
from .forms_common import asked, candidate, failed, fold, local_time, too_many_failures

BOOKING_SLOTS = ["bk_service", "bk_office", "bk_slot", "bk_name", "bk_phone", "bk_consent"]
POPULAR_OFFICES = (34, 6, 35, 27, 1, 16, 7, 33)


def find_office(text: str, offices: list[dict]) -> int | None:
    """Plate code ('34') or province/office name in any case and accents."""
    digits = text.strip()
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
    return None


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
        return [] if too_many_failures(tracker) else domain_slots

    # --- extraction (custom slot mappings) ---------------------------------------------------
    async def extract_bk_service(self, dispatcher, tracker: Tracker, domain) -> dict:
        if tracker.get_slot("bk_service") is None and tracker.get_slot("requested_slot") is None:
            last = tracker.get_slot("last_service")
            return {"bk_service": last} if last else {}
        return candidate(tracker, "bk_service", lambda text: None)

    async def extract_bk_office(self, dispatcher, tracker: Tracker, domain) -> dict:
        return candidate(tracker, "bk_office", lambda text: text.strip() if text.strip().isdigit() else None)

    async def extract_bk_slot(self, dispatcher, tracker: Tracker, domain) -> dict:
        return candidate(tracker, "bk_slot", lambda text: text if free_times.SLOT_PAYLOAD.match(text) else None)

    async def extract_bk_name(self, dispatcher, tracker: Tracker, domain) -> dict:
        return candidate(tracker, "bk_name", lambda text: clean_name(text) if len(text.split()) <= 3 else None)

    async def extract_bk_phone(self, dispatcher, tracker: Tracker, domain) -> dict:
        return candidate(tracker, "bk_phone", clean_phone)

    async def extract_bk_consent(self, dispatcher, tracker: Tracker, domain) -> dict:
        if not asked(tracker, "bk_consent"):
            return {}
        intent = ((tracker.latest_message.get("intent") or {}).get("name")) or ""
        return {"affirm": {"bk_consent": True}, "deny": {"bk_consent": False}}.get(intent, {})

    # --- validation ------------------------------------------------------------------------------
    def validate_bk_service(self, value: Any, dispatcher, tracker: Tracker, domain) -> dict:
        t = turn(tracker)
        try:
            services = portal_client.bookable_services(t.lang)
        except (portal_client.PortalUnavailable, portal_client.PortalError):
            messages.service_unreachable(dispatcher, t)
            return failed(tracker, "bk_service")
        slugs = {s["slug"] for s in services}
        if value in slugs:
            return {"bk_service": value}
        wanted = fold(str(value))
        for service in services:
            if fold(service["title"]) == wanted:
                return {"bk_service": service["slug"]}
        try:
            found = portal_client.search(str(value), t.lang, k=1)
            top = (found.get("results") or [{}])[0].get("service")
        except (portal_client.PortalUnavailable, portal_client.PortalError):
            top = None
        if top in slugs and not found.get("abstain"):
            return {"bk_service": top}
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

    def validate_bk_slot(self, value: Any, dispatcher, tracker: Tracker, domain) -> dict:
        t = turn(tracker)
        slots = free_times.load(dispatcher, t, tracker.get_slot("bk_office"), tracker.get_slot("bk_service"))
        if slots is None:
            return failed(tracker, "bk_slot")
        start = find_slot(str(value), slots)
        if start is None:
            dispatcher.utter_message(text=t._("That time is not free. Please choose one of the times shown."))
            return failed(tracker, "bk_slot")
        return {"bk_slot": start}

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
        return {"bk_consent": bool(value)}


class AskService(Action):
    def name(self) -> str:
        return "action_ask_bk_service"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        t = turn(tracker)
        try:
            services = portal_client.bookable_services(t.lang)
        except (portal_client.PortalUnavailable, portal_client.PortalError):
            services = []
        likely = likely_service(t, {s["slug"] for s in services})
        if likely:      # the request named a service: its guide first, and its button first
            services.sort(key=lambda s: s["slug"] != likely["service"])
            dispatcher.utter_message(
                text=t._("Your request seems to be about: %(service)s. Its guide lists the documents to bring.",
                         service=likely.get("title") or likely["service"]),
                buttons=[{"title": t._("Read the full guide"), "url": likely["url"]}] if likely.get("url") else [])
        dispatcher.utter_message(
            text=t._("Which service is the appointment for? Choose one or describe it in your own words."),
            buttons=[{"title": s["title"], "payload": s["slug"]} for s in services[:10]])
        send_meta(dispatcher, t, sources=[likely["service"]] if likely else [])
        return t.events


def likely_service(t: Turn, bookable: set[str]) -> dict | None:
    """When the message that opened the booking names a bookable service (the search is sure of
    it), that search result; the user still chooses the service."""
    if t.intent != "book_appointment" or len(t.text.split()) < 4:
        return None
    try:
        found = portal_client.search(t.text, t.lang, k=1)
    except (portal_client.PortalUnavailable, portal_client.PortalError):
        return None
    top = (found.get("results") or [{}])[0]
    return top if not found.get("abstain") and top.get("service") in bookable else None


class AskOffice(Action):
    def name(self) -> str:
        return "action_ask_bk_office"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        t = turn(tracker)
        try:
            offices = {o["code"]: o for o in portal_client.offices(t.lang)}
        except (portal_client.PortalUnavailable, portal_client.PortalError):
            offices = {}
        buttons = [{"title": offices[c]["province"], "payload": str(c)} for c in POPULAR_OFFICES if c in offices]
        dispatcher.utter_message(
            text=t._("In which province do you want the appointment? Write the province or its plate "
                     "number (for example 34 for İstanbul)."), buttons=buttons)
        send_meta(dispatcher, t)
        return t.events


class AskSlot(Action):
    def name(self) -> str:
        return "action_ask_bk_slot"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        t = turn(tracker)
        slots = free_times.load(dispatcher, t, tracker.get_slot("bk_office"), tracker.get_slot("bk_service")) or []
        if slots:
            dispatcher.utter_message(text=t._("These are the first free times (Istanbul time). Which one suits you?"),
                                     buttons=free_times.time_buttons(slots, t))
        else:
            dispatcher.utter_message(text=t._("There are no free times at this office in the next two weeks. "
                                              "Write “stop” to end, or call YİMER 157."))
        send_meta(dispatcher, t)
        return t.events


class AskName(Action):
    def name(self) -> str:
        return "action_ask_bk_name"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        t = turn(tracker)
        dispatcher.utter_message(text=t._("What is your full name, as written in your document?"))
        send_meta(dispatcher, t)
        return t.events


class AskPhone(Action):
    def name(self) -> str:
        return "action_ask_bk_phone"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        t = turn(tracker)
        dispatcher.utter_message(text=t._("Which phone number can the office call you on?"))
        send_meta(dispatcher, t)
        return t.events


class AskConsent(Action):
    def name(self) -> str:
        return "action_ask_bk_consent"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        t = turn(tracker)
        _ = t._
        office, service = tracker.get_slot("bk_office") or "", tracker.get_slot("bk_service") or ""
        try:
            office = next((o["name"] for o in portal_client.offices(t.lang) if str(o["code"]) == office), office)
            service = next((s["title"] for s in portal_client.bookable_services(t.lang) if s["slug"] == service),
                           service)
        except (portal_client.PortalUnavailable, portal_client.PortalError):
            pass
        dispatcher.utter_message(
            text=_("Please check: %(service)s, %(office)s, %(time)s, name %(name)s. We keep your name and "
                   "phone number only for this appointment, as the privacy notice explains. Do you agree "
                   "and want to book?", service=service, office=office,
                   time=local_time(tracker.get_slot("bk_slot") or "", t), name=tracker.get_slot("bk_name") or ""),
            buttons=[{"title": _("Yes, book it"), "payload": "/affirm"},
                     {"title": _("No"), "payload": "/deny"},
                     {"title": _("Privacy notice"), "url": f"/{t.lang}/privacy"}])
        send_meta(dispatcher, t)
        return t.events


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
        send_meta(dispatcher, t, intent="book_appointment", booked=booked.get("reference"))
        return t.events + clear_form_slots()

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
