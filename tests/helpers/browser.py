"""Browser helpers: signing staff in through the real login form, opening the chat with the keyboard."""
from __future__ import annotations

from portal.staff.auth.operations import create_staff_user

from tests.helpers.staff import PASSWORD


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


def open_with_keyboard(page):
    for _ in range(8):              # from the top of the page: skip link, 112, 157, home link, then the launcher
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.className") == "chat-launcher":
            break
    assert page.evaluate("document.activeElement.className") == "chat-launcher"
    assert page.get_attribute(".chat-launcher", "aria-expanded") == "false"
    page.keyboard.press("Enter")
    assert page.get_attribute(".chat-launcher", "aria-expanded") == "true"
    assert page.evaluate("document.activeElement.id") == "chat-input"
