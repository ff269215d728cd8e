"""What the search tells the rest of the portal, without knowing who listens.

`search_done` is sent after every counted search (public search, bot, console suggestions) with
`text`, `lang` (detected or given), `abstain`, `source` ("search", "bot", "console", ...) and
`suggested` (the top service shown despite abstaining, or ""). The sender is the Flask app, so a
listener connects per app (the staff queue does it when its blueprint is registered).
"""
from __future__ import annotations

import logging

from blinker import Namespace
from flask import current_app

log = logging.getLogger(__name__)
search_done = Namespace().signal("search-done")


def announce_search(text: str, lang: str, abstain: bool, source: str, suggested: str = "") -> None:
    """Send `search_done` to each listener of this app; a failing listener is logged, never raised
    (the answer matters more than its statistics)."""
    app = current_app._get_current_object()
    for receiver in search_done.receivers_for(app):
        try:
            receiver(app, text=text, lang=lang, abstain=abstain, source=source, suggested=suggested)
        except Exception as exc:  # noqa: BLE001 - listeners must never break the search
            log.warning("search-done listener %s failed (%s)", getattr(receiver, "__name__", receiver),
                        type(exc).__name__)
