"""Agent feedback on suggestions: "this helped" or "wrong suggestion" with the right service."""
from __future__ import annotations

from flask_babel import gettext as _

from knowledge.schema import LANGS

from .. import db
from ..chat.masking import mask
from ..errors import ValidationFailed
from ..knowledge_access import knowledge
from ..search.operations import validate_query
from .console_models import Feedback
from .queue import queue_feedback
from .models import StaffUser

VERDICTS = ("helped", "wrong")


def _slug(value: object, field: str, required: bool) -> str:
    slug = value if isinstance(value, str) else ""
    if not slug and not required:
        return ""
    if knowledge().service(slug) is None:
        message = _("Please choose a service from the list.")
        raise ValidationFailed(message, {field: message})
    return slug


def record_feedback(agent: StaffUser, question: object, lang: object, verdict: object,
                    service: object = "", correct_service: object = "", ranking: object = "") -> Feedback:
    """Store the agent's verdict with the (masked) question, the ranking shown and the time."""
    text = validate_query(question)
    if verdict not in VERDICTS:
        message = _("Please say whether the suggestion helped.")
        raise ValidationFailed(message, {"verdict": message})
    lang = lang if lang in LANGS else ""
    service = _slug(service, "service", verdict == "helped")
    correct = _slug(correct_service, "correct_service", False)   # "wrong" without one: a negative verdict
    shown = [s for s in (ranking.split(",") if isinstance(ranking, str) else []) if knowledge().service(s)]
    row = Feedback(agent_id=agent.id, question=mask(text), lang=lang, verdict=verdict, service=service,
                   correct_service=correct, ranking=",".join(shown[:10]))
    sess = db.begin_write()
    sess.add(row)
    queue_feedback(sess, row.question, lang, verdict, correct, row.ranking)
    sess.commit()
    return row
