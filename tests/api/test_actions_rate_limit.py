"""Rate limits of the action server's requests: with the internal token they count per chat
conversation (all chat users share the action server's IP); without it, per IP as for everyone."""
from __future__ import annotations

import itertools

import pytest

from portal.ratelimit import CONVERSATION_HEADER, TOKEN_HEADER

TOKEN = "t0k3n-for-tests"
REFERENCES = itertools.count()     # a new reference each time: the per-reference budget is tested elsewhere


@pytest.fixture()
def limited(make_migrated_app):
    return make_migrated_app(RATELIMIT_ENABLED=True, ACTIONS_API_TOKEN=TOKEN).test_client()


def lookups(client, n: int, **headers) -> list[int]:
    return [client.post("/api/v1/appointments/lookup", headers=headers,
                        json={"reference": f"GIB-{next(REFERENCES):04d}-22", "access_code": "AAAA-AAAA"}).status_code
            for _ in range(n)]


def conversation(n: int) -> str:
    return f"{n:032x}"


def test_each_chat_user_has_own_limit_behind_the_shared_ip(limited):
    first = lookups(limited, 11, **{TOKEN_HEADER: TOKEN, CONVERSATION_HEADER: conversation(1)})
    assert first == [404] * 10 + [429]  # the limit still applies to one user
    second = lookups(limited, 10, **{TOKEN_HEADER: TOKEN, CONVERSATION_HEADER: conversation(2)})
    assert second == [404] * 10  # another user of the same action server is not blocked
    assert lookups(limited, 10) == [404] * 10  # nor are web users at that IP


def test_without_the_right_token_the_ip_limit_applies(limited):
    forged = lookups(limited, 6, **{TOKEN_HEADER: "wrong", CONVERSATION_HEADER: conversation(3)})
    no_token = lookups(limited, 6, **{CONVERSATION_HEADER: conversation(4)})
    assert forged + no_token == [404] * 10 + [429, 429]  # one shared per-IP budget


def test_a_malformed_conversation_falls_back_to_the_ip(limited):
    codes = lookups(limited, 11, **{TOKEN_HEADER: TOKEN, CONVERSATION_HEADER: "not-a-hash"})
    assert codes == [404] * 10 + [429]
    assert lookups(limited, 1) == [429]


def test_the_token_is_generated_once_into_the_instance_folder(make_app, tmp_path):
    app = make_app()
    token = app.config["ACTIONS_API_TOKEN"]
    path = tmp_path / "actions_token"
    assert len(token) == 64 and path.read_text().strip() == token
    assert path.stat().st_mode & 0o777 == 0o600
    assert make_app().config["ACTIONS_API_TOKEN"] == token
