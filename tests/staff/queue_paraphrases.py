"""Our own paraphrase fixture for the queue clustering (not from the evaluation set):
topics the knowledge base does not cover, each asked in several languages."""

TOPICS = {
    "driving-licence": [
        ("en", "Can I swap my foreign driving licence for a Turkish one?"),
        ("tr", "Yabancı ehliyetimi Türk ehliyetine nasıl çevirebilirim?"),
        ("ar", "كيف يمكنني تبديل رخصة القيادة الأجنبية برخصة تركية؟"),
        ("ru", "Как обменять иностранные водительские права на турецкие?"),
        ("de", "Wie kann ich meinen ausländischen Führerschein in einen türkischen umschreiben lassen?"),
    ],
    "bank-account": [
        ("en", "How can I open a bank account in Turkey as a foreigner?"),
        ("tr", "Yabancı olarak Türkiye'de banka hesabı nasıl açarım?"),
        ("fa", "به عنوان یک خارجی چطور می‌توانم در ترکیه حساب بانکی باز کنم؟"),
        ("uk", "Як іноземцю відкрити банківський рахунок у Туреччині?"),
        ("fr", "Comment ouvrir un compte bancaire en Turquie quand on est étranger ?"),
    ],
    "pet": [
        ("en", "Can I bring my cat with me when I move to Turkey?"),
        ("de", "Darf ich meine Katze mitnehmen, wenn ich in die Türkei ziehe?"),
        ("ar", "هل يمكنني إحضار قطتي معي عند الانتقال إلى تركيا؟"),
        ("ru", "Можно ли взять с собой кошку при переезде в Турцию?"),
    ],
    "weather": [
        ("en", "What will the weather be like in Istanbul tomorrow?"),
        ("tr", "Yarın İstanbul'da hava nasıl olacak?"),
        ("fr", "Quel temps fera-t-il demain à Istanbul ?"),
        ("uk", "Яка погода буде завтра в Стамбулі?"),
    ],
}


def rows() -> list[tuple[str, str, str]]:
    """(topic, lang, text) for every fixture question."""
    return [(topic, lang, text) for topic, items in TOPICS.items() for lang, text in items]
