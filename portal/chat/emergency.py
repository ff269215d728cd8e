"""Emergency screen, run in the portal before Rasa so it works even when Rasa is down.

Two views: the detector on the query vector (knowledge/emergency: situations in any wording, person and
tense), and a fast path of unambiguous keyword phrases (no bare "brennt" or "coule": idioms). Either one
is enough: a message that describes danger and also asks a question ("he is beating me now, can I get my
own permit?") scores like a question for the detector, but keeps its keywords. Without the search index
the keywords decide alone. The query vector is the search engine's cached one: the search reuses it.
"""
from __future__ import annotations

import logging
import re
import unicodedata
import weakref

from flask import has_app_context

log = logging.getLogger(__name__)

PHRASES: dict[str, tuple[str, ...]] = {
    "tr": ("nefes almıyor", "bayıldı", "boğuluyor", "batıyor", "kendini öldürmek", "intihar etmek", "çok ilaç içti", "kan kaybediyor", "bıçakla", "silahla tehdit", "imdat", "beni dövüyor", "beni dövüyo", "dövüyor beni", "bana saldırıyor", "saldırıya uğruyorum",
           "hayatım tehlikede", "canım tehlikede", "öldürecek", "öldürmekle tehdit", "beni öldürmek",
           "kaçırdılar", "kaçırıldı", "intihar", "kendimi öldür", "beni kilitledi", "kilitlediler",
           "dışarı çıkmama izin vermiyor", "zorla tutuyor", "zorla çalıştırıyor", "zorla çalıştırılıyorum",
           "tecavüz", "şiddet görüyorum", "rehin", "yangın var"),
    "en": ("not breathing", "can't breathe", "cannot breathe", "drowning", "sinking", "overdose", "unconscious", "bleeding a lot", "kill himself", "kill herself", "with a knife", "with a gun", "beating me", "beats me", "hitting me", "attacking me", "attacked me", "going to kill me",
           "kill me", "threatening to kill", "my life is in danger", "in danger right now", "kidnapped",
           "locked me", "locked in", "won't let me leave", "wont let me leave", "held against",
           "against my will", "forced to work", "forcing me to work", "being trafficked", "raped", "rape me",
           "suicide", "kill myself", "end my life", "hurting me", "someone is hurting", "house is on fire"),
    "ar": ("ما عم يتنفس", "لا يتنفس", "عم يغرق", "يغرق", "أغمي عليه", "بدو يقتل حالو", "يريد أن ينتحر", "بسكين", "بالسكينة", "بمسدس", "مخنوقين", "يضربني", "عم يضربني", "بيضربني", "يهاجمني", "حياتي في خطر", "حياتي بخطر", "يهددني بالقتل",
           "بدهم يقتلوني", "يريدون قتلي", "سيقتلني", "خطفوا", "مخطوف", "حابسيني", "يحتجزونني", "محتجز",
           "رغما عني", "رغما عنا", "يجبرني على العمل", "بيجبرني", "اغتصاب", "انتحار", "انهي حياتي",
           "أنهي حياتي", "اقتل نفسي", "النجدة", "ساعدوني بسرعة", "اتجار بي"),
    "fa": ("نفس نمیکشه", "نفس نمی‌کشه", "داره غرق میشه", "غرق شد", "بیهوش", "میخواد خودشو بکشه", "خودکشی کنه", "با چاقو", "با اسلحه", "کتکم میزنه", "منو کتک میزنه", "منو میزنه", "بهم حمله", "جونم در خطره", "جانم در خطر",
           "جان من در خطر", "تهدید به قتل", "منو میکشه", "میخواد منو بکشه", "دزدیدن", "ربودن", "زندانی کردن",
           "حبس کردن", "نمیذارن برم", "به زور نگه", "مجبورم میکنه", "تجاوز", "خودکشی", "خودمو بکشم",
           "کمک کنید فوری"),
    "ru": ("не дышит", "тонет", "тонем", "без сознания", "хочет покончить", "с ножом", "с пистолетом", "передозир", "нечем дышать", "меня бьет", "меня бьют", "избивают", "напали", "нападает", "жизнь в опасности", "угрожают убить",
           "угрожает убить", "угрожают убийством", "убьет меня", "похитили", "заперли", "не выпускают",
           "держат насильно", "насильно держат", "заставляют работать", "изнасил", "покончить с собой",
           "самоубий", "помогите срочно"),
    "uk": ("не дихає", "тоне", "тонемо", "знепритомн", "хоче покінчити", "з ножем", "з пістолетом", "нема чим дихати", "погрожує мене вбити", "мене б'є", "мене бʼє", "мене б’є", "б'ють", "напали", "життя в небезпеці", "погрожують убити",
           "погрожують убивством", "вб'є мене", "викрали", "зачинили", "не випускають", "тримають силою",
           "змушують працювати", "зґвалт", "покінчити з собою", "самогубств", "допоможіть терміново"),
    "ps": ("ساه نه اخلي", "ډوبېږي", "ډوبیږي", "بې هوښه", "ځان ووژني", "په چاقو", "په ټوپک", "وهي مې", "ما وهي", "مې وهي", "برید کوي", "ژوند مې په خطر", "د وژلو ګواښ", "وژني مې", "تښتولی",
           "وتښتاوه", "بند کړی یم", "نه مې پرېږدي", "په زور مې", "په زور ساتل", "ځان ووژنم", "ځان وژنه"),
    "de": ("atmet nicht", "ertrinkt", "bewusstlos", "sich umbringen", "mit einem messer", "mit einer waffe", "es brennt", "wohnung brennt", "haus brennt", "keine luft", "schlägt mich", "schlagen mich", "greift mich an", "angegriffen", "mein leben ist in gefahr",
           "in lebensgefahr", "droht mich umzubringen", "droht, mich umzubringen", "will mich umbringen",
           "entführt", "eingesperrt", "lassen mich nicht raus", "gegen meinen willen", "zwingt mich zu arbeiten",
           "zwingen mich zu arbeiten", "vergewaltig", "mir das leben nehmen", "selbstmord", "suizid",
           "bringe mich um"),
    "fr": ("ne respire pas", "se noie", "bateau coule", "le bateau coule", "évanoui", "inconscient", "se suicider", "avec un couteau", "avec une arme", "au feu", "me frappe", "me bat", "m'agresse", "agressée", "ma vie est en danger", "menace de me tuer",
           "veut me tuer", "enlevé", "enlevée", "kidnappé", "enfermée", "enfermé", "me retient", "on nous retient",
           "de force", "me force à travailler", "violée", "me suicider", "suicide", "au secours"),
}

# language-independent: people type the numbers themselves when in danger
_NUMBERS = re.compile(r"(?<!\d)112(?!\d)")


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text or "").casefold()
    return re.sub(r"\s+", " ", text.replace("’", "'").replace("ʼ", "'"))


_COMPILED = {lang: tuple(_normalise(p) for p in phrases) for lang, phrases in PHRASES.items()}


def keyword_hit(text: str) -> bool:
    """The fast path: an unambiguous danger phrase in any language, or 112 typed in a short message."""
    norm = _normalise(text)
    if not norm:
        return False
    if any(p in norm for phrases in _COMPILED.values() for p in phrases):
        return True
    return bool(_NUMBERS.search(norm)) and len(norm.split()) <= 6


_classifiers: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()   # engine -> its detector (or None)


def _detector():
    """(engine, classifier) when the search index and a detector trained for its encoder are there."""
    from knowledge.emergency import MODEL_FILE
    from knowledge.search.scope import load_classifier
    from portal.search.operations import SearchUnavailable, get_engine
    try:
        engine = get_engine()
    except SearchUnavailable:
        return None, None
    if engine not in _classifiers:      # the engine is shared by the apps of a process, and so is this
        _classifiers[engine] = load_classifier(engine.encoder, MODEL_FILE)
    return engine, _classifiers[engine]


def detector_margin(text: str) -> float | None:
    """Detector score minus its threshold (>= 0: danger), or None when the detector is unavailable."""
    if not has_app_context():
        return None
    try:
        engine, classifier = _detector()
        if classifier is None:
            return None
        return classifier.score(engine.query_vector(text)[0]) - classifier.threshold
    except Exception:  # noqa: BLE001 - the screen must never break the chat: keywords still decide
        log.exception("emergency detector failed")
        return None


def screen(text: str) -> tuple[bool, float | None]:
    """(emergency?, the detector's margin or None). The margin also goes to the bot, whose NLU gives a
    second opinion: it does not call a message an emergency that the detector finds clearly safe."""
    if not (text or "").strip() or (text.startswith("/") and " " not in text):   # button payloads
        return False, None
    margin = detector_margin(text)
    return keyword_hit(text) or (margin is not None and margin >= 0), margin


def is_emergency(text: str) -> bool:
    """True when the message describes danger now, in any of the nine languages."""
    return screen(text)[0]
