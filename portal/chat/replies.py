"""Messages the portal itself writes (emergency screen, degraded mode, handoff), in the user's language."""
from __future__ import annotations

from babel.dates import get_day_names
from flask import url_for
from flask_babel import force_locale, gettext as _
from werkzeug.routing import BuildError

from knowledge.emergency.reply import emergency_messages

from . import hours
from .fallback import knowledge_answers

BOOKING_ENDPOINTS = ("appointments.book",)


def emergency(lang: str) -> list[dict]:
    """112 first, nothing before it (the same messages as the bot's emergency action)."""
    with force_locale(lang):
        return emergency_messages(_)


def answer_too(text: str, lang: str) -> tuple[list[dict], list[str]]:
    """After the emergency numbers: the knowledge answer when our guides answer the message (it also
    asked a question, or it was a question about victims' services after all); else nothing."""
    found = knowledge_answers(text, lang, k=1)
    results = [r for r in found.get("results") or [] if r.get("service")]
    if found.get("abstain") or not results:
        return [], []
    top = results[0]
    with force_locale(lang):
        buttons = [{"title": _("Read the full guide"), "url": top["url"]}] if top.get("url") else []
    return [{"text": top.get("answer") or top.get("title") or "", **({"buttons": buttons} if buttons else {})}], \
        [top["service"]]


def restarted(lang: str) -> list[dict]:
    """The guard reset a stuck conversation: say so, and offer the main choices."""
    with force_locale(lang):
        return [{"text": _("Sorry, something went wrong on my side, so I have started our conversation again. "
                           "Nothing you typed was sent. What would you like to do?"),
                 "buttons": [{"title": _("Book an appointment"), "payload": "/book_appointment"},
                             {"title": _("Check an appointment"), "payload": "/check_appointment"},
                             {"title": _("Application status"), "payload": "/case_status"},
                             {"title": _("Talk to a person"), "payload": "/human_handoff"}]}]


def booking_url(lang: str) -> str:
    for endpoint in BOOKING_ENDPOINTS:
        try:
            return url_for(endpoint, lang=lang)
        except BuildError:
            continue
    return url_for("core.offices", lang=lang)


def degraded(text: str, lang: str) -> tuple[list[dict], list[str]]:
    """Rasa is unavailable: the best knowledge answer with its link, and the web booking form."""
    found = knowledge_answers(text, lang, k=3)
    results = [r for r in found.get("results") or [] if r.get("service")]
    with force_locale(lang):
        out = [{"text": _("The assistant is not fully available right now, so here is the closest answer "
                          "from our guides.")}]
        sources: list[str] = []
        if found.get("abstain") or not results:
            out.append({"text": _("I am sorry, I do not have a reliable answer to this. Please call YİMER 157, "
                                  "or I can connect you with a person."),
                        "buttons": [{"title": _("Talk to a person"), "payload": "/human_handoff"}]})
        else:
            top = results[0]
            sources.append(top["service"])
            buttons = [{"title": _("Read the full guide"), "url": top["url"]}] if top.get("url") else []
            out.append({"text": top.get("answer") or top.get("title") or "", **({"buttons": buttons} if buttons else {})})
        out.append({"text": _("To book an appointment, please use the booking form."),
                    "buttons": [{"title": _("Book an appointment"), "url": booking_url(lang)}]})
    return out, sources


def format_hours(spec: str, lang: str) -> str:
    """'mon-fri 09:00-18:00' -> 'Monday–Friday 09:00–18:00' in `lang`."""
    names = get_day_names("wide", locale=lang)
    parts = []
    for days, start, end in hours.parse(spec):
        ordered = sorted(days)
        span = names[ordered[0]] if len(ordered) == 1 else f"{names[ordered[0]]}–{names[ordered[-1]]}"
        parts.append(f"{span} {start:%H:%M}–{end:%H:%M}")
    return "; ".join(parts)


def handoff_queued(lang: str) -> list[dict]:
    with force_locale(lang):
        return [{"text": _("I have passed your conversation to a member of staff. Please stay on this page: "
                           "a person will answer here. If it is urgent, call YİMER 157.")}]


def handoff_unavailable(lang: str, spec: str) -> list[dict]:
    """Outside hand-over hours: the hours, 157, and a call back (a message and a phone number)."""
    with force_locale(lang):
        return [{"text": _("No one is available to chat right now. Staff answer chats %(hours)s (Istanbul "
                           "time). You can call YİMER 157, or leave a message and we will call you back.",
                           hours=format_hours(spec, lang)),
                 "buttons": [{"title": _("Ask for a call back"), "url": url_for("chat.callback", lang=lang)}]}]


def handoff_waiting(lang: str) -> list[dict]:
    with force_locale(lang):
        return [{"text": _("You are in the queue. A person will answer here soon."),
                 "buttons": [{"title": _("Continue with the assistant"), "payload": "/stop"}]}]


def handed_back(lang: str) -> str:
    with force_locale(lang):
        return _("You are talking to the assistant again.")
