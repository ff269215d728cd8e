"""Signing a staff member in through the real login form (the user is created on first use)."""
from __future__ import annotations

from portal.staff.auth.operations import create_staff_user

PASSWORD = "correct horse battery"


def sign_in_staff(live_app, live_server, page, username: str, full_name: str, role: str, next_path: str) -> None:
    with live_app.app_context():
        try:
            create_staff_user(username, full_name, role, PASSWORD)
        except Exception:  # noqa: BLE001 - already created by an earlier test of this session
            pass
    page.goto(f"{live_server}/staff/login?lang=en&next={next_path}")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"**{next_path}")
