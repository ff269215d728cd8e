"""Staff accounts, tokens, sessions and role checks."""
from __future__ import annotations

import time

import pytest
from flask import jsonify
from sqlalchemy import select

from portal import db
from portal.audit import AuditEvent
from portal.errors import ValidationFailed
from portal.staff.auth.access import SEEN_KEY, login_session, require_role
from portal.staff.auth.models import StaffUser
from portal.staff.auth.operations import create_staff_user
from tests.helpers.staff import PASSWORD, make_staff



def test_passwords_are_hashed_and_checked(app):
    make_staff(app)
    with app.app_context():
        user = db.session().scalar(select(StaffUser))
        assert user.password_hash.startswith("$argon2") and PASSWORD not in user.password_hash
        from portal.staff.auth.operations import authenticate
        with app.test_request_context():
            assert authenticate("agent1", PASSWORD).id == user.id
            assert authenticate("agent1", "wrong password!!") is None
            assert authenticate("nobody", PASSWORD) is None
        with pytest.raises(ValidationFailed):
            create_staff_user("short", "x", "agent", "short")
        with pytest.raises(ValidationFailed):
            create_staff_user("bad-role", "x", "king", PASSWORD)


def test_staff_endpoints_need_a_token_and_a_role(db_client, db_app):
    assert db_client.get("/api/v1/staff/appointments?office=34&day=2030-01-02").status_code == 401
    bad = db_client.get("/api/v1/staff/appointments?office=34&day=2030-01-02",
                        headers={"Authorization": "Bearer gst_nonsense"})
    assert bad.status_code == 401 and bad.get_json()["error"] == "unauthorized"
    token = make_staff(db_app)
    ok = db_client.get("/api/v1/staff/appointments?office=34&day=2030-01-02",
                       headers={"Authorization": f"Bearer {token}"})
    assert ok.status_code == 200 and ok.get_json() == {"appointments": []}


def test_require_role_orders_roles_and_audits_denials(app):
    @app.get("/test-only/supervisor")
    @require_role("supervisor")
    def _supervisor_only():
        return jsonify(ok=True)

    agent = make_staff(app, "agent2", "agent")
    admin = make_staff(app, "admin2", "admin")
    client = app.test_client()
    assert client.get("/test-only/supervisor", headers={"Authorization": f"Bearer {agent}"}).status_code == 403
    assert client.get("/test-only/supervisor", headers={"Authorization": f"Bearer {admin}"}).status_code == 200
    with app.app_context():
        denied = db.session().scalars(select(AuditEvent).where(AuditEvent.outcome == "denied")).all()
        assert len(denied) == 1 and denied[0].actor.startswith("staff:")


def test_session_login_expires_when_idle(app):
    make_staff(app)

    @app.get("/test-only/agent")
    @require_role("agent")
    def _agent_only():
        return jsonify(ok=True)

    @app.get("/test-only/login")
    def _login():
        login_session(db.session().scalar(select(StaffUser)))
        return jsonify(ok=True)

    client = app.test_client()
    client.get("/test-only/login")
    assert client.get("/test-only/agent").status_code == 200
    with client.session_transaction() as sess:
        sess[SEEN_KEY] = time.time() - 31 * 60
    assert client.get("/test-only/agent").status_code == 401


def test_cli_creates_staff_and_tokens(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["staff", "create", "cli-admin", "--role", "admin", "--name", "Demo Admin",
                                 "--password", PASSWORD])
    assert result.exit_code == 0, result.output
    token = runner.invoke(args=["staff", "token", "cli-admin"]).output.strip()
    assert token.startswith("gst_")
    resp = app.test_client().get("/api/v1/staff/appointments?office=6&day=2030-01-02",
                                 headers={"Authorization": f"Bearer {token}"})
    assert resp.status_code == 200
    dup = runner.invoke(args=["staff", "create", "cli-admin", "--password", PASSWORD])
    assert dup.exit_code == 1
