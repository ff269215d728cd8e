"""Fixtures of the action unit tests (helpers in bot_helpers.py)."""
from __future__ import annotations

import pytest
import requests
from bot_helpers import FakePortal


@pytest.fixture()
def portal(monkeypatch):
    fake = FakePortal()
    monkeypatch.setattr(requests.Session, "request", lambda self, method, url, **kw: fake(self, method, url, **kw))
    return fake


@pytest.fixture()
def timeout():
    return requests.Timeout("read timed out")
