"""Case status labels, in the request's language (pages, API and staff console share them)."""
from __future__ import annotations

from flask_babel import gettext as _


def case_status_label(status: str) -> str:
    labels = {
        "registered": _("Registered"),
        "appointment_booked": _("Appointment booked"),
        "interview": _("Interview"),
        "decision_pending": _("Decision pending"),
        "decided": _("Decided"),
        "document_ready": _("Document ready"),
        "closed": _("Closed"),
    }
    return labels.get(status, status)
