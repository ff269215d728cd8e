"""The action server's HTTP client against a real portal with rate limits on: the token the portal
generated into instance/ is picked up, and each chat conversation gets its own limit. Its own portal
(no Rasa), not the session's `live_stack`: that portal runs with rate limits off for the chat tests."""
from __future__ import annotations

import itertools
import threading

import pytest
from werkzeug.serving import make_server

from bot.actions import portal_client

pytestmark = pytest.mark.live
REFERENCES = itertools.count(2000)


@pytest.fixture()
def limited_portal(make_app, tmp_path, monkeypatch):
    from portal.migrate import upgrade_database
    app = make_app(RATELIMIT_ENABLED=True)  # no ACTIONS_API_TOKEN: generated into tmp_path/actions_token
    with app.app_context():
        upgrade_database()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("PORTAL_URL", f"http://127.0.0.1:{server.server_port}")
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("ACTIONS_API_TOKEN", raising=False)
    yield app
    portal_client.conversation.set(None)
    server.shutdown()


def lookups(n: int) -> list[int]:
    """n lookups, each for a new reference: the per-reference budget across clients is tested elsewhere."""
    statuses = []
    for _ in range(n):
        try:
            portal_client.lookup_appointment(f"GIB-{next(REFERENCES):04d}-22", "AAAA-AAAA", "en")
        except portal_client.PortalError as err:
            statuses.append(err.status)
    return statuses


def test_chat_users_behind_one_action_server_are_limited_separately(limited_portal):
    portal_client.conversation.set("sender-a")
    assert lookups(11) == [404] * 10 + [429]
    portal_client.conversation.set("sender-b")
    assert lookups(10) == [404] * 10
    portal_client.conversation.set(None)  # no conversation: the action server's IP
    assert lookups(11) == [404] * 10 + [429]
