"""The domain and the action server agree: every custom action the domain names is implemented."""
from pathlib import Path

import yaml
from rasa_sdk.executor import ActionExecutor

DOMAIN = Path(__file__).resolve().parents[2] / "bot" / "domain"


def test_every_domain_action_is_registered():
    declared = set()
    for path in DOMAIN.glob("*.yml"):
        declared |= set(yaml.safe_load(path.read_text()).get("actions") or [])
    executor = ActionExecutor()
    executor.register_package("bot.actions")
    assert declared and declared <= set(executor.actions), sorted(declared - set(executor.actions))
