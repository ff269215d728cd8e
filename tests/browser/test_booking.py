"""A full booking through the web pages in Arabic (RTL) and in Ukrainian, then cancel it (real browser)."""
from __future__ import annotations

import re

import pytest

NAMES = {"ar": "محمد الأحمد", "uk": "Олена Коваленко"}


def _continue(page) -> None:
    page.locator("main button[type=submit]").first.click()
    page.wait_for_load_state("domcontentloaded")


@pytest.mark.parametrize("lang", ["ar", "uk"])
def test_book_then_cancel(page, live_server, lang):
    page.goto(f"{live_server}/{lang}/")
    page.locator(f"a[href='/{lang}/book']").first.click()
    assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    assert page.locator("html").get_attribute("lang") == lang

    _continue(page)                                   # nothing chosen: GOV.UK error summary
    error_prefix = page.locator(".field-error .visually-hidden").inner_text().strip()
    assert error_prefix and page.title().startswith(error_prefix)
    assert page.locator(".error-summary a[href='#service']").count() == 1
    assert page.locator("fieldset").get_attribute("aria-describedby") == "service-hint service-error"

    page.locator("input[name=service]").first.check()
    _continue(page)
    page.select_option("#office", "34")
    _continue(page)
    page.locator("input[name=date]").first.check()
    _continue(page)
    page.locator("input[name=start]").first.check()
    _continue(page)

    page.fill("#name", NAMES[lang])
    page.fill("#phone", "0532 444 55 66" if lang == "ar" else "+380 67 123 4567")
    page.check("#consent")
    _continue(page)
    assert NAMES[lang] in page.locator("main").inner_text()
    _continue(page)                                   # confirm and book

    reference = page.locator("#reference").inner_text()
    code = page.locator("#access-code").inner_text()
    assert re.fullmatch(r"GIB-[A-Z0-9]{4}-[A-Z0-9]{2}", reference)
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", code)
    assert page.locator("#reference").evaluate("e => getComputedStyle(e).direction") == "ltr"
    assert "?" not in page.url

    page.goto(f"{live_server}/{lang}/appointments/manage")   # a fresh look-up with reference + code
    page.fill("#reference", reference)
    page.fill("#access_code", code)
    _continue(page)
    page.locator(f"a[href='/{lang}/appointments/cancel']").click()
    page.locator("#confirm").click()
    page.wait_for_load_state("domcontentloaded")
    assert page.url.endswith("done=cancelled")
    assert page.locator(".panel[role=status]").count() == 1
    assert page.locator(f"a[href='/{lang}/appointments/cancel']").count() == 0
