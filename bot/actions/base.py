"""What every action needs: the conversation language, `_` for it, and the reply metadata."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from knowledge import language

from . import portal_client
from .i18n import gettext_for

FORM_INTENTS = {"booking_form": "book_appointment", "check_form": "check_appointment",
                "cancel_form": "cancel_appointment", "case_form": "case_status",
                "reschedule_form": "reschedule_appointment"}
QUESTION_INTENTS = {"ask_question", "nlu_fallback", "inform"}
REPORTED = {"book_appointment", "check_appointment", "cancel_appointment", "reschedule_appointment", "case_status",
            "human_handoff", "emergency", "greeting", "out_of_scope", "ask_question"}


@dataclass
class Turn:
    """The current user turn as the actions see it."""
    lang: str
    text: str
    intent: str
    active_form: str | None
    _: Callable[..., str]
    events: list = field(default_factory=list)

    @property
    def reported_intent(self) -> str:
        """The intent reported to the portal: a catalogue intent or ask_question."""
        if self.active_form and self.intent not in {"ask_question", "out_of_scope", "emergency",
                                                    "human_handoff", "greeting"}:
            return FORM_INTENTS.get(self.active_form, "ask_question")
        if self.intent in QUESTION_INTENTS:
            return "ask_question"
        if self.intent in REPORTED:
            return self.intent
        return FORM_INTENTS.get(self.active_form or "", "ask_question") if self.active_form else "greeting"


def turn(tracker: Tracker) -> Turn:
    """Resolve the language (page language, or the one the user clearly writes in) for this turn."""
    portal_client.conversation.set(tracker.sender_id)  # per-user rate limits at the portal
    message = tracker.latest_message or {}
    metadata = message.get("metadata") or {}
    rid = metadata.get("request_id")
    portal_client.request_id.set(rid if isinstance(rid, str) and 0 < len(rid) <= 64 else None)
    active = (tracker.active_loop or {}).get("name")
    current = metadata.get("lang") if metadata.get("lang") in language.LANGS else tracker.get_slot("lang")
    text = message.get("text") or ""
    intent = (message.get("intent") or {}).get("name") or ""
    lang = current if text.startswith("/") else language.resolve(text, current, in_form=bool(active),
                                                                 eager=intent == "emergency")
    events: list = [] if tracker.get_slot("lang") == lang else [SlotSet("lang", lang)]
    return Turn(lang=lang, text=text, intent=intent, active_form=active, _=gettext_for(lang), events=events)


def send_meta(dispatcher: CollectingDispatcher, t: Turn, **extra: Any) -> None:
    """Attach what the portal reports besides the text: intent, language, sources, handoff."""
    meta = {"intent": t.reported_intent, "lang": t.lang, "sources": [], **extra}  # extra may set "intent"
    if t.active_form:
        meta["form"] = t.active_form     # the portal's guard: a form that asks the same thing again is stuck
    dispatcher.utter_message(json_message={"meta": meta})
