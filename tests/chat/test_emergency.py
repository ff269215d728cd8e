"""The emergency screen: the detector on the query vector (situations in any wording, person and tense),
the keyword fast path, and what the chat does with an emergency (112 first, urgent hand-over, the
question answered after the numbers, the keywords alone when the index is missing)."""
import pytest
from sqlalchemy import select

from portal.chat.emergency import detector_margin, is_emergency, keyword_hit
from portal.chat.models import Handoff

# written for this test (not from the training or evaluation sets): situations, third person, just happened
DANGER = [
    ("tr", "komşunun oğlu balkondan sarkıyor ağlıyor kimse yok evde"),
    ("tr", "arkadaşım az önce bir kutu hap yuttu, gözleri kapanıyor"),
    ("en", "there's a guy outside my door with a crowbar saying he'll get in and finish me"),
    ("en", "my cousin texted that her boss took her passport and locks them in the workshop at night"),
    ("ar", "جارتنا عم تصرخ وزوجها عم يضربها بالسكين هلق"),
    ("ar", "ابني الصغير وقع بالمسبح وما عم يتنفس"),
    ("fa", "یک نفر از ایستگاه تا خونه دنبالم کرده الان پشت در ایستاده"),
    ("fa", "بوی گاز همه جای آپارتمان پیچیده و مادرم بیهوش افتاده"),
    ("ru", "подругу силой затащили в машину у рынка, номер не успела увидеть"),
    ("ru", "лодка набирает воду, нас двадцать человек, берега не видно"),
    ("uk", "сусід кричить що підпалить квартиру разом з дітьми"),
    ("uk", "брат порізав собі руки і кров не зупиняється"),
    ("ps", "زما ورور یې تښتولی او اوس پیسې غواړي که نه یې وژني"),
    ("ps", "مېړه مې په چاړه ګواښ کوي او دروازه یې تړلې ده"),
    ("de", "ein Mann hat meine Schwester gerade auf der Straße vergewaltigt, sie ist bei mir"),
    ("de", "das Kind nebenan ist seit Stunden allein und schreit, die Wohnung riecht nach Rauch"),
    ("fr", "ma colocataire a avalé tous ses médicaments et ne répond plus"),
    ("fr", "on nous fait travailler sans sortir depuis trois semaines, ils gardent nos papiers"),
]
# hard negatives: past events asked about for a permit, victim-support questions, idioms, ordinary questions
SAFE = [
    ("en", "years ago my ex-husband hit me, does that help my own residence permit application?"),
    ("tr", "şiddet mağdurlarına yönelik sığınma evleri hakkında bilgi alabilir miyim"),
    ("de", "meine Frist brennt mir unter den Nägeln, wann kommt die Entscheidung?"),
    ("fr", "ce délai me tue, combien de temps pour renouveler mon titre de séjour"),
    ("ru", "как продлить вид на жительство, если паспорт скоро истекает"),
    ("ar", "كيف أجدد الإقامة إذا انتهت صلاحية جواز السفر"),
    ("fa", "برای کارت اقامت کودک تازه متولد شده چه مدارکی لازم است"),
    ("uk", "скільки коштує продовження посвідки на проживання"),
    ("ps", "د سفر اجازه څو ورځې اعتبار لري"),
]


@pytest.mark.parametrize("lang,text", DANGER)
def test_situations_are_emergencies_in_every_language(chat_app, lang, text):
    with chat_app.test_request_context():
        assert is_emergency(text), (lang, text, detector_margin(text))


@pytest.mark.parametrize("lang,text", SAFE)
def test_past_events_support_questions_idioms_and_ordinary_questions_are_not(chat_app, lang, text):
    with chat_app.test_request_context():
        assert not is_emergency(text), (lang, text, detector_margin(text))


def test_idioms_with_danger_words_do_not_trip_the_keywords():
    for text in ("die Zeit brennt", "mon délai coule", "غرق در کار هستم"):
        assert not keyword_hit(text)


def test_without_the_index_the_keywords_still_decide(make_app, tmp_path):
    app = make_app(INDEX_DIR=str(tmp_path / "no-index"))
    with app.test_request_context():
        assert detector_margin("my husband is beating me") is None
        assert is_emergency("please help, my boyfriend is beating me")
        assert not is_emergency("how do I renew my residence permit")


def test_button_payloads_are_never_emergencies(chat_app):
    with chat_app.test_request_context():
        assert not is_emergency("/affirm") and not is_emergency("")


def test_emergency_with_rasa_down_gives_112_first_and_an_urgent_handover(chat_app, fake_rasa):
    fake_rasa.down = True
    body = chat_app.test_client().post("/api/v1/chat", json={
        "message": "мою сестру бьёт муж прямо сейчас, она заперлась в ванной", "lang": "ru"}).get_json()
    assert body["emergency"] is True and body["intent"] == "emergency" and body["lang"] == "ru"
    assert body["messages"][0]["text"].startswith("112")
    assert [b["url"] for b in body["messages"][0]["buttons"]] == ["tel:112"]
    assert fake_rasa.calls == [] and body["handoff"] == "waiting"
    with chat_app.app_context():
        from portal.db import session
        assert session().scalar(select(Handoff)).urgent is True


def test_an_emergency_that_also_asks_a_question_gets_the_answer_after_the_numbers(chat_app, fake_rasa):
    body = chat_app.test_client().post("/api/v1/chat", json={
        "message": "my husband is beating me right now, can I get my own residence permit as a victim of "
                   "domestic violence?", "lang": "en"}).get_json()
    assert body["messages"][0]["text"].startswith("112")
    assert len(body["messages"]) > 3 and body["sources"], body     # the answer comes after 112, 157/183, a person
    assert body["messages"][3]["buttons"][0]["url"].startswith("/en/services/")


def test_after_an_emergency_the_bot_keeps_answering_while_staff_are_told(chat_app, fake_rasa):
    client = chat_app.test_client()
    client.post("/api/v1/chat", json={"message": "he has a knife and says he will kill me", "lang": "en"})
    body = client.post("/api/v1/chat", json={"message": "where is the nearest office", "lang": "en"}).get_json()
    assert len(fake_rasa.calls) == 1 and body["messages"] and body["handoff"] == "waiting"


def test_the_detector_margin_goes_to_the_bot_with_each_message(chat_app, fake_rasa):
    chat_app.test_client().post("/api/v1/chat", json={"message": "how do I renew my residence permit", "lang": "en"})
    assert isinstance(fake_rasa.margins[-1], float) and fake_rasa.margins[-1] < 0
