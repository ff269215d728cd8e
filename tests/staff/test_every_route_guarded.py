"""Every staff route, found in the URL map (so new console pages are covered without editing this file):
anonymous users get 401 or a redirect to sign-in, agents get 403 where a higher role is needed
(and that refusal is audited), and console form posts need a CSRF token.

A route's role is derived generically: the role of its console blueprint (guard.BLUEPRINT_ROLES),
any `require_role` on the view (auth.require_role marks the view with `required_role`), and any
unconditional `check_role("...")` call among the view's own top-level statements.
"""
from __future__ import annotations

import ast
import inspect
import shutil
import tempfile
import textwrap
import uuid
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select
from werkzeug.routing import AnyConverter, FloatConverter, IntegerConverter, UUIDConverter

from portal import create_app, db
from portal.audit import AuditEvent
from portal.staff.auth.models import ROLES
from portal.staff.guard import BLUEPRINT_ROLES, NAV, PUBLIC_ENDPOINTS
from tests.helpers.app import dispose, migrate
from tests.helpers.staff import add_staff, csrf_from, sign_in

STAFF_PREFIXES = ("/staff", "/api/v1/staff")
CHANGING = {"POST", "PUT", "PATCH", "DELETE"}


def _make_app(folder: str, **overrides):
    config = {"ENV": "testing", "INSTANCE_PATH": folder, "RATELIMIT_ENABLED": False,
              "DATABASE_URL": f"sqlite:///{folder}/routes.sqlite3", "WTF_CSRF_ENABLED": False}
    config.update(overrides)
    return create_app(config)


def _is_staff_rule(rule) -> bool:
    if rule.endpoint in PUBLIC_ENDPOINTS or rule.endpoint.split(".")[-1] == "static":
        return False
    return any(rule.rule == p or rule.rule.startswith(p + "/") for p in STAFF_PREFIXES)


def _dummy(converter):
    if isinstance(converter, IntegerConverter):
        return 1
    if isinstance(converter, FloatConverter):
        return 1.0
    if isinstance(converter, UUIDConverter):
        return uuid.UUID(int=1)
    if isinstance(converter, AnyConverter):
        return sorted(converter.items)[0]
    return "x"


def _url(rule) -> str:
    values = {name: _dummy(conv) for name, conv in rule._converters.items()}
    built = rule.build(values, append_unknown=False)
    assert built is not None, f"could not build {rule.rule}"
    return built[1]


def _marked_roles(view) -> list[str]:
    roles = []
    while view is not None:
        if getattr(view, "required_role", None) in ROLES:
            roles.append(view.required_role)
        view = getattr(view, "__wrapped__", None)
    return roles


def _checked_roles(view) -> list[str]:
    """Roles of `check_role("...")` calls the view always makes (top-level statements, not in if/try)."""
    while getattr(view, "__wrapped__", None) is not None:
        view = view.__wrapped__
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(view)))
    except (OSError, TypeError, SyntaxError):
        return []
    body = tree.body[0].body if tree.body and isinstance(tree.body[0], ast.FunctionDef) else []
    roles = []
    for stmt in body:
        if isinstance(stmt, (ast.Expr, ast.Assign, ast.AnnAssign, ast.Return)):
            for node in ast.walk(stmt):
                if (isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) ==
                        "check_role" and node.args and isinstance(node.args[0], ast.Constant)
                        and node.args[0].value in ROLES):
                    roles.append(node.args[0].value)
    return roles


def required_role(app, rule) -> str | None:
    """The highest role the rule's blueprint guard or view asks for (None: nothing declared)."""
    blueprint = rule.endpoint.rsplit(".", 1)[0] if "." in rule.endpoint else ""
    roles = [BLUEPRINT_ROLES[blueprint]] if blueprint in BLUEPRINT_ROLES else []
    view = app.view_functions.get(rule.endpoint)
    roles += _marked_roles(view) + _checked_roles(view)
    return max(roles, key=ROLES.index) if roles else None


def _collect():
    folder = tempfile.mkdtemp(prefix="staff-routes-")
    try:
        app = _make_app(folder)
        cases = []
        for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
            if _is_staff_rule(rule):
                role = required_role(app, rule)
                for method in sorted(rule.methods - {"OPTIONS"}):
                    cases.append(pytest.param(rule.rule, rule.endpoint, method, _url(rule), role,
                                              id=f"{method} {rule.rule}"))
        return cases
    finally:
        shutil.rmtree(folder, ignore_errors=True)


CASES = _collect()
HIGHER = [c for c in CASES if c.values[4] in ("supervisor", "admin")]


@pytest.fixture(scope="module")
def routes_app(tmp_path_factory):
    """One migrated app (CSRF off: the role guard itself is under test) with an agent."""
    app = _make_app(str(tmp_path_factory.mktemp("routes")))
    migrate(app)
    add_staff(app, "agent1", "agent")
    yield app
    dispose(app)


def _headers(url: str) -> dict:
    return {"Accept": "application/json"} if "/api/" in url else {}


def test_the_route_list_is_found_from_the_url_map():
    endpoints = {c.values[1] for c in CASES}
    assert {"staff_suggest.suggest", "staff_suggest.feedback", "staff_audit.audit", "staff_audit.audit_csv",
            "staff_api.get_case"} <= endpoints
    assert "staff_auth.login" not in endpoints
    assert {c.values[1] for c in HIGHER} >= {"staff_audit.audit", "staff_audit.audit_csv"}


def test_role_checks_inside_a_view_are_found():
    from portal.staff.auth.access import check_role, require_role

    def conditional(flag):
        if flag:
            check_role("admin")
        return check_role("agent")

    @require_role("supervisor")
    def decorated():
        user = check_role("admin")
        return user

    assert _checked_roles(conditional) == ["agent"]
    assert _marked_roles(decorated) == ["supervisor"] and _checked_roles(decorated) == ["admin"]


def test_every_staff_route_declares_a_role_and_the_menu_agrees():
    assert all(c.values[4] in ROLES for c in CASES), [c.id for c in CASES if c.values[4] is None]
    folder = tempfile.mkdtemp(prefix="staff-nav-")
    try:
        app = _make_app(folder)
        roles = {rule.endpoint: required_role(app, rule) for rule in app.url_map.iter_rules()}
        for endpoint, _label, role in NAV:
            if endpoint in roles:
                assert roles[endpoint] == role, endpoint
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.parametrize("rule,endpoint,method,url,role", CASES)
def test_anonymous_users_are_refused(routes_app, rule, endpoint, method, url, role):
    resp = routes_app.test_client().open(url, method=method, headers=_headers(url))
    assert resp.status_code in (401, 303), f"{method} {url} -> {resp.status_code}"
    if resp.status_code == 303:
        assert urlsplit(resp.headers["Location"]).path == "/staff/login"
    else:
        assert method == "HEAD" or resp.get_json()["error"] == "unauthorized"


@pytest.mark.parametrize("rule,endpoint,method,url,role", HIGHER)
def test_agents_are_refused_where_a_higher_role_is_needed(routes_app, rule, endpoint, method, url, role):
    client = routes_app.test_client()
    assert sign_in(client, "agent1").status_code == 303

    def denied() -> int:
        with routes_app.app_context():
            return db.session().scalar(select(func.count()).select_from(AuditEvent).where(
                AuditEvent.action == "access.denied", AuditEvent.object_ref == endpoint[:60],
                AuditEvent.outcome == "denied"))

    before = denied()
    resp = client.open(url, method=method, headers=_headers(url))
    assert resp.status_code == 403, f"{method} {url} -> {resp.status_code}"
    assert denied() == before + 1


def test_options_requests_reveal_nothing(routes_app):
    client = routes_app.test_client()
    for url in sorted({c.values[3] for c in CASES}):
        resp = client.options(url)
        assert resp.status_code in (200, 204, 303, 401), url
        if resp.status_code in (200, 204):
            assert resp.get_data() == b"", url


def test_console_forms_need_a_csrf_token_and_change_nothing_without_it(make_app):
    from portal.staff.suggest.models import Feedback
    app = make_app(WTF_CSRF_ENABLED=True)
    migrate(app)
    add_staff(app, "admin1", "admin")
    client = app.test_client()
    assert client.post("/staff/login", data={"username": "admin1", "password": "x"}).status_code == 400
    assert sign_in(client, "admin1", csrf=True).status_code == 303
    logout = client.post("/staff/logout")
    assert logout.status_code == 400
    assert client.get("/staff/suggest").status_code == 200            # still signed in
    feedback = client.post("/staff/feedback", data={"q": "ikamet izni", "verdict": "wrong",
                                                    "correct_service": "residence-permit"})
    assert feedback.status_code == 400
    with app.app_context():
        assert db.session().scalar(select(func.count()).select_from(Feedback)) == 0
    # every changing console route (not the token-authenticated /api/v1) refuses a post without a token
    for c in CASES:
        rule, method, url = c.values[0], c.values[2], c.values[3]
        if method in CHANGING and not rule.startswith("/api/"):
            assert client.open(url, method=method).status_code == 400, f"{method} {url}"
    token = csrf_from(client.get("/staff/suggest").get_data(as_text=True))
    assert client.post("/staff/logout", data={"csrf_token": token}).status_code == 303
    assert client.get("/staff/suggest").status_code == 303
