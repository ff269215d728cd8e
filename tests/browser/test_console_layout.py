"""The console on an agent's screen (1366×800, Debian chromium): its own compact layout with the first
suggestion and its confidence band visible without scrolling, the language settled while typing, the
queue labelled and paginated, and the audit log in the console's language."""
from __future__ import annotations

import re
from urllib.parse import quote

import numpy as np
import pytest
from playwright.sync_api import expect
from sqlalchemy import delete

from portal import db
from portal.audit import AuditEvent
from portal.search.operations import get_engine
from portal.staff.queue.models import QueuedQuestion
from portal.staff.queue.operations import PAGE_SIZE
from tests.helpers.browser import sign_in_staff

pytestmark = pytest.mark.browser
SCREEN = {"width": 1366, "height": 800}
BANDS_EN = {"Sure", "Likely", "Check"}


@pytest.fixture()
def desk(browser):
    """An agent's desktop page; the test fails if the page breaks its own Content-Security-Policy."""
    context = browser.new_context(viewport=SCREEN)
    page = context.new_page()
    violations = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    yield page
    context.close()
    assert not violations, violations


def _fully_visible(page, selector: str) -> bool:
    box = page.locator(selector).first.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= SCREEN["height"]


def test_first_suggestion_and_its_band_are_visible_without_scrolling(live_app, live_server, desk, axe):
    sign_in_staff(live_app, live_server, desk, "layoutagent", "Layout agent", "agent", "/staff/suggest")
    desk.goto(f"{live_server}/staff/suggest?lang=tr")
    assert desk.locator(".site-header, .emergency-bar, .site-footer").count() == 0   # not the public frame
    assert desk.locator(".console-header").bounding_box()["height"] <= 80
    desk.focus("#q")
    desk.keyboard.type("Geçici koruma kimliğimle başka bir ile gitmek için izin belgesi nasıl alırım?")
    desk.wait_for_selector("#results li.suggestion", timeout=15000)
    for selector in ("#results li.suggestion h2", "#results li.suggestion .band", "#answer-1"):
        assert _fully_visible(desk, selector), selector
    band = desk.locator("#results li.suggestion .band").inner_text().strip().splitlines()[-1]   # after "Güven düzeyi:"
    assert band in {"Emin", "Muhtemel", "Kontrol edin"}                  # the console's language (Turkish)
    assert "%" not in desk.locator("#results").inner_text()               # no percentage any more
    assert desk.evaluate("document.documentElement.scrollWidth") <= SCREEN["width"]
    assert axe(desk) == []
    # without JavaScript the same page is rendered by the server: the same layout
    desk.goto(f"{live_server}/staff/suggest?lang=en&q=" + "How do I extend my residence permit?")
    assert _fully_visible(desk, "#results li.suggestion h2") and _fully_visible(desk, "#answer-1")
    assert desk.locator("#results li.suggestion .band").inner_text().strip().split()[-1] in BANDS_EN


def test_language_settles_while_typing_and_does_not_flip(live_app, live_server, desk):
    sign_in_staff(live_app, live_server, desk, "layoutagent", "Layout agent", "agent", "/staff/suggest")
    desk.goto(f"{live_server}/staff/suggest?lang=en")
    desk.focus("#q")
    results, seen, text = desk.locator("#results"), [], ""
    for word in "Как продлить вид на жительство для студента".split(" "):
        text = f"{text} {word}".strip()
        desk.keyboard.type(word + " ")
        # the answer to exactly this text is shown (each word is its own request, the held language in it)
        expect(results).to_have_attribute("data-query", re.compile(re.escape("?q=" + quote(text, safe="-_.!~*'()")) + "(&|$)"),
                                          timeout=15000)
        seen.append(desk.locator("#detected strong").first.inner_text())
    assert seen[-1] == "Русский"
    changes = [lang for i, lang in enumerate(seen) if i == 0 or lang != seen[i - 1]]
    assert len(changes) == len(set(changes)), changes                 # never back to a language it left


def test_queue_is_labelled_and_paginated(live_app, live_server, desk, axe):
    with live_app.app_context():
        engine = get_engine()
        model, dim = f"{engine.encoder.backend}:{engine.encoder.model}"[:120], engine.index.faiss_index.d
        sess = db.begin_write()
        added = []
        for i in range(PAGE_SIZE + 3):                  # unrelated questions: one group each
            vector = np.zeros(dim, dtype=np.float32)
            vector[100 + i] = 1.0
            added.append(QueuedQuestion(text=f"Sayfa testi sorusu {i}", lang="tr", source="console",
                                        kind="abstained", vector=vector.tobytes(), vector_model=model))
        sess.add_all(added)
        sess.commit()
        ids = [q.id for q in added]
    try:
        _check_queue_pages(live_app, live_server, desk, axe)
    finally:                                            # leave the shared queue as other tests expect it
        with live_app.app_context():
            sess = db.begin_write()
            sess.execute(delete(QueuedQuestion).where(QueuedQuestion.id.in_(ids)))
            sess.commit()


def _check_queue_pages(live_app, live_server, desk, axe):
    sign_in_staff(live_app, live_server, desk, "layoutsup", "Layout supervisor", "supervisor", "/staff/queue")
    desk.goto(f"{live_server}/staff/queue?lang=en")
    groups = desk.locator("li.queue-group")
    assert groups.count() == PAGE_SIZE
    first = groups.first
    assert first.get_attribute("aria-labelledby") == first.locator("h3").get_attribute("id")
    assert first.locator("h3 q").inner_text().strip()
    assert first.locator("dt").all_inner_texts()[:3] == ["Questions", "Languages", "Newest question"]
    assert re.match(r"[A-Z][a-z]{2} \d{1,2}, \d{4}", first.locator("time").first.inner_text())
    height = desk.evaluate("document.documentElement.scrollHeight")
    print("queue page height at 1366×800, 20 groups:", height, "px")
    assert height < 8000
    assert axe(desk) == []
    desk.locator("nav.pager a[rel=next]").first.click()
    desk.wait_for_url(re.compile(r"page=2"))
    assert desk.locator("ol.queue-groups").get_attribute("start") == str(PAGE_SIZE + 1)
    assert desk.locator("nav.pager a[aria-current=page]").first.inner_text() == "Page 2"


def test_audit_log_speaks_the_consoles_language(live_app, live_server, desk, axe):
    with live_app.app_context():
        sess = db.begin_write()
        sess.add(AuditEvent(actor="public", action="appointment.lookup", object_type="appointment",
                            object_ref="RND-LAYOUT", outcome="failed", client=""))
        sess.commit()
    sign_in_staff(live_app, live_server, desk, "layoutsup", "Layout supervisor", "supervisor", "/staff/audit")
    desk.goto(f"{live_server}/staff/audit?lang=tr&object_ref=RND-LAYOUT")
    row = desk.locator("table.audit-table tbody tr").first
    assert row.locator("td").nth(2).inner_text() == "Randevu sorgulandı"
    assert row.locator("td").nth(3).inner_text() == "Randevu"
    assert "appointment.lookup" not in desk.locator("table.audit-table").inner_text()
    assert re.match(r"\d{1,2} \w{3} \d{4} \d{2}:\d{2}:\d{2}", row.locator("time").inner_text())
    assert desk.get_attribute("#audit-from", "type") == "text"
    expect(desk.locator("#from-hint")).to_have_text("Örneğin 23.11.2026")
    assert axe(desk) == []
    desk.goto(f"{live_server}/staff/audit?lang=en")
    desk.fill("#audit-from", "31/12/2026")                           # not the English order
    desk.focus("#audit-from")
    desk.keyboard.press("Enter")
    desk.wait_for_selector(".error-summary")
    assert "for example 11/23/2026" in desk.locator(".error-summary").inner_text()
