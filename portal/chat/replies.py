"""Messages the portal itself writes (emergency screen, degraded mode, handover), in the user's language."""
from __future__ import annotations

from babel.dates import get_day_names
from flask import url_for
from flask_babel import force_locale, gettext as _
from werkzeug.routing import BuildError

from . import hours, knowledge

BOOKING_ENDPOINTS = ("appointments.book",)


def emergency(lang: str) -> list[dict]:
    """112 and 157 first, nothing before them (same msgid as the bot's emergency action)."""
    with force_locale(lang):
        return [{"text": _(
            "112 – Emergency (police, ambulance, fire): call now if you or someone else is in danger.\n"
            "157 – YİMER: report human trafficking and get help in your language.")}]


def booking_url(lang: str) -> str:
    for endpoint in BOOKING_ENDPOINTS:
        try:
            return url_for(endpoint, lang=lang)
        except BuildError:
            continue
    return url_for("core.offices", lang=lang)


def degraded(text: str, lang: str) -> tuple[list[dict], list[str]]:
    """Rasa is unavailable: the best knowledge answer with its link, and the web booking form."""
    found = knowledge.search(text, lang, k=3)
    results = [r for r in found.get("results") or [] if r.get("service")]
    with force_locale(lang):
        out = [{"text": _("The assistant is not fully available right now, so here is the closest answer "
                          "from our guides.")}]
        sources: list[str] = []
        if found.get("abstain") or not results:
            out.append({"text": _("I am sorry, I do not have a reliable answer to this. Please call YİMER 157, "
                                  "or I can connect you with a person.")})
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
    with force_locale(lang):
        return [{"text": _("No one is available to chat right now. Staff answer chats %(hours)s (Istanbul "
                           "time). You can call YİMER 157.", hours=format_hours(spec, lang))}]


def handoff_waiting(lang: str) -> list[dict]:
    with force_locale(lang):
        return [{"text": _("You are in the queue. A person will answer here soon."),
                 "buttons": [{"title": _("Continue with the assistant"), "payload": "/stop"}]}]


def handed_back(lang: str) -> str:
    with force_locale(lang):
        return _("You are talking to the assistant again.")
