"""Pure functions: references and access codes, opening hours and slots, input checks."""
from __future__ import annotations

import re
from datetime import date, datetime, time

from portal.appointments import codes, schedule
from portal.appointments.validation import clean_email, clean_name, clean_phone


def test_references_and_codes_use_an_unambiguous_alphabet():
    for _ in range(200):
        ref, code = codes.new_reference(), codes.new_access_code()
        assert re.fullmatch(r"GIB-[2-9A-Z]{4}-[2-9A-Z]{2}", ref)
        assert not set(ref[4:] + code) & set("01OILS5")
    assert codes.normalise_reference(" gib 7k3m q9 ") == "GIB-7K3M-Q9"
    assert codes.normalise_reference("gc2026abcdef") == "GC-2026-ABCDEF"


def test_codes_are_hashed_with_a_pepper_and_checked():
    stored = codes.hash_code("ABCD-EFGH", "pepper-1")
    assert "ABCD" not in stored and stored.startswith("$argon2id$")
    assert codes.verify_code(stored, "abcd efgh", "pepper-1")
    assert not codes.verify_code(stored, "ABCD-EFGH", "pepper-2")
    assert not codes.verify_code(stored, "ABCD-EFGX", "pepper-1")
    assert not codes.verify_code(None, "ABCD-EFGH", "pepper-1")
    assert not codes.verify_code("not-a-hash", "x", "pepper-1")
    assert codes.derived_access_code("s", "a", "b") == codes.derived_access_code("s", "a", "b")


def test_opening_hours_and_slots():
    hours = schedule.parse_hours("08:30-12:00, 13:30-17:30")
    assert hours == [(time(8, 30), time(12)), (time(13, 30), time(17, 30))]
    slots = schedule.day_slots(date(2026, 12, 1), hours, 20)
    assert len(slots) == 10 + 12
    assert slots[0] == datetime(2026, 12, 1, 5, 30)            # 08:30 Istanbul = 05:30 UTC
    closed = schedule.closed_weekdays("5,6")
    assert not schedule.is_open(date(2026, 12, 5), closed, set())          # Saturday
    assert not schedule.is_open(date(2026, 10, 29), closed, set())         # Republic Day
    assert not schedule.is_open(date(2026, 12, 1), closed, {date(2026, 12, 1)})
    assert schedule.is_open(date(2026, 12, 1), closed, set())


def test_names_phones_and_emails(app):
    with app.test_request_context():
        assert clean_name("  Zeynep   Çağlar-Öztürk ")[0] == "Zeynep Çağlar-Öztürk"
        assert clean_name("محمد الأحمد")[1] is None and clean_name("Олена")[1] is None
        assert clean_name("")[1] and clean_name("Robert'); DROP TABLE--;")[1] and clean_name("a" * 201)[1]
        assert clean_phone("0532 123 45 67")[0] == "+905321234567"
        assert clean_phone("(0532) 123-4567")[0] == "+905321234567"
        assert clean_phone("+49 151 23456789")[0] == "+4915123456789"
        assert clean_phone("12345")[1] and clean_phone("")[1] and clean_phone("x" * 40)[1]
        assert clean_email("") == (None, None)
        assert clean_email("Name@Example.COM")[0] == "Name@example.com"
        assert clean_email("not an email")[1]
