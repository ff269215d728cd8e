"""Fixtures for the portal page tests: an app on a temporary instance with the real content."""
from __future__ import annotations

import pytest

from portal import create_app


@pytest.fixture()
def portal_app(tmp_path):
    app = create_app({"ENV": "testing", "INSTANCE_PATH": str(tmp_path), "RATELIMIT_ENABLED": False,
                      "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"})
    return app


@pytest.fixture()
def portal_client(portal_app):
    return portal_app.test_client()
