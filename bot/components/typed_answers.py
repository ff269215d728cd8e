"""Typed yes / no / stop in nine languages decide the intent of short messages.

People type their answers inside forms ("Так, змінити", "نعم", "recommencer", "evet") instead of
tapping. The NLU learns such words from a few dozen examples per language; the lexicon
(bot/lexicon/<lang>.yaml, shared with the actions) knows hundreds of everyday variants. After the
classifiers: a short message that starts with a yes or no word becomes affirm / deny, and a short
request to leave becomes stop, unless the NLU is sure of a request ("randevumu iptal et" stays
cancel_appointment); a message of references, codes or numbers only is an answer to a form (inform),
and so is an affirm / deny the lexicon does not recognise (the NLU reads some names as "yes").
"""
from __future__ import annotations

import re
from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

REQUESTS = {"book_appointment", "check_appointment", "cancel_appointment", "reschedule_appointment", "case_status",
            "human_handoff", "emergency"}
SURE = 0.5          # a request the NLU is at least this sure of is left alone
MAX_WORDS = 4       # yes/no only decide short messages ("yes I want to book for my son" is a request)
# references, case numbers, access codes, phone numbers and plain numbers: what forms ask for
_FORM_VALUE = re.compile(r"(GIB|GC)-[A-Z0-9-]+|[A-Z0-9]{4}-?[A-Z0-9]{4}|[+\d][\d\s().-]*", re.IGNORECASE)


def typed_intent(text: str, intent: str | None, confidence: float) -> str | None:
    """affirm / deny / stop for a typed short answer, or None to keep the NLU's intent."""
    from actions import lexicon      # bot/actions/lexicon.py (PYTHONPATH=bot): yaml and stdlib only
    if not text or text.startswith("/"):
        return None
    if not any(ch.isalpha() for ch in _FORM_VALUE.sub(" ", text)):
        return "inform"             # "GIB-7K3M-Q9", "K7P2-QX9A", "34", "0532 123 45 67", "٣٤"
    if intent in REQUESTS and confidence >= SURE:
        return None
    if lexicon.wants_to_stop(text):
        return "stop"
    typed = lexicon.yes_no(text)
    if len(text.split()) <= MAX_WORDS and typed is not None:
        return "affirm" if typed else "deny"
    if intent in ("affirm", "deny") and typed is None:
        return "inform"             # the NLU reads names as "yes" ("Olena Koval"): not a yes the lexicon knows
    return None


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class TypedAnswers(GraphComponent):
    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "TypedAnswers":
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = message.get(INTENT) or {}
            name = typed_intent(message.get(TEXT) or "", intent.get(INTENT_NAME_KEY),
                                float(intent.get(PREDICTED_CONFIDENCE_KEY) or 0))
            if name is None or name == intent.get(INTENT_NAME_KEY):
                continue
            chosen = {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: 1.0}
            ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get(INTENT_NAME_KEY) != name]
            message.set(INTENT, chosen, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [chosen, *ranking], add_to_output=True)
        return messages
