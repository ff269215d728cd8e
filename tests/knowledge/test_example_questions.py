"""Each service's example questions are answered by its own page (issue 16, item 4).

Checking every question's words against its page would be brittle (people ask in other words than a page
uses). This checks the kinds of question that were found unanswered: extending something, opening hours,
a certificate. A question that asks one of them must belong to a page that speaks of it in the same
language; the stems are per language and deliberately narrow.
"""
from __future__ import annotations

import re

import yaml

from knowledge.loader import DEFAULT_DIR, load, plain
from knowledge.schema import LANGS, SERVICE_OPTIONAL_FIELDS, SERVICE_TEXT_FIELDS

EXTEND = {"tr": r"uzat", "en": r"\bextend|\bextension|\bprolong", "ar": r"تمدي?د|(?<!\w)[يبت]?مدد",
          "fa": r"تمدید", "ps": r"تمدید|اوږدول", "ru": r"продл", "uk": r"продовж", "de": r"verlänger",
          "fr": r"prolong|renouvel"}
HOURS = {"tr": r"kaça kadar|saat kaçta|hangi saatler|(gece|hafta ?sonu|kaçta|24 saat).{0,30}(açık|cevap|çalış|arana|arayabil)|(açık|cevap veri|çalışıyor).{0,30}(gece|hafta ?sonu)",
         "en": r"(open|answer|available|reachable).{0,30}(night|weekend|24 hours)|opening hours|what hours|what time .{0,20}(open|close)",
         "ar": r"(بيردوا|يردون|فاتح|مفتوح|بيشتغل|يرد).{0,30}(الليل|العطلة)|ساعات الدوام|أي ساعة|لأي ساعة|بيفتح|بيسكر",
         "fa": r"(جواب|باز|کار).{0,30}(شب|رخصتی)|(شب|رخصتی).{0,30}(جواب|باز است|باز می|کار می)|ساعت کاری|چه ساعتی|ساعت چند",
         "ps": r"(شپې|رخصت).{0,40}(ځواب|خلاص|کار کوي)|تر کومه وخته|په کوم وخت", "ru": r"(работает|отвечает|открыт).{0,30}(ночью|выходн|круглосуточ)|часы работы|до скольки|во сколько|когда работает",
         "uk": r"(працює|відповідає|відкрит).{0,30}(вночі|вихідн|цілодобово)|години роботи|до котрої|о котрій|коли працює",
         "de": r"(erreichbar|geöffnet|offen).{0,30}(nachts|wochenende)|(nachts|wochenende).{0,30}(erreichbar|geöffnet|offen)|öffnungszeit|rund um die uhr|bis wann .{0,20}(erreichbar|geöffnet|offen)",
         "fr": r"(répond|ouvert|joignable).{0,30}(nuit|week-end)|horaires d'ouverture|à quelle heure|24 ?h ?/ ?24"}
OPEN_ROUND_THE_CLOCK = {lang: r"(?<!\d)24(?!\d)" for lang in LANGS}   # the page states "24 hours" in some form
CERTIFICATE = {"tr": r"sertifika", "en": r"certificate (of|after|for) (the )?(course|attendance|completion)",
               "ar": r"شهادة (بعد|حضور|إتمام|الكورس|الدورة|كورس|دورة)", "fa": r"گواهی‌?نامه|تصدیق‌?نامه",
               "ps": r"سرټیفیکېټ|تصدیق ?نامه", "ru": r"сертификат", "uk": r"сертифікат",
               "de": r"zertifikat|teilnahmebescheinigung", "fr": r"certificat de (formation|participation|fin)|attestation de (formation|stage|participation)"}
# topic -> (what a question asks, what its page must then say)
TOPICS = {"extension": (EXTEND, EXTEND), "opening hours": (HOURS, OPEN_ROUND_THE_CLOCK),
          "certificate": (CERTIFICATE, CERTIFICATE)}


def page_text(data: dict) -> str:
    parts: list[str] = []
    for name in (*SERVICE_TEXT_FIELDS, *SERVICE_OPTIONAL_FIELDS):
        value = data.get(name) or ""
        parts += value if isinstance(value, list) else [value]
    return plain(" ".join(str(p) for p in parts)).casefold()


def unanswered(kb) -> list[str]:
    """'topic: slug/lang: question' for each question of a topic its own page never speaks of."""
    found = []
    for slug, svc in sorted(kb.services.items()):
        for lang, text in svc.texts.items():
            page = page_text(text.data)
            for topic, (asks, says) in TOPICS.items():
                for question in text.questions:
                    if re.search(asks[lang], question.casefold()) and not re.search(says[lang], page):
                        found.append(f"{topic}: {slug}/{lang}: {question}")
    return found


def test_no_example_question_asks_what_its_page_does_not_answer():
    assert unanswered(load()) == []


def test_every_topic_has_stems_for_all_nine_languages():
    for topic, (asks, says) in TOPICS.items():
        assert set(asks) == set(says) == set(LANGS), topic


def test_a_question_its_page_does_not_answer_is_caught(tmp_path):
    """The travel permit page never speaks of extending it: such a question must be reported."""
    import shutil
    content = tmp_path / "content"
    shutil.copytree(DEFAULT_DIR, content)
    path = content / "services" / "travel-permit" / "ru.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["questions"].append("можно ли продлить разрешение на выезд")
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert unanswered(load(content)) == ["extension: travel-permit/ru: можно ли продлить разрешение на выезд"]
