"""Every message of the assistant (bot actions, portal chat, widget) exists in all nine languages."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from portal.i18n import LANGUAGES

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def chat_msgids() -> set[str]:
    ids: set[str] = set()
    for folder, method in (("bot/actions", "python"), ("portal/chat", "python"), ("knowledge/emergency", "python"),
                           ("portal/chat/templates", "jinja2")):
        pattern = "**.html" if method == "jinja2" else "**.py"
        for _file, _line, message, _comments, _ctx in extract_from_dir(
                str(ROOT / folder), method_map=[(pattern, method)],
                options_map={pattern: {"extensions": "jinja2.ext.i18n"}} if method == "jinja2" else None):
            if isinstance(message, str):
                ids.add(message)
    return ids


def test_there_are_chat_messages():
    ids = chat_msgids()
    assert len(ids) > 50 and "Talk to a person" in ids


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_every_chat_message_is_translated(lang):
    with (ROOT / "translations" / lang / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    problems = []
    for msgid in sorted(chat_msgids()):
        message = catalog.get(msgid)
        if message is None or not message.string or message.fuzzy:
            problems.append(f"missing: {msgid!r}")
        elif sorted(PLACEHOLDER.findall(message.string)) != sorted(PLACEHOLDER.findall(msgid)):
            problems.append(f"placeholders: {msgid!r}")
    assert not problems, f"{lang}: {problems[:5]}"


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_emergency_reply_starts_with_112_then_157_and_183_translated(lang):
    from bot.actions.i18n import gettext_for
    from bot.actions.messages import emergency
    from rasa_sdk.executor import CollectingDispatcher

    class T:
        _ = staticmethod(gettext_for(lang))
    dispatcher = CollectingDispatcher()
    emergency(dispatcher, T)
    first, lines = dispatcher.messages[0], dispatcher.messages[1]["text"].split("\n")
    assert first["text"].startswith("112") and first["buttons"][0]["url"] == "tel:112"
    assert lines[0].startswith("157") and lines[1].startswith("ALO 183")
    assert dispatcher.messages[0]["text"] != gettext_for("en")(
        "112 – Emergency (police, ambulance, fire): call now if you or someone else is in danger.") or lang == "en"
