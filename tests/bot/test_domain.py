"""The domain and the action server agree: every custom action the domain names is implemented."""
from pathlib import Path

import yaml
from rasa_sdk.executor import ActionExecutor

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = ROOT / "bot" / "domain"


def test_every_domain_action_is_registered():
    declared = set()
    for path in DOMAIN.glob("*.yml"):
        declared |= set(yaml.safe_load(path.read_text()).get("actions") or [])
    executor = ActionExecutor()
    executor.register_package("bot.actions")
    assert declared and declared <= set(executor.actions), sorted(declared - set(executor.actions))


def test_the_ask_question_examples_from_the_content_are_current():
    """After changing the services' example questions: `.venv/bin/python bot/content_questions.py`."""
    import importlib.util
    spec = importlib.util.spec_from_file_location("content_questions", ROOT / "bot" / "content_questions.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    stale = [str(path) for path, text in module.targets().items()
             if not path.exists() or path.read_text(encoding="utf-8") != text]
    assert not stale, f"run `.venv/bin/python bot/content_questions.py`: {stale}"
