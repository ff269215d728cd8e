"""ask_question: answer from the knowledge base through the portal's search API."""
from __future__ import annotations

import os
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from . import messages, portal_client
from .base import Turn, send_meta, turn

# When the runner-up scores within this margin of the best result, ask which one is meant.
CLARIFY_MARGIN = float(os.environ.get("BOT_CLARIFY_MARGIN", "0.005"))


def needs_clarifying(results: list[dict]) -> bool:
    if len(results) < 2:
        return False
    top, second = float(results[0].get("score") or 0), float(results[1].get("score") or 0)
    return second >= top - CLARIFY_MARGIN


def answer_buttons(t: Turn, result: dict) -> list[dict]:
    _ = t._
    buttons = []
    if result.get("url"):
        buttons.append({"title": _("Read the full guide"), "url": result["url"]})
    buttons.append({"title": _("Book an appointment"), "payload": "/book_appointment"})
    buttons.append({"title": _("Ask something else"), "payload": "/affirm"})
    return buttons


def clarify(dispatcher: CollectingDispatcher, t: Turn, results: list[dict]) -> None:
    """The close candidates as buttons, and a person when none of them is it (never a dead end)."""
    dispatcher.utter_message(
        text=t._("Which of these do you mean?"),
        buttons=[{"title": r["title"], "payload": r["title"]} for r in results[:3]]
        + [{"title": t._("Talk to a person"), "payload": "/human_handoff"}])


# If the NLU thinks this might be an emergency, the numbers come first anyway (then the answer) ...
EMERGENCY_DOUBT = float(os.environ.get("BOT_EMERGENCY_DOUBT", "0.2"))
# ... unless the portal's emergency detector, which already screened the message, finds it clearly safe:
# its margin (score minus threshold, sent as metadata) is below this. Out-of-fold (2026-12-06), 1 in 200
# danger lines scored this low, against 89% of ordinary questions and 71% of the hard negatives.
CLEARLY_SAFE = float(os.environ.get("BOT_CLEARLY_SAFE_MARGIN", "-8.5"))


def clearly_safe(tracker: Tracker) -> bool:
    margin = ((tracker.latest_message or {}).get("metadata") or {}).get("danger_margin")
    return isinstance(margin, (int, float)) and margin < CLEARLY_SAFE


def maybe_emergency(tracker: Tracker) -> bool:
    if clearly_safe(tracker):
        return False
    ranking = (tracker.latest_message or {}).get("intent_ranking") or []
    return any(r.get("name") == "emergency" and float(r.get("confidence") or 0) >= EMERGENCY_DOUBT for r in ranking)


class ActionAnswerQuestion(Action):
    def name(self) -> str:
        return "action_answer_question"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        t = turn(tracker)
        if maybe_emergency(tracker):
            messages.emergency(dispatcher, t)
            t.intent = "emergency"
            return self.answer(dispatcher, t, emergency=True)
        return self.answer(dispatcher, t)

    def answer(self, dispatcher: CollectingDispatcher, t: Turn, **meta: Any) -> list[dict[str, Any]]:
        try:
            found = portal_client.search(t.text, t.lang, k=3)
        except (portal_client.PortalUnavailable, portal_client.PortalError):
            messages.service_unreachable(dispatcher, t)
            send_meta(dispatcher, t, **meta)
            return t.events
        results = [r for r in found.get("results") or [] if r.get("service")]
        if found.get("out_of_scope") and not meta.get("emergency"):
            messages.out_of_scope(dispatcher, t)        # what we cover and who does: not 157
            send_meta(dispatcher, t, intent="out_of_scope")
            return t.events
        if found.get("abstain") or not results:
            messages.cannot_answer(dispatcher, t)
            send_meta(dispatcher, t, **meta)
            return t.events
        if needs_clarifying(results) and not t.active_form:
            clarify(dispatcher, t, results)
            send_meta(dispatcher, t, sources=[r["service"] for r in results[:3]], **meta)
            return t.events
        top = results[0]
        dispatcher.utter_message(text=top.get("answer") or top.get("title") or "", buttons=answer_buttons(t, top))
        send_meta(dispatcher, t, sources=[top["service"]], **meta)
        return t.events + [SlotSet("last_service", top["service"])]
