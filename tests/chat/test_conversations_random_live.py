"""Random conversations through the real stack: typed and tapped turns in nine languages. Every turn
gets a non-empty reply in the conversation's language, and no conversation stays stuck (a silent turn,
or the same reply three times in a row with no way on: neither the main choices nor leaving the queue).
60 conversations of 8-15 turns (about 690 turns, 6-7 per language), seeded, so a failure can be replayed;
the long run: RANDOM_CONVERSATIONS=1000 pytest tests/chat/test_conversations_random_live.py"""
from __future__ import annotations

import os
import random
from concurrent.futures import ThreadPoolExecutor

import pytest

from knowledge.language import script
from tests.helpers.live_stack import Chat

pytestmark = pytest.mark.live

CONVERSATIONS = int(os.environ.get("RANDOM_CONVERSATIONS", "60"))
SEED, AT_ONCE = 20261206, 4
# what people type, written for this test: openings, answers inside forms, and things forms do not expect
TYPED = {
    "tr": ["merhaba", "randevu almak istiyorum", "evet", "hayır", "salı", "yarın", "saat 10:30", "İstanbul",
           "Ayşe Kaya", "0532 111 22 33", "dur", "başka bir gün", "ikamet izni nasıl uzatılır", "???", "3"],
    "en": ["hi", "I need an appointment", "yes", "no", "Tuesday", "tomorrow", "at 10:30", "Ankara", "John Smith",
           "+90 532 111 22 33", "stop", "another day", "how do I renew my residence permit", "asdf", "2"],
    "ar": ["مرحبا", "بدي احجز موعد", "نعم", "لا", "الثلاثاء", "بكرا", "الساعة ١٠:٣٠", "غازي عنتاب", "محمد علي",
           "٠٥٣٢١١١٢٢٣٣", "توقف", "يوم تاني", "كيف بجدد الإقامة", "؟؟", "٢"],
    "fa": ["سلام", "میخوام نوبت بگیرم", "بله", "نه", "سه شنبه", "فردا", "ساعت ۱۰:۳۰", "استانبول", "علی رضایی",
           "۰۵۳۲۱۱۱۲۲۳۳", "توقف", "یه روز دیگه", "اقامتم رو چطور تمدید کنم", "...", "۲"],
    "ru": ["привет", "хочу записаться на приём", "да", "нет", "вторник", "завтра", "в 10:30", "Стамбул",
           "Иван Петров", "0532 111 22 33", "стоп", "другой день", "как продлить ВНЖ", "ааа", "2"],
    "uk": ["привіт", "хочу записатися на прийом", "так", "ні", "вівторок", "завтра", "о 10:30", "Анкара",
           "Олена Шевченко", "0532 111 22 33", "стоп", "інший день", "як продовжити посвідку", "ммм", "2"],
    "ps": ["سلام", "زه غواړم وخت ونیسم", "هو", "نه", "سه شنبه", "سبا", "په ۱۰:۳۰", "استانبول", "احمد خان",
           "۰۵۳۲۱۱۱۲۲۳۳", "بس", "بله ورځ", "اقامه څنګه تمدید کړم", "؟", "۲"],
    "de": ["hallo", "ich brauche einen Termin", "ja", "nein", "Dienstag", "morgen", "um 10:30", "Izmir",
           "Anna Müller", "0532 111 22 33", "stopp", "ein anderer Tag", "wie verlängere ich meine Aufenthaltserlaubnis",
           "hmm", "2"],
    "fr": ["bonjour", "je voudrais un rendez-vous", "oui", "non", "mardi", "demain", "à 10h30", "Bursa",
           "Marie Dubois", "0532 111 22 33", "stop", "un autre jour", "comment renouveler mon titre de séjour",
           "euh", "2"],
}
NON_LATIN = {"ar": "arabic", "fa": "arabic", "ps": "arabic", "ru": "cyrillic", "uk": "cyrillic"}
# a reply that offers a way on (the main choices, or leaving the queue for a person) cannot be a dead end
WAYS_ON = {"/book_appointment", "/stop", "/human_handoff"}


def next_message(rng: random.Random, lang: str, reply: dict) -> str:
    tappable = [b["payload"] for m in reply.get("messages", []) for b in m.get("buttons", [])
                if b.get("payload") and b["payload"] != "/human_handoff"]
    if tappable and rng.random() < 0.5:
        return rng.choice(tappable)
    return rng.choice(TYPED[lang])


def reply_problem(lang: str, reply: dict) -> str | None:
    texts = [m.get("text", "") for m in reply.get("messages", [])]
    if not any(t.strip() for t in texts) and reply.get("handoff") != "claimed":
        return "silent"
    if reply.get("lang") != lang:
        return f"answered in {reply.get('lang')}"
    if lang in NON_LATIN and texts and script(" ".join(texts)) != NON_LATIN[lang]:
        return "reply not in the user's script"
    return None


def converse(url: str, n: int) -> tuple[int, list[tuple]]:
    """Conversation number `n`: how many turns it took, and the problems seen."""
    rng = random.Random(f"{SEED}-{n}")
    lang = list(TYPED)[n % len(TYPED)]
    chat, reply, last, repeats, problems = Chat(url, lang), {}, None, 0, []
    turns = rng.randint(8, 15)
    for turn in range(turns):
        message = next_message(rng, lang, reply) if turn else rng.choice(TYPED[lang][:2])
        reply = chat.say(message)
        texts = tuple(m.get("text", "") for m in reply.get("messages", []))
        way_on = any(b.get("payload") in WAYS_ON for m in reply.get("messages", []) for b in m.get("buttons", []))
        repeats = repeats + 1 if texts == last and not way_on else 0
        last = texts
        problem = reply_problem(lang, reply) or ("stuck: the same reply three times" if repeats >= 2 else None)
        if problem:
            problems.append((n, turn, lang, message, problem))
    return turns, problems


def test_random_typed_and_tapped_conversations_never_stall(live_stack):
    with ThreadPoolExecutor(AT_ONCE) as pool:
        results = list(pool.map(lambda n: converse(live_stack.url, n), range(CONVERSATIONS)))
    turns = sum(t for t, _ in results)
    problems = [p for _, found in results for p in found]
    assert turns >= CONVERSATIONS * 8
    assert not problems, f"{len(problems)} of {turns} turns: {problems[:10]}"
