"""The booking form's questions (one action per slot: action_ask_<slot>), in the user's language."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from . import free_times, portal_client
from .base import Turn, send_meta, turn
from .booking import POPULAR_OFFICES, change_titles
from .forms_common import local_time


class AskService(Action):
    def name(self) -> str:
        return "action_ask_bk_service"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        t = turn(tracker)
        try:
            services = portal_client.bookable_services(t.lang)
        except (portal_client.PortalUnavailable, portal_client.PortalError):
            services = []
        dispatcher.utter_message(
            text=t._("Which service is the appointment for? Choose one or describe it in your own words."),
            buttons=[{"title": s["title"], "payload": s["slug"]} for s in services[:10]])
        send_meta(dispatcher, t)
        return t.events


class AskServiceOk(Action):
    """The service in words before anything else: a guess is never booked silently."""

    def name(self) -> str:
        return "action_ask_bk_service_ok"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        t = turn(tracker)
        slug = tracker.get_slot("bk_service") or ""
        title, url = service_title(slug, t), f"/{t.lang}/services/{slug}"
        dispatcher.utter_message(
            text=t._("An appointment for: %(service)s. Is that right?", service=title),
            buttons=[{"title": t._("Yes"), "payload": "/affirm"},
                     {"title": t._("No, another service"), "payload": "/deny"},
                     {"title": t._("Read the full guide"), "url": url}])
        send_meta(dispatcher, t, sources=[slug] if slug else [])
        return t.events


def service_title(slug: str, t: Turn) -> str:
    try:
        return next((s["title"] for s in portal_client.bookable_services(t.lang) if s["slug"] == slug), slug)
    except (portal_client.PortalUnavailable, portal_client.PortalError):
        return slug


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


class AskDay(Action):
    def name(self) -> str:
        return "action_ask_bk_day"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        t = turn(tracker)
        slots = free_times.load(dispatcher, t, tracker.get_slot("bk_office"), tracker.get_slot("bk_service"))
        if slots:
            dispatcher.utter_message(text=t._("On which day? These days have free times (Istanbul time). You can "
                                              "also write a day, for example “Thursday” or “9 December”."),
                                     buttons=free_times.day_buttons(slots, t))
        elif slots is not None:
            dispatcher.utter_message(
                text=t._("There are no free times at this office in the next two weeks. You can choose another "
                         "province, write “stop” to end, or call YİMER 157."))
        send_meta(dispatcher, t)
        return t.events + ([SlotSet("bk_office", None)] if slots == [] else [])


class AskSlot(Action):
    def name(self) -> str:
        return "action_ask_bk_slot"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        t = turn(tracker)
        slots = free_times.load(dispatcher, t, tracker.get_slot("bk_office"), tracker.get_slot("bk_service")) or []
        day = tracker.get_slot("bk_day") or ""
        on_day = free_times.on_day(slots, day)
        if on_day:
            dispatcher.utter_message(
                text=t._("Which time on %(day)s suits you?", day=free_times.day_title(day, t)),
                buttons=free_times.time_buttons(on_day, t, limit=8) + [
                    {"title": t._("Another day"), "payload": "another day"}])
        else:
            dispatcher.utter_message(text=t._("There are no free times left on that day. Please choose another day."))
        send_meta(dispatcher, t)
        return t.events + ([] if on_day else [SlotSet("bk_day", None)])


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


class AskChange(Action):
    def name(self) -> str:
        return "action_ask_bk_change"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        t = turn(tracker)
        dispatcher.utter_message(text=t._("What do you want to change? The rest stays as it is."),
                                 buttons=[{"title": title, "payload": key} for key, title in change_titles(t).items()]
                                 + [{"title": t._("Stop, book nothing"), "payload": "/stop"}])
        send_meta(dispatcher, t)
        return t.events
