"""Typed answers inside forms, in all nine languages (bot/lexicon): yes/no, stop, days and dates,
times, provinces in any script, Eastern Arabic and Persian digits."""
from datetime import date

import pytest

from bot.actions import lexicon
from bot.actions.free_times import find_day, find_slot

FREE = ["2026-12-07", "2026-12-08", "2026-12-10", "2026-12-14"]      # Mon, Tue, Thu, next Mon
SUNDAY = date(2026, 12, 6)


@pytest.mark.parametrize("text,answer", [
    ("Так, змінити", True), ("да, конечно", True), ("evet", True), ("نعم", True), ("آره حتما", True),
    ("هو", True), ("ja, bitte", True), ("oui", True), ("yes please", True), ("👍", True),
    ("ні", False), ("нет, другой день", False), ("hayır", False), ("لا", False), ("نه", False),
    ("nein", False), ("non merci", False), ("no, wrong day", False),
    ("not sure yet", None), ("what documents do I need", None), ("", None),
])
def test_yes_and_no_in_everyday_forms(text, answer):
    assert lexicon.yes_no(text) is answer


@pytest.mark.parametrize("text", ["stop", "start over", "давай начнём заново", "iptal et", "خلص", "بس"])
def test_leaving_a_form(text):
    assert lexicon.wants_to_stop(text)


@pytest.mark.parametrize("text,day", [
    ("jeudi", "2026-12-10"), ("у четвер", "2026-12-10"), ("в четверг", "2026-12-10"), ("perşembe", "2026-12-10"),
    ("الخميس", "2026-12-10"), ("پنجشنبه", "2026-12-10"), ("Donnerstag", "2026-12-10"),
    ("tomorrow", "2026-12-07"), ("yarın", "2026-12-07"), ("завтра", "2026-12-07"),
    ("10 грудня", "2026-12-10"), ("10 décembre", "2026-12-10"), ("١٠/١٢", "2026-12-10"), ("۱۰.۱۲", "2026-12-10"),
    ("Thu 10 Dec", "2026-12-10"), ("2026-12-08", "2026-12-08"), ("2", "2026-12-08"),
    ("Wednesday", None), ("25 декабря", None),     # no free time that day
])
def test_days_typed_in_words_and_digits(text, day):
    assert find_day(text, FREE, "en", SUNDAY) == day


def test_the_button_title_in_the_users_language_is_understood():
    assert find_day("чт, 10 груд.", FREE, "uk", SUNDAY) in ("2026-12-10", None)   # babel's own abbreviation
    from babel.dates import format_date
    assert find_day(format_date(date(2026, 12, 10), "EEE d MMM", locale="uk"), FREE, "uk", SUNDAY) == "2026-12-10"


def test_times_typed_in_any_digits():
    slots = [{"start": "a", "local_start": "2026-12-10T10:30:00+03:00"},
             {"start": "b", "local_start": "2026-12-10T14:00:00+03:00"}]
    assert [find_slot(t, slots) for t in ("о 14:00", "١٤:٠٠", "saat 14", "14h", "10.30", "16:00")] == \
        ["b", "b", "b", "b", "a", None]


@pytest.mark.parametrize("text,code", [("Стамбул", 34), ("в Стамбуле", 34), ("غازي عنتاب", 27), ("Antep", 27),
                                       ("اسلامبول", 34), ("Анкара", 6), ("Izmir", 35), ("Paris", None)])
def test_provinces_in_any_script(text, code):
    assert lexicon.province(text) == code
