"""The people of bench/cluster.py, as Locust users sending through nginx (used as a library there).

- Reader: a home page, a service guide, then the stylesheet the page names (fingerprinted, gzip).
- Searcher: the search API and the search page, in nine languages.
- Chatter: a multi-turn conversation: questions, or a whole booking by chat (service, province, day,
  time, name, phone, yes), answering whatever the assistant asks, as a person pressing its buttons.
- WebBooker: the booking form, step by step with its CSRF token, to the confirmation page.
- ApiBooker: the booking API with an Idempotency-Key, re-sent with the same key after a failure.
Each request is named by its kind (`name=`), which bench/cluster.py groups its numbers by.
Conversations and bookings are recorded in CONVERSATIONS and BOOKINGS for the checks at the end.
The questions are written for this load, general ones (not from any evaluation set).
"""
from __future__ import annotations

import itertools
import random
import re
import time
import uuid

from locust import HttpUser, between, constant, task

# Filled in by bench/cluster.py before the users start (from the portal's own API).
DATA: dict = {"services": [], "bookable": [], "offices": []}
CONVERSATIONS: list[dict] = []
BOOKINGS: list[dict] = []
PHONE_PREFIX = "0539"                  # every phone of this load: bench/cluster.py counts by it
_numbers = itertools.count(random.randrange(1000, 9000) * 1000)
_SYLLABLES = ("ka", "le", "mi", "no", "ru", "sa", "te", "vi", "ya", "zo")
LANGS = ("tr", "en", "ar", "fa", "ru", "uk", "ps", "de", "fr")
QUESTIONS = {
    "tr": ["ikamet izni nasıl uzatılır", "yabancı kimlik numarası nereden alınır", "randevu için hangi belgeler gerekli"],
    "en": ["how can I extend my residence permit", "what documents do I need for a short-term permit",
           "where do I get a foreigner identity number"],
    "ar": ["كيف يمكنني تمديد الإقامة", "ما هي الأوراق المطلوبة للإقامة القصيرة"],
    "fa": ["چطور اقامتم را تمدید کنم", "برای اقامت کوتاه مدت چه مدارکی لازم است"],
    "ru": ["как продлить вид на жительство", "какие документы нужны для краткосрочного внж"],
    "uk": ["як продовжити дозвіл на проживання", "які документи потрібні для посвідки"],
    "ps": ["د اوسیدو اجازه څنګه اوږده کړم"],
    "de": ["wie verlängere ich meine aufenthaltserlaubnis", "welche unterlagen brauche ich für den termin"],
    "fr": ["comment prolonger mon titre de séjour", "quels documents pour un permis de séjour de courte durée"],
}
BOOKING_OPENINGS = {"en": ("I would like to book an appointment", "yes"),
                    "tr": ("randevu almak istiyorum", "evet")}
PROVINCES = ("Ankara", "İzmir", "Bursa", "Antalya", "Konya", "Gaziantep", "Adana", "Kocaeli")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
_REFERENCE = re.compile(r"GIB-[A-Z0-9]{4}-[A-Z0-9]{2}")
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
_STYLESHEET = re.compile(r'href="(/static/css/site\.css\?v=[0-9a-f]+)"')


def new_person() -> tuple[str, str]:
    """A unique (name, phone): letters only in the name, the load's own phone prefix."""
    n = next(_numbers)
    digits = f"{n:07d}"[-7:]
    name = "Yük " + "".join(_SYLLABLES[int(d)] for d in digits[-4:]).capitalize() + " " + \
        "".join(_SYLLABLES[int(d)] for d in digits[:3]).capitalize()
    return name, f"{PHONE_PREFIX} {digits[:3]} {digits[3:5]} {digits[5:]}"


def payloads(reply: dict) -> list[str]:
    return [b["payload"] for m in reply.get("messages", []) for b in m.get("buttons", []) or [] if b.get("payload")]


def texts(reply: dict) -> str:
    return "\n".join(m.get("text") or "" for m in reply.get("messages", []))


class Person(HttpUser):
    abstract = True
    wait_time = between(0.2, 1.0)

    def say(self, message: str, lang: str, retries: int = 3) -> dict | None:
        """One chat turn; a failed or degraded answer is retried like a person would, a moment later."""
        for attempt in range(retries):
            with self.client.post("/api/v1/chat", json={"message": message, "lang": lang}, name="chat",
                                  catch_response=True) as resp:
                if resp.status_code == 200 and not resp.json().get("degraded"):
                    return resp.json()
                resp.failure("degraded answer" if resp.status_code == 200 else f"HTTP {resp.status_code}")
            time.sleep(1.0 + attempt)
        return None

    def slots(self, office: int, service: str) -> list[dict]:
        resp = self.client.get(f"/api/v1/offices/{office}/slots", params={"service": service}, name="slots")
        return [s for s in resp.json().get("slots", []) if s["available"]] if resp.status_code == 200 else []


class Reader(Person):
    @task
    def read_a_guide(self):
        lang = random.choice(LANGS)
        self.client.get(f"/{lang}/", name="page")
        page = self.client.get(f"/{lang}/services/{random.choice(DATA['services'])}", name="guide")
        found = _STYLESHEET.search(page.text or "")
        if found:
            self.client.get(found.group(1), name="static", headers={"Accept-Encoding": "gzip"})


class Searcher(Person):
    @task(3)
    def search_api(self):
        lang = random.choice(LANGS)
        self.client.post("/api/v1/search", json={"q": random.choice(QUESTIONS[lang]), "lang": lang}, name="search")

    @task(1)
    def search_page(self):
        lang = random.choice(LANGS)
        self.client.get(f"/{lang}/search", params={"q": random.choice(QUESTIONS[lang])}, name="search_page")


class Chatter(Person):
    @task(1)
    def ask_questions(self):
        self.client.cookies.clear()                     # a new person, a new conversation
        lang = random.choice(LANGS)
        record = {"kind": "questions", "lang": lang, "start": time.time(), "turns": [], "ok": True}
        for question in random.sample(QUESTIONS[lang], min(2, len(QUESTIONS[lang]))):
            reply = self.say(question, lang)
            record["turns"].append(time.time())
            if reply is None or not reply.get("messages"):
                record["ok"] = False
                break
        record["end"] = time.time()
        CONVERSATIONS.append(record)

    @task(1)
    def book_by_chat(self):
        self.client.cookies.clear()
        lang = random.choice(tuple(BOOKING_OPENINGS))
        opening, yes = BOOKING_OPENINGS[lang]
        name, phone = new_person()
        record = {"kind": "booking", "lang": lang, "start": time.time(), "turns": [], "ok": False,
                  "name": name, "phone": phone, "reference": None}
        sent: set[str] = set()
        message = opening
        for _turn in range(16):
            reply = self.say(message, lang)
            record["turns"].append(time.time())
            if reply is None:
                break
            found = _REFERENCE.search(texts(reply))
            if found and "phone" in sent:
                record.update(ok=True, reference=found.group(0))
                BOOKINGS.append({"channel": "chat", "reference": found.group(0), "name": name, "phone": phone})
                break
            message = self.next_message(reply, sent, name, phone, yes)
            if message is None:
                record["stuck"] = texts(reply)[:120]
                break
        record["end"] = time.time()
        CONVERSATIONS.append(record)

    @staticmethod
    def next_message(reply: dict, sent: set[str], name: str, phone: str, yes: str) -> str | None:
        """What a person answers to this reply: a button when it offers the step we are at, else the
        piece of information it is asking for next."""
        options = payloads(reply)
        times = [p for p in options if _TIME.match(p)]
        days = [p for p in options if _DAY.match(p)]
        services = [p for p in options if p in DATA["bookable"]]
        if "/affirm" in options and "phone" in sent:
            return yes                                  # the summary
        if times:
            sent.add("time")
            return random.choice(times[:4])
        if days:
            sent.add("day")
            return random.choice(days[:3])
        if "/affirm" in options:
            sent.add("service")
            return yes                                  # "an appointment for ...: is that right?"
        if services and "service" not in sent:
            sent.add("service")
            return random.choice(services)
        for step, value in (("province", random.choice(PROVINCES)), ("name", name), ("phone", phone)):
            if step not in sent and (step == "province" or "time" in sent):
                sent.add(step)
                return value
        return None


class WebBooker(Person):
    @task
    def book_on_the_web(self):
        self.client.cookies.clear()
        office, service = random.choice(DATA["offices"]), random.choice(DATA["bookable"])
        free = self.slots(office, service)
        if not free:
            return
        start = random.choice(free[:40])["start"][:16]        # the form's UTC minute
        query = {"service": service, "office": office, "start": start}
        name, phone = new_person()
        page = self.client.get("/en/book/details", params=query, name="book_step")
        token = _CSRF.search(page.text or "")
        if not token:
            return
        check = self.client.post("/en/book/details", params=query, name="book_step",
                                 data={"csrf_token": token.group(1), "name": name, "phone": phone, "consent": "yes"})
        token = _CSRF.search(check.text or "")
        if not token:
            return
        with self.client.post("/en/book/check", params=query, data={"csrf_token": token.group(1)},
                              name="book_web", catch_response=True) as done:
            found = re.search(r'id="reference">([A-Z0-9-]+)<', done.text or "")
            if found:
                BOOKINGS.append({"channel": "web", "reference": found.group(1), "name": name, "phone": phone})
            elif done.status_code < 500:
                done.success()                          # the time filled up meanwhile: the form says so


class ApiBooker(Person):
    @task
    def book_by_api(self):
        office, service = random.choice(DATA["offices"]), random.choice(DATA["bookable"])
        free = self.slots(office, service)
        if not free:
            return
        name, phone = new_person()
        body = {"office": office, "service": service, "start": random.choice(free[:40])["start"], "name": name,
                "phone": phone, "lang": "en", "consent": True}
        key = str(uuid.uuid4())
        for attempt in range(3):                        # the same key every time: books once
            with self.client.post("/api/v1/appointments", json=body, headers={"Idempotency-Key": key},
                                  name="book_api", catch_response=True) as resp:
                if resp.status_code == 201:
                    BOOKINGS.append({"channel": "api", "reference": resp.json()["reference"], "name": name,
                                     "phone": phone, "attempts": attempt + 1})
                    return
                if resp.status_code == 409:
                    resp.success()                      # the slot filled up meanwhile: an answer, not an error
                    return
                if resp.status_code < 500 and resp.status_code != 0:
                    return
            time.sleep(0.5 + attempt)


class SearchOnly(Person):
    """Capacity steps: searches back to back."""
    wait_time = constant(0)

    @task
    def search(self):
        lang = random.choice(LANGS)
        self.client.post("/api/v1/search", json={"q": random.choice(QUESTIONS[lang]), "lang": lang}, name="search")


class ChatOnly(Person):
    """Capacity steps: chat messages back to back (a question, a new conversation each time)."""
    wait_time = constant(0)

    @task
    def ask(self):
        self.client.cookies.clear()
        lang = random.choice(LANGS)
        self.say(random.choice(QUESTIONS[lang]), lang, retries=1)


MIXED = [Reader, Searcher, Chatter, WebBooker, ApiBooker]
WEIGHTS = {"Reader": 4, "Searcher": 3, "Chatter": 3, "WebBooker": 1, "ApiBooker": 1}
for _cls in MIXED:
    _cls.weight = WEIGHTS[_cls.__name__]
