"""The audit log's codes in the console's language: actions (appointment.lookup -> "Appointment looked
up") and record types. The log itself keeps the codes (filters, CSV); an unknown code is shown as is."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

ACTIONS = {
    "access.denied": _l("Access refused"),
    "appointment.create": _l("Appointment booked"),
    "appointment.cancel": _l("Appointment cancelled"),
    "appointment.reschedule": _l("Appointment moved"),
    "appointment.lookup": _l("Appointment looked up"),
    "appointment.search": _l("Appointments searched"),
    "appointment.list": _l("Day list of appointments viewed"),
    "appointment.attended": _l("Appointment marked attended"),
    "appointment.no_show": _l("Appointment marked not attended"),
    "callback.view": _l("Call-back requests viewed"),
    "callback.done": _l("Call-back marked done"),
    "case.create": _l("Case registered"),
    "case.update": _l("Case updated"),
    "case.lookup": _l("Case looked up"),
    "case.read": _l("Case viewed"),
    "case.status": _l("Case status changed"),
    "chat.view": _l("Chat viewed"),
    "chat.claim": _l("Chat taken"),
    "chat.reply": _l("Reply sent in a chat"),
    "chat.hand_back": _l("Chat handed back to the assistant"),
    "chat.close": _l("Chat closed"),
    "queue.view": _l("Unanswered questions viewed"),
    "queue.decide": _l("Question group decided"),
    "audit.view": _l("Audit log viewed"),
    "audit.export": _l("Audit log downloaded"),
    "purge": _l("Old personal data deleted"),
}

RECORD_TYPES = {
    "appointment": _l("Appointment"),
    "office": _l("Office"),
    "case": _l("Case"),
    "chat_handoff": _l("Chat handover"),
    "chat_callback": _l("Call-back request"),
    "endpoint": _l("Console page"),
    "queue": _l("Unanswered questions"),
    "queue_decision": _l("Queue decision"),
    "queue_questions": _l("Queued questions"),
    "database": _l("Database"),
    "audit_log": _l("Audit log"),
}


def action_label(code: str) -> str:
    """The action in the console's language (the code itself when it has no label)."""
    label = ACTIONS.get(code)
    return str(label) if label is not None else code


def record_type_label(code: str) -> str:
    """The record type in the console's language (the code itself when it has no label)."""
    label = RECORD_TYPES.get(code)
    return str(label) if label is not None else code
