"""The emergency reply, shared by the portal's screen and the bot's action (each passes its own `_`).

112 comes first, as a tap-to-call link; then the lines by what they are for; then one calm sentence
and the offer of a person. ALO 183 is the Ministry of Family and Social Services' social support line
(general guidance: it is not in our source documents).
"""
from __future__ import annotations

from typing import Callable


def emergency_messages(_: Callable[..., str]) -> list[dict]:
    return [
        {"text": _("112 – Emergency (police, ambulance, fire): call now if you or someone else is in danger."),
         "buttons": [{"title": _("Call 112"), "url": "tel:112"}]},
        {"text": _("157 – YİMER, the line for foreigners: help in your language, also for victims of human "
                   "trafficking.\nALO 183 – violence against women, children or the family (Ministry of Family "
                   "and Social Services; general guidance)."),
         "buttons": [{"title": _("Call 157"), "url": "tel:157"}, {"title": _("Call 183"), "url": "tel:183"}]},
        {"text": _("You are not alone. Our staff can see this conversation, and a person can write with you here."),
         "buttons": [{"title": _("Talk to a person"), "payload": "/human_handoff"}]},
    ]
