"""A real chat stack for tests: the portal (in-process, free port), the action server and the Rasa
server (subprocesses via bot/serve.sh, so Rasa runs through bot/rasa_launcher.py as in production,
on free 127.0.0.1 ports). One per pytest session: the `live_stack` fixture in tests/conftest.py.
`Chat` talks to a portal's /api/v1/chat as one browser session."""
from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path

import requests
from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "bot" / "models" / "current.tar.gz"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, timeout: float, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"process for {url} exited with {process.returncode}")
        try:
            if requests.get(url, timeout=2).status_code < 500:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise TimeoutError(f"not ready after {timeout:.0f}s: {url}")


class LiveStack:
    def __init__(self, instance: Path):
        self.instance = instance
        self.portal_port, self.rasa_port, self.actions_port = free_port(), free_port(), free_port()
        self.processes: dict[str, subprocess.Popen] = {}
        self.rasa_token = secrets.token_hex(16)     # Rasa's HTTP API, for the test stories (tests/bot)
        self.app = None
        self._server = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.portal_port}"

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    def start(self) -> "LiveStack":
        assert MODEL.exists(), "no trained bot model: run `make bot` first"
        from portal import create_app
        self.app = create_app({
            "ENV": "testing", "INSTANCE_PATH": str(self.instance), "RATELIMIT_ENABLED": False,
            "DATABASE_URL": f"sqlite:///{self.instance / 'db.sqlite3'}", "INDEX_DIR": str(ROOT / "instance" / "index"),
            "RASA_URL": f"http://127.0.0.1:{self.rasa_port}", "HANDOFF_HOURS": "mon-sun 00:00-23:59",
            "SEED_DEMO_DATA": False})
        with self.app.app_context():
            from portal.migrate import upgrade_database
            upgrade_database()
        self._server = make_server("127.0.0.1", self.portal_port, self.app, threaded=True)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        env = dict(os.environ, PORTAL_URL=self.url, INSTANCE_PATH=str(self.instance), RASA_PORT=str(self.rasa_port),
                   ACTIONS_PORT=str(self.actions_port), RASA_TELEMETRY_ENABLED="false", SANIC_HOST="127.0.0.1",
                   RASA_API_TOKEN=self.rasa_token)
        for name in ("actions", "rasa"):
            self.processes[name] = subprocess.Popen(
                ["bash", str(ROOT / "bot" / "serve.sh"), name], env=env, cwd=ROOT, start_new_session=True,
                stdout=subprocess.DEVNULL, stderr=open(self.instance / f"{name}.log", "wb"))
        wait_for(f"http://127.0.0.1:{self.actions_port}/health", 60, self.processes["actions"])
        wait_for(f"http://127.0.0.1:{self.rasa_port}/webhooks/rest/", 240, self.processes["rasa"])
        return self

    def _stop_process(self, name: str) -> None:
        proc = self.processes.pop(name, None)
        if proc is not None and proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)

    def stop(self) -> None:
        """At the end of the session only: the processes are shared by every live test."""
        for name in list(self.processes):
            self._stop_process(name)
        if self._server is not None:
            self._server.shutdown()


# The second day offered: never today, whose first free time can pass while a test types (the portal offers
# times from an hour ahead, portal/appointments/slots.py MIN_NOTICE), turning a valid answer into "not free".
NOT_TODAY = 1


class Chat:
    """One browser session on a portal's /api/v1/chat in one language."""

    def __init__(self, base: str, lang: str):
        self.http, self.base, self.lang = requests.Session(), base, lang
        self.transcript: list[tuple[str, str, list[str]]] = []   # (said, intent, replies): for failure messages

    def say(self, message: str) -> dict:
        resp = self.http.post(f"{self.base}/api/v1/chat", json={"message": message, "lang": self.lang}, timeout=30)
        assert resp.status_code == 200, resp.text
        reply = resp.json()
        self.transcript.append((message, reply.get("intent"), [m.get("text", "") for m in reply["messages"]]))
        return reply


def buttons(reply: dict) -> list[dict]:
    return [b for m in reply["messages"] for b in m.get("buttons", []) if b.get("payload")]


def book_and_confirm(stack, lang: str, start: str, name: str, phone: str) -> str:
    """The whole booking conversation; returns the confirmation text (reference and access code)."""
    chat = Chat(stack.url, lang)
    reply = chat.say(start)
    assert reply["intent"] == "book_appointment" and not reply["degraded"], reply
    services = [b["payload"] for b in buttons(reply)]
    assert "residence-permit-extension" in services, reply
    reply = chat.say("residence-permit-extension")
    reply = chat.say("34")
    days = buttons(reply)
    assert days, reply
    reply = chat.say(days[NOT_TODAY]["payload"])
    slots = [b for b in buttons(reply) if b["payload"] != "another day"]
    assert slots, reply
    reply = chat.say(slots[0]["payload"])
    reply = chat.say(name)
    reply = chat.say(phone)
    assert any(b["payload"] == "/affirm" for b in buttons(reply)), reply
    reply = chat.say("/affirm")
    assert reply["lang"] == lang and reply["intent"] == "book_appointment", reply
    text = reply["messages"][0]["text"]
    assert "GIB-" in text, reply
    return text
