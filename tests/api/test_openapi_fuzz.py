"""Fuzz the whole /api/v1 from its OpenAPI document (schemathesis, bounded): search, chat, booking,
cases and staff.

Every operation gets a bounded number of generated requests, valid ones and ones its schema forbids
(schemathesis' positive and negative modes), on SQLite and on
PostgreSQL. Checks: never a 5xx, every status code documented, content types and response bodies match the document.
"""
from __future__ import annotations

import os
import socket

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import (content_type_conformance, not_a_server_error, response_schema_conformance,
                                 status_code_conformance)

from portal import create_app
from portal.migrate import upgrade_database

pytestmark = pytest.mark.slow

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# per operation and mode; the long run (5,000+ cases per database):
#   FUZZ_MAX_EXAMPLES=135 pytest -s tests/api/test_openapi_fuzz.py
MAX_EXAMPLES = int(os.environ.get("FUZZ_MAX_EXAMPLES", "15"))


@pytest.fixture()
def fuzz_app(tmp_path, database_url):
    """On SQLite and on PostgreSQL (`database_url` is parametrised)."""
    app = create_app({"ENV": "testing", "INSTANCE_PATH": str(tmp_path), "RATELIMIT_ENABLED": False,
                      "DATABASE_URL": database_url,
                      "RASA_URL": f"http://127.0.0.1:{_closed_port()}"})   # chat answers degraded
    with app.app_context():
        upgrade_database()
        from portal.staff.auth.operations import create_staff_user, issue_token
        app.config["FUZZ_TOKEN"] = issue_token(create_staff_user("fuzz", "Fuzz", "admin", "fuzz-password-123"))
    yield app
    app.extensions["db_engine"].dispose()


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _operations(app):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    return [result.ok() for result in schema.get_all_operations()]


def test_api_conforms_to_its_openapi_document(fuzz_app):
    """Each operation: MAX_EXAMPLES generated requests, all checks must pass."""
    operations = _operations(fuzz_app)
    assert {op.path for op in operations} >= {"/api/v1/search", "/api/v1/chat", "/api/v1/chat/messages"}
    assert len(operations) >= 17
    token = fuzz_app.config["FUZZ_TOKEN"]
    failures, cases = [], []
    for operation, mode in [(op, mode) for op in operations for mode in GenerationMode]:
        headers = {"Authorization": f"Bearer {token}"} if "/staff/" in operation.path else {}

        @given(case=operation.as_strategy(mode))     # valid requests, and requests the schema forbids
        @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def run(case):
            cases.append(operation.path)
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            run()
        except Exception as exc:  # noqa: BLE001 - collect every operation's failure, then report
            failures.append(f"{operation.method.upper()} {operation.path} ({mode}): {str(exc)[:1500]}")
    print(f"\n{len(cases)} cases over {len(operations)} operations")     # pytest -s shows it (the long run)
    assert {op.path for op in operations} <= set(cases), "an operation was never exercised"
    assert not failures, "\n\n".join(failures)
