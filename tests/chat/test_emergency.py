import pytest

from portal.chat.emergency import is_emergency

DANGER = {
    "tr": "kocam beni dövüyor ne yapayım",
    "en": "please help, my boyfriend is beating me",
    "ar": "زوجي يضربني كل يوم",
    "fa": "شوهرم منو کتک میزنه",
    "ru": "помогите, муж меня бьет",
    "uk": "чоловік мене б'є",
    "ps": "مېړه مې وهي",
    "de": "mein Partner schlägt mich",
    "fr": "mon mari me frappe",
}


@pytest.mark.parametrize("lang", sorted(DANGER))
def test_danger_now_is_detected_in_every_language(lang):
    assert is_emergency(DANGER[lang])


@pytest.mark.parametrize("text", [
    "insan ticareti mağdurlarına hangi destekler var",
    "what support is there for victims of trafficking",
    "how do I renew my residence permit",
    "Aufenthaltserlaubnis verlängern",
    "",
])
def test_questions_about_services_are_not_emergencies(text):
    assert not is_emergency(text)
