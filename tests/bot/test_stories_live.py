"""The end-to-end test stories (bot/tests/*.yml) against the session's running Rasa (the `live_stack`, with
the real action server and portal): each user text goes through the NLU, and the intents and actions
Rasa records must be exactly the story's, as `rasa test --e2e --fail-on-prediction-errors` checked; this
needs no second Rasa loading the model, and the forms really run (`rasa test` only emulates a form's
rejection: it passed a question that the reschedule form read as an access code). `active_loop` steps
describe the form's state for training and are not compared, as in `rasa test`."""
from __future__ import annotations

import uuid
from pathlib import Path

import pytest
import requests
import yaml

from tests.helpers.live_stack import ROOT

pytestmark = pytest.mark.live

STORY_FILES = sorted((ROOT / "bot" / "tests").glob("*.yml"))
NOT_IN_STORIES = {"action_listen", "action_session_start"}   # Rasa's own bookkeeping, implicit in stories


def load_stories(files: list[Path]) -> list[dict]:
    return [story for path in files for story in yaml.safe_load(path.read_text(encoding="utf-8"))["stories"]]


def expected_steps(story: dict) -> list[tuple[str, str]]:
    steps = []
    for step in story["steps"]:
        if "user" in step:
            steps.append(("intent", step["intent"]))
        elif "action" in step:
            steps.append(("action", step["action"]))
        elif "active_loop" not in step:
            raise AssertionError(f"a step this runner does not check: {step}")
    return steps


def recorded_steps(events: list[dict]) -> list[tuple[str, str]]:
    steps = []
    for event in events:
        if event["event"] == "user":
            steps.append(("intent", event["parse_data"]["intent"]["name"]))
        elif event["event"] == "action" and event["name"] not in NOT_IN_STORIES:
            steps.append(("action", event["name"]))
    return steps


def test_the_runner_reads_every_kind_of_step_and_skips_rasas_bookkeeping():
    story = {"steps": [{"user": "hi\n", "intent": "greeting"}, {"action": "booking_form"},
                       {"active_loop": "booking_form"}, {"active_loop": None}]}
    assert expected_steps(story) == [("intent", "greeting"), ("action", "booking_form")]
    events = [{"event": "action", "name": "action_session_start"}, {"event": "session_started"},
              {"event": "action", "name": "action_listen"},
              {"event": "user", "parse_data": {"intent": {"name": "greeting"}}},
              {"event": "action_execution_rejected", "name": "booking_form"},
              {"event": "action", "name": "booking_form"}, {"event": "active_loop", "name": "booking_form"},
              {"event": "slot", "name": "requested_slot", "value": "bk_service"},
              {"event": "active_loop", "name": None}, {"event": "bot", "text": "..."}]
    assert recorded_steps(events) == expected_steps(story)
    with pytest.raises(AssertionError):
        expected_steps({"steps": [{"slot_was_set": [{"a": 1}]}]})


STORIES = load_stories(STORY_FILES)


@pytest.mark.parametrize("story", STORIES, ids=[s["story"] for s in STORIES])
def test_story(live_stack, story):
    sender = f"story-{uuid.uuid4().hex}"
    for step in story["steps"]:
        if "user" in step:
            resp = requests.post(f"{live_stack.rasa_url}/webhooks/rest/webhook",
                                 json={"sender": sender, "message": step["user"].strip()}, timeout=60)
            assert resp.status_code == 200, resp.text
    tracker = requests.get(f"{live_stack.rasa_url}/conversations/{sender}/tracker",
                           params={"token": live_stack.rasa_token}, timeout=30)
    assert tracker.status_code == 200, tracker.text
    assert recorded_steps(tracker.json()["events"]) == expected_steps(story)


def test_there_are_stories():
    assert STORY_FILES and len(STORIES) >= 10
