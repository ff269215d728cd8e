"""Settling the caller's language while an agent types (the console): held until the text says clearly
otherwise, both shown when two of one script are close, and never back to a language it left."""
import pytest

from knowledge.language import SETTLE_LETTERS, settle


def typed(text: str) -> list[str]:
    """The language after each keystroke, the console's way: each answer's language is held for the next."""
    held, langs = None, []
    for end in range(1, len(text) + 1):
        held = settle(text[:end], held).lang
        langs.append(held)
    return langs


def changes(langs: list[str]) -> list[str]:
    return [lang for i, lang in enumerate(langs) if i == 0 or lang != langs[i - 1]]


@pytest.mark.parametrize("text,lang", [
    ("Как продлить вид на жительство для студента", "ru"),    # no Russian-only letter until late
    ("Мне нужно продлить разрешение на проживание", "ru"),
    ("Як продовжити посвідку на проживання", "uk"),
    ("Документы для продления", "ru"),
    ("my permit extension was rejected, what are my options", "en"),
    ("When do I get my international protection applicant card?", "en"),
    ("Reiseausweis für subsidiär Schutzberechtigte", "de"),
    ("Ai-je besoin d'une autorisation pour quitter ma province ?", "fr"),
    ("ikamet izni uzatma nasıl yapılır", "tr"),
    ("أريد تجديد الإقامة قبل انتهائها", "ar"),
    ("بعد از ثبت نام، سند ثبت درخواست را کی می‌گیرم؟", "fa"),
    ("د ترکي ژبې وړیا کورسونه شته؟", "ps"),
])
def test_typing_ends_in_the_right_language_and_never_returns_to_one_it_left(text, lang):
    seen = changes(typed(text))
    assert seen[-1] == lang, seen
    assert len(seen) == len(set(seen)), f"flipped back: {seen}"


def test_a_short_text_is_not_settled_and_gets_its_scripts_first_language():
    short = settle("как")
    assert (short.lang, short.settled) == ("ru", False)
    assert settle("Как продлить вид на жительство").settled is True
    assert len([ch for ch in "вид на жительство" if ch.isalpha()]) >= SETTLE_LETTERS


def test_the_held_language_stays_until_the_text_clearly_says_otherwise():
    unclear = settle("вид на жительство", "uk")
    assert unclear.lang == "uk" and unclear.alternative == "ru"        # both shown, no switch
    assert settle("Как продлить вид на жительство для студента", "uk").lang == "ru"
    assert settle("как", "uk").lang == "uk"                              # too short to move it


def test_close_languages_of_one_script_are_both_shown():
    greeting = settle("Добрий день")            # Ukrainian, but without a Ukrainian-only letter
    assert {greeting.lang, greeting.alternative} == {"ru", "uk"}


def test_letters_only_one_language_uses_and_a_change_of_script_decide_at_once():
    assert settle("Мені", "ru") == settle("Мені")
    assert settle("Мені").lang == "uk" and settle("Мені").alternative is None
    assert settle("объём", "uk").lang == "ru"
    assert settle("نوبت ونیسئ ښه", "fa").lang == "ps"
    assert settle("أريد", "ru").lang == "ar"                 # Arabic script: never a Cyrillic answer
    assert settle("می‌خواهم", "ar").lang != "ar"             # Persian letters: not Arabic


def test_no_letters_keeps_what_is_held():
    assert settle("157", "de") == settle("", "de")
    assert settle("157", "de").lang == "de" and settle("157").lang == "tr" and settle("157", "ar").lang == "ar"
