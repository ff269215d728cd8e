"""Changing the time of an appointment: reference + access code (checked against the case API, which
also tells the office and service), a day and a time from the real free slots of that office and
service, a confirmation, then POST /api/v1/appointments/reschedule."""
from __future__ import annotations

from abc import ABCMeta, abstractmethod
from datetime import date, datetime, timezone
from typing import Any, Callable

from babel.dates import format_date
from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from . import free_times, messages, portal_client
from .appointments import ValidateCheckForm, describe, not_found
from .base import Turn, send_meta, turn
from .core import clear_form_slots
from .forms_common import (candidate, confirmation, failed,
                           local_time, too_many_failures, validate_confirmation)

FLOW = "reschedule_appointment"  # the intent the chat API reports for this flow
RESCHEDULE_SLOTS = ["ap_reference", "ap_code", "rs_day", "rs_slot", "rs_confirm"]


def _day_text(day: str, t: Turn) -> str:
    try:
        return format_date(date.fromisoformat(day), "EEEE d MMMM", locale=t.lang)
    except (TypeError, ValueError):
        return str(day)


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def _started(start: str | None, now: datetime) -> bool:
    try:
        return datetime.fromisoformat(str(start).replace("Z", "+00:00")) <= now
    except ValueError:
        return False


class ValidateRescheduleForm(ValidateCheckForm):
    """Reference and code as in the check form; once both are there, the appointment is opened.
    `clock` gives the current UTC time (tests pass a fixed one)."""

    def __init__(self, clock: Callable[[], datetime] = utc_now) -> None:
        super().__init__()
        self.clock = clock

    def name(self) -> str:
        return "validate_reschedule_form"

    async def required_slots(self, domain_slots, dispatcher, tracker, domain) -> list[str]:
        if too_many_failures(tracker) or tracker.get_slot("rs_closed"):
            return []
        return domain_slots

    def _from_request(self, tracker: Tracker) -> dict:
        """The request's own reference and code, else the appointment just booked or checked here."""
        found = super()._from_request(tracker)
        held = tracker.get_slot("held_reference"), tracker.get_slot("held_code")
        if not found and all(held):
            return {"ap_reference": held[0], "ap_code": held[1]}
        return found

    async def get_validation_events(self, dispatcher, tracker, domain) -> list:
        events = await super().get_validation_events(dispatcher, tracker, domain)
        tracker.add_slots(events)
        ref, code = tracker.get_slot("ap_reference"), tracker.get_slot("ap_code")
        if ref and code and tracker.get_slot("rs_office") is None:
            opened = self._open(dispatcher, tracker, ref, code)
            tracker.add_slots([SlotSet(k, v) for k, v in opened.items()])
            events += [SlotSet(k, v) for k, v in opened.items()]
        return events

    def _open(self, dispatcher: CollectingDispatcher, tracker: Tracker, ref: str, code: str) -> dict:
        """Look the appointment up: its office, service and current time, or why it cannot change."""
        t = turn(tracker)
        failures = float(tracker.get_slot("failures") or 0) + 1
        try:
            appt = portal_client.lookup_appointment(ref, code, t.lang)
        except portal_client.PortalUnavailable:
            messages.service_unreachable(dispatcher, t)
            return {"ap_code": None, "failures": failures}
        except portal_client.PortalError as err:
            if err.status == 404:
                not_found(dispatcher, t)
                return {"ap_reference": None, "ap_code": None, "failures": failures}
            dispatcher.utter_message(text=err.message or t._("This could not be done. Please try again "
                                                             "later or call YİMER 157."))
            return {"ap_code": None, "failures": failures}
        if appt.get("status") != "booked" or _started(appt.get("start"), self.clock()):
            if appt.get("status") == "cancelled":
                text = t._("Appointment %(reference)s is cancelled, so its time cannot be changed. "
                           "You can book a new appointment.", reference=ref)
            else:
                text = t._("Appointment %(reference)s can no longer be changed.", reference=ref)
            dispatcher.utter_message(text=text, buttons=[{"title": t._("Book an appointment"),
                                                          "payload": "/book_appointment"}])
            return {"rs_closed": True}
        return {"rs_office": str((appt.get("office") or {}).get("code", "")),
                "rs_service": (appt.get("service") or {}).get("slug"), "rs_current": appt.get("start")}

    def _free(self, dispatcher, t: Turn, tracker: Tracker) -> list[dict] | None:
        return free_times.load(dispatcher, t, tracker.get_slot("rs_office"), tracker.get_slot("rs_service"),
                               skip=tracker.get_slot("rs_current"))

    async def extract_rs_day(self, dispatcher, tracker, domain) -> dict:
        return candidate(tracker, "rs_day", free_times.looks_like_day)

    async def extract_rs_slot(self, dispatcher, tracker, domain) -> dict:
        return candidate(tracker, "rs_slot", free_times.looks_like_time)

    async def extract_rs_confirm(self, dispatcher, tracker, domain) -> dict:
        return confirmation(tracker, "rs_confirm")

    def validate_rs_day(self, value: Any, dispatcher, tracker: Tracker, domain) -> dict:
        t = turn(tracker)
        slots = self._free(dispatcher, t, tracker)
        if slots is None:
            return failed(tracker, "rs_day")
        return free_times.chosen_day(value, slots, dispatcher, t, tracker, "rs_day")

    def validate_rs_slot(self, value: Any, dispatcher, tracker: Tracker, domain) -> dict:
        t = turn(tracker)
        slots = self._free(dispatcher, t, tracker)
        if slots is None:
            return failed(tracker, "rs_slot")
        return free_times.chosen_time(value, slots, dispatcher, t, tracker, "rs_day", "rs_slot")

    def validate_rs_confirm(self, value: Any, dispatcher, tracker, domain) -> dict:
        return validate_confirmation(dispatcher, tracker, "rs_confirm", value, turn(tracker))


class _AskFree(Action, metaclass=ABCMeta):
    """The day and time questions: built from the free slots of the appointment's office and service."""

    @abstractmethod
    def ask(self, dispatcher: CollectingDispatcher, t: Turn, tracker: Tracker, slots: list[dict]) -> None:
        """Offer the choice (`slots` is not empty)."""

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        t = turn(tracker)
        slots = free_times.load(dispatcher, t, tracker.get_slot("rs_office"), tracker.get_slot("rs_service"),
                                skip=tracker.get_slot("rs_current")) or []
        if slots:
            self.ask(dispatcher, t, tracker, slots)
        else:
            dispatcher.utter_message(text=t._("There are no free times at this office in the next two weeks. "
                                              "Write “stop” to end, or call YİMER 157."))
        send_meta(dispatcher, t, intent=FLOW)
        return t.events


class AskDay(_AskFree):
    def name(self) -> str:
        return "action_ask_rs_day"

    def ask(self, dispatcher, t, tracker, slots):
        dispatcher.utter_message(
            text=t._("Your appointment is now on %(time)s. On which day would you like it instead? "
                     "These days have free times.", time=local_time(tracker.get_slot("rs_current") or "", t)),
            buttons=free_times.day_buttons(slots, t))


class AskTime(_AskFree):
    def name(self) -> str:
        return "action_ask_rs_slot"

    def ask(self, dispatcher, t, tracker, slots):
        day = tracker.get_slot("rs_day") or ""
        that_day = free_times.on_day(slots, day)
        if that_day:
            dispatcher.utter_message(text=t._("Which time on %(day)s suits you? (Istanbul time)",
                                              day=_day_text(day, t)),
                                     buttons=free_times.time_buttons(that_day, t))
        else:  # the day filled up meanwhile
            dispatcher.utter_message(text=t._("There are no more free times on that day. These are the next "
                                              "free times (Istanbul time):"),
                                     buttons=free_times.time_buttons(slots, t))


class AskConfirm(Action):
    def name(self) -> str:
        return "action_ask_rs_confirm"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        t = turn(tracker)
        dispatcher.utter_message(
            text=t._("Move appointment %(reference)s from %(old)s to %(new)s?",
                     reference=tracker.get_slot("ap_reference") or "",
                     old=local_time(tracker.get_slot("rs_current") or "", t),
                     new=local_time(tracker.get_slot("rs_slot") or "", t)),
            buttons=[{"title": t._("Yes, change it"), "payload": "/affirm"},
                     {"title": t._("No, keep the current time"), "payload": "/deny"}])
        send_meta(dispatcher, t, intent=FLOW)
        return t.events


class ActionRescheduleAppointment(Action):
    def name(self) -> str:
        return "action_reschedule_appointment"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        t = turn(tracker)
        events = self._outcome(dispatcher, t, tracker)
        send_meta(dispatcher, t, intent=FLOW)
        return t.events + events

    def _outcome(self, dispatcher: CollectingDispatcher, t: Turn, tracker: Tracker) -> list:
        if tracker.get_slot("rs_closed"):  # cancelled or past: already said
            return clear_form_slots()
        values = {slot: tracker.get_slot(slot) for slot in RESCHEDULE_SLOTS}
        if any(values[s] is None for s in RESCHEDULE_SLOTS):  # the form gave up after repeated failures
            dispatcher.utter_message(
                text=t._("We could not change the appointment here. You can change it on this site, call "
                         "YİMER 157, or talk to a person."),
                buttons=[{"title": t._("Manage my appointment"), "url": f"/{t.lang}/appointments/manage"},
                         {"title": t._("Talk to a person"), "payload": "/human_handoff"}])
            return clear_form_slots()
        if not values["rs_confirm"]:
            dispatcher.utter_message(text=t._("All right, the appointment was not changed."))
            return clear_form_slots()
        try:
            appt = portal_client.reschedule_appointment(values["ap_reference"], values["ap_code"],
                                                        values["rs_slot"], t.lang)
        except portal_client.PortalUnavailable:
            dispatcher.utter_message(
                text=t._("The service did not answer in time, so I cannot tell whether the time was changed. "
                         "Please check your appointment in a moment, or call YİMER 157."),
                buttons=[{"title": t._("Check an appointment"), "payload": "/check_appointment"}])
            return clear_form_slots()
        except portal_client.PortalError as err:
            return self._refused(dispatcher, t, tracker, err)
        dispatcher.utter_message(text=t._("The appointment is changed. %(details)s Your reference and access "
                                          "code stay the same.", details=describe(appt, t)))
        return clear_form_slots()

    @staticmethod
    def _refused(dispatcher: CollectingDispatcher, t: Turn, tracker: Tracker, err: portal_client.PortalError) -> list:
        if err.status == 404:
            not_found(dispatcher, t)
            return clear_form_slots()
        taken = err.code == "slot_full" or (err.status == 422 and "start" in err.fields)
        if not taken:  # not_changeable (cancelled or started meanwhile), rate limit, ...
            dispatcher.utter_message(text=err.message or t._("This could not be done. Please try again later "
                                                             "or call YİMER 157."))
            return clear_form_slots()
        # the time was taken meanwhile: say so and offer the other free times (counts as a failure)
        dispatcher.utter_message(text=err.message or t._("That time is not free. Please choose one of the "
                                                         "times shown."))
        failures = float(tracker.get_slot("failures") or 0) + 1
        return [SlotSet("rs_slot", None), SlotSet("rs_confirm", None), SlotSet("failures", failures),
                ActiveLoop("reschedule_form"), FollowupAction("reschedule_form")]
