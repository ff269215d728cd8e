from knowledge.search.lexical import LexicalIndex, tokens


def test_tokens_fold_case_diacritics_and_cut_prefixes():
    assert tokens("İKAMET İzni") == ["ikame", "izni"]
    assert tokens("çalışma") == ["calis"]
    assert tokens("a 12 157") == ["157"]


def test_arabic_letter_variants_fold_together():
    assert tokens("إقامة") == tokens("اقامه")


def test_scores_are_normalised_and_language_filtered():
    index = LexicalIndex([("a", "en", "residence permit card"), ("b", "en", "work permit"),
                          ("c", "de", "Aufenthalt residence")])
    scores = index.scores("residence permit", ["en"])
    assert max(scores.values()) == 1.0
    assert scores["a"] > scores["b"]
    assert "c" not in scores
    assert index.scores("nothing matches", ["en"]) == {}
