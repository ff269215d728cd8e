"""Helpers for the action unit tests: trackers, running actions, a fake portal (HTTP mocked at requests level)."""
from __future__ import annotations

import json

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher


def make_tracker(text: str = "", intent: str = "ask_question", lang: str | None = "tr", slots: dict | None = None,
                 active_loop: str | None = None, sender: str = "test-sender") -> Tracker:
    message = {"text": text, "intent": {"name": intent, "confidence": 0.99}, "entities": [],
               "metadata": {"lang": lang} if lang else {}}
    return Tracker(sender, dict(slots or {}), message, [], False, None,
                   {"name": active_loop} if active_loop else {}, "action_listen")


def run_coroutine(coroutine):
    """Its result, on an event loop of its own in a thread of its own: after a browser test, the test
    process's main thread still runs Playwright's loop (the session's browser), and asyncio.run refuses
    to start a second loop there. Without this, these tests failed when a browser test ran before them."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def run(action, tracker: Tracker, domain: dict | None = None):
    """Run a (sync or async) action; returns (messages, meta, events)."""
    import inspect
    dispatcher = CollectingDispatcher()
    result = action.run(dispatcher, tracker, domain or {})
    events = run_coroutine(result) if inspect.isawaitable(result) else result
    texts = [m for m in dispatcher.messages if m.get("text")]
    meta = {}
    for m in dispatcher.messages:
        if m.get("custom") and "meta" in m["custom"]:
            meta = m["custom"]["meta"]
    return texts, meta, events


class FakeResponse:
    def __init__(self, status: int, body):
        self.status_code, self._body = status, body

    def json(self):
        if isinstance(self._body, Exception):
            raise self._body
        return json.loads(json.dumps(self._body))


class FakePortal:
    """Routes (method, path) -> (status, body) or an exception; records requests."""

    def __init__(self):
        self.routes: dict = {}
        self.requests: list = []

    def __call__(self, session, method, url, **kwargs):
        path = url.split("://", 1)[-1].split("/", 1)[-1]
        self.requests.append((method, "/" + path, kwargs))
        answer = self.routes.get((method, "/" + path))
        if answer is None:
            return FakeResponse(404, {"error": "not_found", "message": "", "fields": {}})
        if isinstance(answer, Exception):
            raise answer
        status, body = answer
        return FakeResponse(status, body)


