"""The portal's only link to Rasa: its REST channel, with a timeout."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field

import requests
from flask import current_app

from ..core.operations import health_check
from ..requestlog import HEADER, current_request_id

log = logging.getLogger(__name__)


class RasaUnavailable(RuntimeError):
    """Rasa did not answer (down, slow or broken): the caller degrades."""


@dataclass
class BotReply:
    messages: list[dict] = field(default_factory=list)
    meta: dict = field(default_factory=dict)


def _session() -> requests.Session:
    sess = current_app.extensions.get("chat_http")
    if sess is None:
        sess = current_app.extensions["chat_http"] = requests.Session()
    return sess


def _button(raw: dict) -> dict | None:
    title = str(raw.get("title") or "").strip()
    if not title:
        return None
    if raw.get("url"):
        url = str(raw["url"])
        return {"title": title, "url": url} if url.startswith(("/", "tel:")) else None
    return {"title": title, "payload": str(raw.get("payload") or title)}


def parse_reply(items: list) -> BotReply:
    """Rasa REST output -> messages [{"text", "buttons"?}] plus the actions' metadata."""
    reply = BotReply()
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        custom = item.get("custom")
        if isinstance(custom, dict) and isinstance(custom.get("meta"), dict):
            meta = custom["meta"]
            sources = reply.meta.get("sources", []) + [s for s in meta.get("sources", []) if isinstance(s, str)]
            reply.meta.update(meta)
            reply.meta["sources"] = list(dict.fromkeys(sources))
            continue
        text = item.get("text")
        if not isinstance(text, str) or not text.strip():
            continue
        message: dict = {"text": text}
        buttons = [b for b in (_button(x) for x in item.get("buttons") or [] if isinstance(x, dict)) if b]
        if buttons:
            message["buttons"] = buttons
        reply.messages.append(message)
    return reply


def send(sender: str, text: str, lang: str, danger_margin: float | None = None) -> BotReply:
    """Forward one user message (with the page language and the emergency detector's margin, see
    emergency.screen); raise RasaUnavailable on any failure."""
    url = current_app.config["RASA_URL"].rstrip("/") + "/webhooks/rest/webhook"
    metadata = {"lang": lang, **({"danger_margin": round(danger_margin, 3)} if danger_margin is not None else {})}
    request_id = current_request_id()
    if request_id:      # the action server reads it from the metadata and sends it back with its API calls
        metadata["request_id"] = request_id
    payload = {"sender": sender, "message": text, "metadata": metadata}
    try:
        resp = _session().post(url, json=payload, timeout=(1.0, current_app.config["RASA_TIMEOUT"]),
                               headers={HEADER: request_id} if request_id else None)
        resp.raise_for_status()
        return parse_reply(resp.json())
    except (requests.RequestException, ValueError) as exc:
        log.warning("rasa unavailable: %s", type(exc).__name__)
        raise RasaUnavailable(str(exc)) from exc


@health_check("rasa")
def _rasa_health():
    """Rasa's REST server answers (not required: the chat degrades to direct answers without it)."""
    url = current_app.config["RASA_URL"].rstrip("/") + "/"
    try:
        ok = _session().get(url, timeout=(0.5, 1.0)).status_code == 200
    except requests.RequestException:
        ok = False
    return ok, False, {"url": current_app.config["RASA_URL"]}
