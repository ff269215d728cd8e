"""Rasa's structured logs never carry what people wrote.

Rasa Open Source logs some events with the user's text or the conversation's slots (for example
`rest.message.received.timeout` at ERROR level, with the message). Its log pipeline already has one
place for this, the anonymizer processor in `rasa.utils.log_utils`, which Rasa Open Source leaves
empty (Rasa Pro fills it). `install()` puts a redactor there, before Rasa configures its logging:
the values of the same keys Rasa treats as personal are replaced by "[redacted]".
"""
from __future__ import annotations

from typing import Any

# the keys rasa.utils.log_utils._anonymizer would pass to an anonymization pipeline (Rasa 3.6.21)
PERSONAL_KEYS = frozenset({
    "text", "response_text", "user_text", "slot_values", "parse_data_text", "parse_data_entities",
    "prediction_events", "tracker_latest_message", "prefilled_slots", "message", "response",
    "slot_candidates", "rasa_event", "rasa_events", "tracker_states", "current_states", "old_states",
    "successes", "current_entity", "next_entity", "states", "entity", "token_text", "user_message",
    "json_message"})


def redact(_logger: Any, _method: str, event_dict: dict) -> dict:
    """A structlog processor: personal values out, everything else (event name, ids, timing) kept."""
    for key in PERSONAL_KEYS & event_dict.keys():
        event_dict[key] = "[redacted]"
    return event_dict


def install() -> None:
    from rasa.utils import log_utils
    log_utils._anonymizer = redact
