"""Console appointments and cases pages in a real browser: an agent lists an office's day, searches,
opens a case and changes its status with the keyboard; no serious/critical axe-core violations."""
from __future__ import annotations

from portal.appointments.operations import book_appointment
from portal.timeutil import as_istanbul
from tests.helpers.booking import OFFICE, future_slots, new_phone, service_slug
from tests.helpers.browser import sign_in_staff


def tab_stops(page, limit: int = 60) -> list[str]:
    """The ids of the elements the Tab key reaches, in order, from the top of the page."""
    page.evaluate("document.activeElement && document.activeElement.blur()")
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        seen.append(page.evaluate("document.activeElement.id || document.activeElement.tagName"))
    return seen


def sign_in(live_app, live_server, page, next_path: str) -> None:
    sign_in_staff(live_app, live_server, page, "officeagent", "Office agent", "agent", next_path)


def test_appointments_page_is_keyboard_usable_and_accessible(live_app, live_server, page, axe):
    start = future_slots(live_app)[0]
    with live_app.test_request_context():
        reference = book_appointment({"office": OFFICE, "service": service_slug(), "start": start,
                                      "name": "Demo Mehmet Yılmaz", "phone": new_phone(), "email": "",
                                      "lang": "tr", "consent": True}).appointment.reference
    sign_in(live_app, live_server, page, "/staff/appointments")
    assert axe(page) == []
    assert {"office", "day"} <= set(tab_stops(page))
    page.select_option("#office", str(OFFICE))
    page.fill("#day", as_istanbul(start).date().isoformat())
    page.focus("#day")
    page.keyboard.press("Enter")
    page.wait_for_selector("#day-title")
    assert page.locator("table.data-table", has_text=reference).count() == 1
    assert {"office", "day", "q"} <= set(tab_stops(page))
    assert axe(page) == []
    page.focus("#q")
    page.keyboard.type("mehmet YIL")
    page.keyboard.press("Enter")
    page.wait_for_selector("#results-title")
    assert page.locator("section[aria-labelledby=results-title]", has_text=reference).count() == 1
    assert axe(page) == []
    page.goto(f"{live_server}/staff/appointments?lang=ar")       # right to left, office remembered
    assert page.get_attribute("html", "dir") == "rtl"
    assert page.locator("#upcoming-title").count() == 1
    assert axe(page) == []


def test_cases_pages_are_keyboard_usable_and_accessible(live_app, live_server, page, axe):
    sign_in(live_app, live_server, page, "/staff/cases")
    assert axe(page) == []
    stops = tab_stops(page)
    assert {"number", "service", "name", "phone", "email", "lang", "office", "public_note"} <= set(stops)
    page.select_option("#service", service_slug())
    page.focus("#name")
    page.keyboard.type("Demo Fatima Rahimi")
    page.keyboard.press("Tab")
    page.keyboard.type("0532 765 43 21")
    page.focus("#public_note")
    page.keyboard.type("Başvurunuz alındı.")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")                       # the "Open a new case" button
    page.wait_for_selector("#created-code")
    number = page.text_content("#created-number")
    assert number.startswith("GC-") and len(page.text_content("#created-code")) == 9
    assert axe(page) == []
    page.click(".case-created a")
    page.wait_for_selector("#case-status")
    assert number in page.text_content("h1")
    assert {"status", "public_note", "staff_note"} <= set(tab_stops(page, 40))
    assert axe(page) == []
    page.select_option("#status", "interview")
    page.focus("#public_note")
    page.keyboard.type("Mülakat 2 Aralık'ta.")
    page.keyboard.press("Tab")
    page.keyboard.type("interpreter needed")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")                       # Save
    page.wait_for_selector(".notice[role=status]")
    assert page.get_attribute("#case-status .tag", "class").endswith("status-interview")
    assert page.locator("table.data-table tbody tr").count() == 2
    assert axe(page) == []
