"""The unanswered-questions page in a real browser: a supervisor closes a group with the keyboard;
Arabic is right-to-left; no serious/critical axe-core violations (chart, tables, examples)."""
from __future__ import annotations

from portal import db
from portal.staff.auth.operations import create_staff_user
from portal.staff.queue.models import QueuedQuestion

PASSWORD = "correct horse battery"


def test_supervisor_closes_a_group_with_the_keyboard(live_app, live_server, page, axe):
    with live_app.app_context():
        try:
            create_staff_user("queuesup", "Kuyruk Sorumlusu", "supervisor", PASSWORD)
        except Exception:  # noqa: BLE001 - already created by an earlier test of this session
            pass
        sess = db.begin_write()
        sess.add(QueuedQuestion(text="هل يمكنني إحضار قطتي معي إلى تركيا؟", lang="ar", source="bot", kind="abstained"))
        sess.add(QueuedQuestion(text="Can I bring my cat to Turkey?", lang="en", source="feedback",
                                kind="correction", suggested_service="travel-permit", correct_service="legal-aid"))
        sess.commit()
    page.goto(f"{live_server}/staff/login?lang=ar&next=/staff/queue")
    page.fill("#username", "queuesup")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/staff/queue")
    page.goto(f"{live_server}/staff/queue?lang=ar")
    assert page.get_attribute("html", "dir") == "rtl"
    assert page.locator("svg[role=img] title").count() == 2
    assert page.get_attribute("q[lang=ar]", "dir") == "auto"
    assert axe(page) == []
    before = page.locator("li.queue-group").count()
    button = page.locator("li.queue-group button[value=content_added]").first
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**done=content_added**")
    assert page.locator("li.queue-group").count() == before - 1
    assert page.locator(".notice[role=status]").count() == 1
    page.goto(f"{live_server}/staff/queue?lang=en&state=decided")
    assert page.locator("li.queue-group").count() >= 1
    assert axe(page) == []
