"""HTTP calls from the action server to the portal's JSON API, always with a timeout.

Every function returns parsed JSON or raises `PortalUnavailable` (timeout, connection error, 5xx,
unreadable body); 4xx answers come back as `PortalError` with the API's `error` code and fields.

Requests made for a chat user carry the shared internal token (`X-Actions-Token`) and a hash of the
Rasa sender id (`X-Conversation`): the portal then rate-limits per conversation, not per the action
server's IP, which all chat users share.

Each call also carries the request id of the user's message (`X-Request-ID`: the portal put it in the
message metadata) and is logged as one JSON line with it: method, path, status, duration; never a body.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import sys
import threading
import time
from contextvars import ContextVar
from datetime import datetime, timezone
from pathlib import Path

import requests

CONNECT_TIMEOUT = 2.0
READ_TIMEOUT = float(os.environ.get("PORTAL_TIMEOUT", "6"))
_local = threading.local()
# the Rasa sender id of the action being run (set by base.turn for each action call)
conversation: ContextVar[str | None] = ContextVar("conversation", default=None)
# the portal's id of the request that brought the user's message (set by base.turn)
request_id: ContextVar[str | None] = ContextVar("request_id", default=None)


class PortalUnavailable(RuntimeError):
    """The portal did not answer in time or answered with a server error."""


class PortalError(RuntimeError):
    """The portal refused the request (4xx): `code` and `fields` come from its JSON error."""

    def __init__(self, status: int, code: str, fields: dict | None = None, message: str = ""):
        super().__init__(f"{status} {code}")
        self.status, self.code, self.fields, self.message = status, code, fields or {}, message


def base_url() -> str:
    return os.environ.get("PORTAL_URL", "http://127.0.0.1:5000").rstrip("/")


def actions_token() -> str:
    """The shared internal secret: ACTIONS_API_TOKEN, or the one the portal generated into instance/."""
    token = os.environ.get("ACTIONS_API_TOKEN", "").strip()
    if token:
        return token
    path = Path(os.environ.get("INSTANCE_PATH") or Path(__file__).resolve().parents[2] / "instance") / "actions_token"
    try:
        return path.read_text().strip()
    except OSError:  # the portal has not created it yet: plain per-IP limits
        return ""


def identity_headers() -> dict:
    """Token + conversation hash for the portal's per-user rate limits ({} outside a conversation)."""
    sender, token = conversation.get(), actions_token()
    if not sender or not token:
        return {}
    return {"X-Actions-Token": token, "X-Conversation": hashlib.sha256(sender.encode()).hexdigest()[:32]}


def _call_log() -> logging.Logger:
    """JSON lines on stderr at INFO, whatever level the action server's own logging has (--quiet)."""
    logger = logging.getLogger("actions.portal")
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
    return logger


def _log_call(method: str, path: str, status: int | str, started: float) -> None:
    _call_log().info(json.dumps({
        "ts": datetime.now(timezone.utc).isoformat(timespec="milliseconds"), "level": "INFO",
        "logger": "actions.portal", "message": "portal call", "request_id": request_id.get(),
        "method": method, "path": path, "status": status,
        "duration_ms": round((time.perf_counter() - started) * 1000, 1)}))


def _session() -> requests.Session:
    sess = getattr(_local, "session", None)
    if sess is None:
        sess = _local.session = requests.Session()
    return sess


def call(method: str, path: str, *, json: dict | None = None, params: dict | None = None,
         headers: dict | None = None) -> dict:
    """One API call; see the module docstring for the errors. (Paths hold no personal data: references
    and codes travel in the JSON body.)"""
    started, rid = time.perf_counter(), request_id.get()
    try:
        resp = _session().request(method, base_url() + path, json=json, params=params,
                                  timeout=(CONNECT_TIMEOUT, READ_TIMEOUT),
                                  headers={"Accept": "application/json", "X-Client": "bot",   # the portal's queue: source "bot"
                                           **({"X-Request-ID": rid} if rid else {}),
                                           **identity_headers(), **(headers or {})})
    except requests.RequestException as exc:
        _log_call(method, path, type(exc).__name__, started)
        raise PortalUnavailable(str(exc)) from exc
    _log_call(method, path, resp.status_code, started)
    if resp.status_code >= 500:
        raise PortalUnavailable(f"{resp.status_code} from {path}")
    try:
        body = resp.json()
    except ValueError as exc:
        raise PortalUnavailable(f"non-JSON answer from {path}") from exc
    if resp.status_code >= 400:
        body = body if isinstance(body, dict) else {}
        raise PortalError(resp.status_code, str(body.get("error", "error")), body.get("fields"),
                          str(body.get("message") or ""))
    return body


def search(q: str, lang: str, k: int = 3) -> dict:
    """POST /api/v1/search -> {"lang", "abstain", "results": [...]}."""
    return call("POST", "/api/v1/search", json={"q": q, "lang": lang, "k": k})


def bookable_services(lang: str) -> list[dict]:
    """GET /api/v1/services -> [{"slug", "title", "url"}] in `lang`."""
    return call("GET", "/api/v1/services", params={"lang": lang}).get("services", [])


def offices(lang: str) -> list[dict]:
    """GET /api/v1/offices -> [{"code", "name", "province", ...}]."""
    return call("GET", "/api/v1/offices", params={"lang": lang}).get("offices", [])


def free_slots(office: int, service: str, lang: str) -> list[dict]:
    """GET /api/v1/offices/<code>/slots (next two weeks) -> slots with places left."""
    body = call("GET", f"/api/v1/offices/{int(office)}/slots", params={"service": service, "lang": lang})
    return [s for s in body.get("slots", []) if s.get("available", 0) > 0]


def book(data: dict, idempotency_key: str, lang: str) -> dict:
    """POST /api/v1/appointments -> {"reference", "access_code", "appointment"}."""
    return call("POST", "/api/v1/appointments", json=data, params={"lang": lang},
                headers={"Idempotency-Key": idempotency_key})


def lookup_appointment(reference: str, code: str, lang: str) -> dict:
    return call("POST", "/api/v1/appointments/lookup", json={"reference": reference, "access_code": code},
                params={"lang": lang})


def cancel_appointment(reference: str, code: str, lang: str) -> dict:
    return call("POST", "/api/v1/appointments/cancel", json={"reference": reference, "access_code": code},
                params={"lang": lang})


def reschedule_appointment(reference: str, code: str, start: str, lang: str) -> dict:
    """POST /api/v1/appointments/reschedule (start: UTC ISO of a free slot of the same office)."""
    return call("POST", "/api/v1/appointments/reschedule",
                json={"reference": reference, "access_code": code, "start": start}, params={"lang": lang})


def lookup_case(number: str, code: str, lang: str) -> dict:
    return call("POST", "/api/v1/cases/lookup", json={"number": number, "access_code": code}, params={"lang": lang})
