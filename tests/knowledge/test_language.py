"""The conversation language: the script decides first (Arabic or Cyrillic letters are never answered in
a Latin-script language, even in two or three words); otherwise the page language stays unless the
user clearly writes in another one."""
import pytest

from knowledge.language import resolve


@pytest.mark.parametrize("text,expected", [
    ("хочу записатися на прийом", "uk"), ("хочу записаться на приём", "ru"), ("запис скасувати", "uk"),
    ("أريد حجز موعد", "ar"), ("میخوام نوبت بگیرم", "fa"), ("زه غواړم وخت ونیسم", "ps"),
])
@pytest.mark.parametrize("page", ["tr", "en", "de"])
def test_short_messages_in_arabic_or_cyrillic_script_are_answered_in_their_language(text, expected, page):
    assert resolve(text, page) == expected


def test_the_page_language_stays_for_short_latin_text_names_and_numbers():
    assert resolve("ok", "ar") == "ar" and resolve("0532 123 45 67", "uk") == "uk"
    assert resolve("Ayşe Demir", "fa", in_form=True) == "fa"


def test_a_clear_switch_to_a_latin_language_is_followed():
    assert resolve("I would like to book an appointment for next week please", "ar") == "en"
