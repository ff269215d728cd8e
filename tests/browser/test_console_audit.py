"""The audit log page in a real browser: a supervisor filters it with the keyboard, a bad date shows
the error summary, Arabic is right-to-left; no serious/critical axe-core violations."""
from __future__ import annotations

from tests.helpers.browser import sign_in_staff


def sign_in(live_app, live_server, page, next_path: str) -> None:
    sign_in_staff(live_app, live_server, page, "auditsup", "Denetim Sorumlusu", "supervisor", next_path)


def test_audit_page_filters_with_the_keyboard_and_is_accessible(live_app, live_server, page, axe):
    sign_in(live_app, live_server, page, "/staff/audit")
    assert page.locator("h1").text_content() == "Audit log"               # the sign-in language is kept
    assert page.locator("table.audit-table td", has_text="Audit log viewed").count() >= 1
    assert axe(page) == []
    page.goto(f"{live_server}/staff/audit?lang=en")
    page.select_option("#audit-action", "audit.view")
    page.focus("#audit-object_ref")
    page.keyboard.press("Enter")                                            # submits the filter form
    page.wait_for_url("**action=audit.view**")
    assert page.locator("table.audit-table tbody tr").count() >= 1
    assert page.locator("a[download]").get_attribute("href").startswith("/staff/audit.csv?")
    page.fill("#audit-from", "2026-03-12")
    page.fill("#audit-to", "2026-03-01")
    page.focus("#audit-to")
    page.keyboard.press("Enter")
    page.wait_for_selector(".error-summary")
    assert page.title().startswith("Error:")                               # the chosen language is kept
    assert page.get_attribute("#audit-to", "aria-invalid") == "true"
    assert axe(page) == []
    page.goto(f"{live_server}/staff/audit?lang=ar")
    assert page.get_attribute("html", "dir") == "rtl"
    assert axe(page) == []
