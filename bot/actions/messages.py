"""Reply building blocks shared by several actions (texts are msgids, translated per turn)."""
from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher

from knowledge.emergency.reply import emergency_messages

from .base import Turn


def menu_buttons(t: Turn) -> list[dict]:
    """The main things the assistant can do, as buttons (payloads trigger intents directly)."""
    _ = t._
    return [
        {"title": _("Book an appointment"), "payload": "/book_appointment"},
        {"title": _("Check an appointment"), "payload": "/check_appointment"},
        {"title": _("Cancel an appointment"), "payload": "/cancel_appointment"},
        {"title": _("Application status"), "payload": "/case_status"},
        {"title": _("Talk to a person"), "payload": "/human_handoff"},
    ]


def emergency(dispatcher: CollectingDispatcher, t: Turn) -> None:
    """112 first, nothing before it (knowledge/emergency/reply.py, shared with the portal)."""
    for message in emergency_messages(t._):
        dispatcher.utter_message(**message)


def out_of_scope(dispatcher: CollectingDispatcher, t: Turn) -> None:
    """Not about migration services: say what the assistant covers and who handles such questions."""
    dispatcher.utter_message(text=t._(
        "Sorry, I can only help with migration services in Türkiye, such as residence permits, "
        "international and temporary protection, and appointments. I cannot answer this. For "
        "another country's visa or for your own passport, please ask that country's embassy or "
        "consulate."), buttons=menu_buttons(t))


def cannot_answer(dispatcher: CollectingDispatcher, t: Turn) -> None:
    """Honest abstention: no invented answer; 157 and a person instead."""
    _ = t._
    dispatcher.utter_message(
        text=_("I am sorry, I do not have a reliable answer to this. Please call YİMER 157, "
               "or I can connect you with a person."),
        buttons=[{"title": _("Talk to a person"), "payload": "/human_handoff"}])


def service_unreachable(dispatcher: CollectingDispatcher, t: Turn) -> None:
    _ = t._
    dispatcher.utter_message(text=_("I cannot reach the service right now. Please try again in a "
                                    "moment or call YİMER 157."))
