from knowledge.search.langid import detect_language


def test_hint_wins():
    assert detect_language("residence permit", hint="de") == "de"


def test_invalid_hint_is_ignored():
    assert detect_language("Wie beantrage ich eine Aufenthaltserlaubnis?", hint="xx") == "de"


def test_pashto_letters_decide():
    assert detect_language("زه څنګه اقامت واخلم") == "ps"


def test_ukrainian_and_russian_letters_decide():
    assert detect_language("посвідка") == "uk"
    assert detect_language("вы") == "ru"


def test_persian_letters_move_arabic_script_to_persian():
    assert detect_language("چطور اقامت بگیرم") == "fa"


def test_common_languages():
    assert detect_language("Comment obtenir un titre de séjour ?") == "fr"
    assert detect_language("ikamet izni nasıl alınır") == "tr"
    assert detect_language("how do I get a residence permit") == "en"
    assert detect_language("كيف أحصل على إقامة") == "ar"


def test_no_letters_falls_back_to_turkish():
    assert detect_language("157 ???") == "tr"
    assert detect_language("") == "tr"
