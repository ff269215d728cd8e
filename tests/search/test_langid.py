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


def test_the_nine_language_model_ranks_as_py3langids_own_restriction():
    """identifier() keeps only the nine languages' columns of the model (py3langid's set_languages keeps
    all 142 to switch back): the same languages, probabilities and order."""
    from py3langid.langid import _load_identifier

    from knowledge.schema import LANGS
    from knowledge.search.langid import identifier
    reference = _load_identifier(norm_probs=True, langs=list(LANGS))
    ours = identifier()
    assert sorted(ours.nb_classes) == sorted(LANGS) and ours.nb_ptc.shape[1] == len(LANGS)
    texts = ["randevumu iptal etmek istiyorum", "where can I extend my residence permit", "أين مكتب الهجرة",
             "کارت شناسایی من گم شده", "زه مرسته غواړم", "как продлить визу", "де можна подати заяву",
             "Ich habe meinen Pass verloren", "je cherche un rendez-vous", "ok", "157", "???", ""]
    for text in texts:
        assert ours.rank(text) == reference.rank(text), text
        assert ours.classify(text) == reference.classify(text), text
