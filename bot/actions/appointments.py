"""Checking and cancelling an appointment, and the case status: reference/number + access code."""
from __future__ import annotations

import re
from abc import ABCMeta, abstractmethod
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from . import messages, portal_client
from .base import Turn, send_meta, turn
from .core import clear_form_slots
from .forms_common import (asked, candidate, confirmation, failed,
                           local_time, normalise_code, too_many_failures, validate_confirmation)

_REFERENCE = re.compile(r"\bGIB[\s\-–]?([A-Z0-9]{4})[\s\-–]?([A-Z0-9]{2})\b", re.IGNORECASE)
_CASE = re.compile(r"\bGC[\s\-–]?(\d{4})[\s\-–]?([A-Z0-9]{6})\b", re.IGNORECASE)
_TYPED_CODE = re.compile(r"\b[A-Za-z0-9]{4}-[A-Za-z0-9]{4}\b")


def find_reference(text: str) -> str | None:
    m = _REFERENCE.search(text or "")
    return f"GIB-{m.group(1).upper()}-{m.group(2).upper()}" if m else None


def find_case_number(text: str) -> str | None:
    m = _CASE.search(text or "")
    return f"GC-{m.group(1)}-{m.group(2).upper()}" if m else None


_CODE_TOKEN = re.compile(r"(?<![^\W_])[A-Za-z0-9]{4}[\s\-–]?[A-Za-z0-9]{4}(?![^\W_])")
CODE_MESSAGE_WORDS = 6      # a code typed in a longer message must look like one (digit, dash or capitals)


def find_code(text: str) -> str | None:
    """The access code in a message ('kod: K7P2-QX9A', 'k7p2qx9a', 'my code is k7p2 qx9a'). Codes are made
    of letters too, so the words of a question ('wie l-ange darf' once read as ANGE-DARF) are not one: a
    code stands alone, and in a message of more than a few words it has a digit, a dash or capitals."""
    text = text or ""
    short = len(text.split()) <= CODE_MESSAGE_WORDS
    for match in _CODE_TOKEN.finditer(text):
        token = match.group(0)
        code = normalise_code(token)
        if code and (short or "-" in token or token.isupper() or any(ch.isdigit() for ch in token)):
            return code
    return None


class _AccessForm(FormValidationAction, metaclass=ABCMeta):
    """Reference (or case number) + access code, both checked for their format before the API call."""
    ref_slot, code_slot, find = "ap_reference", "ap_code", staticmethod(find_reference)

    @abstractmethod
    def name(self) -> str:
        """validate_<form>."""

    async def required_slots(self, domain_slots, dispatcher, tracker, domain) -> list[str]:
        return [] if too_many_failures(tracker) else domain_slots

    def _extract_ref(self, tracker: Tracker) -> dict:
        if tracker.get_slot("requested_slot") is None and tracker.get_slot(self.ref_slot) is None:
            return self._from_request(tracker)
        out = candidate(tracker, self.ref_slot, self.find)
        if out.get(self.ref_slot) and asked(tracker, self.ref_slot):
            code = find_code(tracker.latest_message["text"].replace(out[self.ref_slot], " "))
            if code:  # both given in one message
                out[self.code_slot] = code
        return out

    def _from_request(self, tracker: Tracker) -> dict:
        """At activation: the request itself may carry the reference ('cancel GIB-4TXM-8Q') and a code
        written as XXXX-XXXX (only that strict form: ordinary words look like codes too)."""
        text = (tracker.latest_message or {}).get("text") or ""
        ref = self.find(text)
        if ref is None:
            return {}
        codes = [normalise_code(c) for c in _TYPED_CODE.findall(_CASE.sub(" ", _REFERENCE.sub(" ", text)))]
        codes = [c for c in codes if c]
        return {self.ref_slot: ref, **({self.code_slot: codes[0]} if codes else {})}

    def _validate_ref(self, value, dispatcher, tracker) -> dict:
        ref = self.find(str(value))
        if ref is None:
            t = turn(tracker)
            dispatcher.utter_message(text=self.bad_ref_text(t))
            return failed(tracker, self.ref_slot)
        return {self.ref_slot: ref}

    def _validate_code(self, value, dispatcher, tracker) -> dict:
        code = normalise_code(str(value))
        if code is None:
            t = turn(tracker)
            dispatcher.utter_message(text=t._("An access code has 8 letters and digits, like K7P2-QX9A. "
                                              "Please check it and write it again."))
            return failed(tracker, self.code_slot)
        return {self.code_slot: code}

    @staticmethod
    def bad_ref_text(t: Turn) -> str:
        return t._("An appointment reference looks like GIB-7K3M-Q9. Please check it and write it again.")


class ValidateCheckForm(_AccessForm):
    def name(self) -> str:
        return "validate_check_form"

    async def extract_ap_reference(self, dispatcher, tracker, domain) -> dict:
        return self._extract_ref(tracker)

    async def extract_ap_code(self, dispatcher, tracker, domain) -> dict:
        return candidate(tracker, "ap_code", find_code)

    def validate_ap_reference(self, value, dispatcher, tracker, domain) -> dict:
        return self._validate_ref(value, dispatcher, tracker)

    def validate_ap_code(self, value, dispatcher, tracker, domain) -> dict:
        return self._validate_code(value, dispatcher, tracker)


class ValidateCancelForm(ValidateCheckForm):
    def name(self) -> str:
        return "validate_cancel_form"

    async def extract_ap_confirm(self, dispatcher, tracker, domain) -> dict:
        return confirmation(tracker, "ap_confirm")

    def validate_ap_confirm(self, value, dispatcher, tracker, domain) -> dict:
        return validate_confirmation(dispatcher, tracker, "ap_confirm", value, turn(tracker))


class ValidateCaseForm(_AccessForm):
    ref_slot, code_slot, find = "cs_number", "cs_code", staticmethod(find_case_number)

    def name(self) -> str:
        return "validate_case_form"

    @staticmethod
    def bad_ref_text(t: Turn) -> str:
        return t._("A case number looks like GC-2026-7K3M9Q. Please check it and write it again.")

    async def extract_cs_number(self, dispatcher, tracker, domain) -> dict:
        return self._extract_ref(tracker)

    async def extract_cs_code(self, dispatcher, tracker, domain) -> dict:
        return candidate(tracker, "cs_code", find_code)

    def validate_cs_number(self, value, dispatcher, tracker, domain) -> dict:
        return self._validate_ref(value, dispatcher, tracker)

    def validate_cs_code(self, value, dispatcher, tracker, domain) -> dict:
        return self._validate_code(value, dispatcher, tracker)


class _Ask(Action, metaclass=ABCMeta):
    slot = ""

    def name(self) -> str:
        return f"action_ask_{self.slot}"

    @abstractmethod
    def text(self, t: Turn, tracker: Tracker) -> str:
        """The question, in the turn's language."""

    def buttons(self, t: Turn) -> list[dict]:
        return []

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        t = turn(tracker)
        dispatcher.utter_message(text=self.text(t, tracker), buttons=self.buttons(t))
        send_meta(dispatcher, t)
        return t.events


class AskReference(_Ask):
    slot = "ap_reference"

    def text(self, t, tracker):
        return t._("What is the appointment reference? It looks like GIB-7K3M-Q9.")


class AskCode(_Ask):
    slot = "ap_code"

    def text(self, t, tracker):
        return t._("What is the access code you got when you booked? It looks like K7P2-QX9A.")


class AskCaseNumber(_Ask):
    slot = "cs_number"

    def text(self, t, tracker):
        return t._("What is your case number? It looks like GC-2026-7K3M9Q.")


class AskCaseCode(_Ask):
    slot = "cs_code"

    def text(self, t, tracker):
        return t._("What is the access code of your case? It looks like K7P2-QX9A.")


class AskConfirmCancel(_Ask):
    slot = "ap_confirm"

    def text(self, t, tracker):
        return t._("Do you really want to cancel appointment %(reference)s?",
                   reference=tracker.get_slot("ap_reference") or "")

    def buttons(self, t):
        return [{"title": t._("Yes, cancel it"), "payload": "/affirm"}, {"title": t._("No, keep it"), "payload": "/deny"}]


def not_found(dispatcher: CollectingDispatcher, t: Turn) -> None:
    dispatcher.utter_message(text=t._("I could not find it with that reference and access code. Please check "
                                      "both and try again, or call YİMER 157."))


def describe(appt: dict, t: Turn) -> str:
    status = {"booked": t._("booked"), "cancelled": t._("cancelled"), "attended": t._("attended"),
              "no_show": t._("missed")}.get(appt.get("status", ""), appt.get("status", ""))
    return t._("Appointment %(reference)s: %(service)s, %(office)s, %(time)s. Status: %(status)s.",
               reference=appt.get("reference", ""), service=(appt.get("service") or {}).get("title", ""),
               office=(appt.get("office") or {}).get("name", ""), time=local_time(appt.get("local_start", ""), t),
               status=status)


class _Lookup(Action, metaclass=ABCMeta):
    """Shared error handling of the three look-ups; the code never stays in the tracker's slots."""
    flow = "check_appointment"

    @abstractmethod
    def lookup(self, t: Turn, tracker: Tracker) -> dict:
        """Call the case API (raises portal_client errors, or LookupError when the form gave up)."""

    @abstractmethod
    def show(self, dispatcher: CollectingDispatcher, t: Turn, found: dict, tracker: Tracker) -> None:
        """Tell the user what was found."""

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        t = turn(tracker)
        try:
            found = self.lookup(t, tracker)
        except LookupError:  # the form gave up after repeated failures
            dispatcher.utter_message(text=t._("We could not find it together. Please call YİMER 157, "
                                              "or I can connect you with a person."),
                                     buttons=[{"title": t._("Talk to a person"), "payload": "/human_handoff"}])
            found = None
        except portal_client.PortalUnavailable:
            messages.service_unreachable(dispatcher, t)
            found = None
        except portal_client.PortalError as err:
            if err.status == 404:
                not_found(dispatcher, t)
            else:
                dispatcher.utter_message(text=err.message or t._("This could not be done. Please try again "
                                                                 "later or call YİMER 157."))
            found = None
        if found is not None:
            self.show(dispatcher, t, found, tracker)
        send_meta(dispatcher, t, intent=self.flow)
        return t.events + clear_form_slots() + (self.held(tracker, found) if found is not None else [])

    @staticmethod
    def held(tracker: Tracker, found: dict) -> list:
        """Keep a bookable appointment's reference and code for "Change the time" (held_* slots)."""
        if found.get("status") != "booked":
            return []
        return [SlotSet("held_reference", tracker.get_slot("ap_reference")),
                SlotSet("held_code", tracker.get_slot("ap_code"))]


class ActionCheckAppointment(_Lookup):
    def name(self) -> str:
        return "action_check_appointment"

    def lookup(self, t, tracker):
        ref, code = tracker.get_slot("ap_reference"), tracker.get_slot("ap_code")
        if not ref or not code:
            raise LookupError()
        return portal_client.lookup_appointment(ref, code, t.lang)

    def show(self, dispatcher, t, found, tracker):
        changeable = found.get("status") == "booked"
        dispatcher.utter_message(text=describe(found, t), buttons=[
            {"title": t._("Change the time"), "payload": "/reschedule_appointment"}] if changeable else [])


class ActionCancelAppointment(_Lookup):
    flow = "cancel_appointment"
    def name(self) -> str:
        return "action_cancel_appointment"

    def lookup(self, t, tracker):
        ref, code = tracker.get_slot("ap_reference"), tracker.get_slot("ap_code")
        if not ref or not code:
            raise LookupError()
        if not tracker.get_slot("ap_confirm"):
            return {"kept": True}
        return portal_client.cancel_appointment(ref, code, t.lang)

    def show(self, dispatcher, t, found, tracker):
        if found.get("kept"):
            dispatcher.utter_message(text=t._("All right, the appointment was not cancelled."))
        else:
            dispatcher.utter_message(text=t._("The appointment is cancelled. %(details)s",
                                              details=describe(found, t)))


class ActionCaseStatus(_Lookup):
    flow = "case_status"
    def name(self) -> str:
        return "action_case_status"

    def lookup(self, t, tracker):
        number, code = tracker.get_slot("cs_number"), tracker.get_slot("cs_code")
        if not number or not code:
            raise LookupError()
        return portal_client.lookup_case(number, code, t.lang)

    def show(self, dispatcher, t, found, tracker):
        events = found.get("events") or []
        last = events[-1] if events else {}
        text = t._("Case %(number)s (%(service)s): %(status)s.", number=found.get("number", ""),
                   service=(found.get("service") or {}).get("title", ""),
                   status=found.get("status_label") or found.get("status", ""))
        if last.get("note"):
            text += "\n" + str(last["note"])
        dispatcher.utter_message(text=text)
