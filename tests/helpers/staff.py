"""Console test helpers: staff users, a signed-in client, CSRF tokens."""
from __future__ import annotations

import re

from portal.staff.auth.operations import create_staff_user

PASSWORD = "correct horse battery"


def add_staff(app, username: str, role: str) -> None:
    with app.app_context():
        create_staff_user(username, f"Demo {role}", role, PASSWORD)


def csrf_from(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


def sign_in(client, username: str, password: str = PASSWORD, csrf: bool = False):
    data = {"username": username, "password": password}
    if csrf:
        data["csrf_token"] = csrf_from(client.get("/staff/login").get_data(as_text=True))
    return client.post("/staff/login", data=data)


def make_staff(app, username: str = "agent1", role: str = "agent") -> str:
    """A staff user and an API token for them (returned)."""
    from portal.staff.auth.operations import issue_token
    with app.app_context():
        user = create_staff_user(username, f"Demo {role}", role, PASSWORD)
        return issue_token(user, "test")
