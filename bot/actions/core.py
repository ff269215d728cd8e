"""Greeting, help menu, out of scope, emergency, handoff request, stop and fallback."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from . import messages
from .base import send_meta, turn

SURE_EMERGENCY = 0.9  # below this NLU confidence the emergency reply also carries the knowledge answer
VERY_SURE_EMERGENCY = 0.98  # above this the NLU's emergency stands even when the portal's detector disagrees
FORM_SLOTS = ("bk_service", "bk_service_ok", "bk_office", "bk_day", "bk_slot", "bk_name", "bk_phone", "bk_consent",
              "bk_change", "bk_fixing",
              "ap_reference", "ap_code", "ap_confirm", "cs_number", "cs_code",
              "rs_day", "rs_slot", "rs_confirm", "rs_office", "rs_service", "rs_current", "rs_closed")


def clear_form_slots() -> list:
    """Forget everything typed into a form (personal data is not kept in the tracker)."""
    return [SlotSet(name, None) for name in FORM_SLOTS] + [SlotSet("failures", 0), SlotSet("requested_slot", None)]


class ActionGreet(Action):
    def name(self) -> str:
        return "action_greet"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        t = turn(tracker)
        _ = t._
        dispatcher.utter_message(
            text=_("Hello! I am the migration services assistant. Ask me a question about your "
                   "situation, or choose what you want to do."),
            buttons=messages.menu_buttons(t))
        send_meta(dispatcher, t)
        return t.events


class ActionOfferHelp(Action):
    def name(self) -> str:
        return "action_offer_help"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        t = turn(tracker)
        dispatcher.utter_message(text=t._("What else can I help you with?"), buttons=messages.menu_buttons(t))
        send_meta(dispatcher, t)
        return t.events


class ActionOutOfScope(Action):
    def name(self) -> str:
        return "action_out_of_scope"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        from .questions import maybe_emergency
        t = turn(tracker)
        if maybe_emergency(tracker):  # in doubt, the numbers first
            messages.emergency(dispatcher, t)
            t.intent = "emergency"
            send_meta(dispatcher, t, emergency=True)
            return t.events
        messages.out_of_scope(dispatcher, t)
        send_meta(dispatcher, t)
        return t.events


class ActionEmergency(Action):
    def name(self) -> str:
        return "action_emergency"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        from .questions import ActionAnswerQuestion, clearly_safe
        t = turn(tracker)
        intent = (tracker.latest_message or {}).get("intent") or {}
        if clearly_safe(tracker) and float(intent.get("confidence") or 0) < VERY_SURE_EMERGENCY:
            # the portal's detector screened it and finds it clearly safe: a question after all
            t.intent = "ask_question"
            return ActionAnswerQuestion().answer(dispatcher, t)
        if float(intent.get("confidence") or 0) < SURE_EMERGENCY and not t.active_form:
            # numbers first, then the knowledge answer in case this was a question about a danger
            messages.emergency(dispatcher, t)
            return ActionAnswerQuestion().answer(dispatcher, t, emergency=True)
        messages.emergency(dispatcher, t)
        send_meta(dispatcher, t, emergency=True)
        return t.events + (clear_form_slots() if t.active_form else [])


class ActionHumanHandoff(Action):
    """Ask the portal to queue the conversation; the portal tells the user whether a person is available."""

    def name(self) -> str:
        return "action_human_handoff"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        t = turn(tracker)
        send_meta(dispatcher, t, handoff_request=True)
        return t.events + (clear_form_slots() if t.active_form else [])


class ActionStop(Action):
    def name(self) -> str:
        return "action_stop"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        t = turn(tracker)
        dispatcher.utter_message(text=t._("All right, I have stopped. Nothing was sent."),
                                 buttons=messages.menu_buttons(t))
        send_meta(dispatcher, t)
        return t.events + clear_form_slots()


class ActionDefaultFallback(Action):
    def name(self) -> str:
        return "action_default_fallback"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        t = turn(tracker)
        dispatcher.utter_message(
            text=t._("Sorry, I did not understand. Could you say it in other words? You can also call YİMER 157."),
            buttons=messages.menu_buttons(t))
        send_meta(dispatcher, t)
        return t.events
