"""Appointment status labels, in the request's language (pages, API and staff console share them)."""
from __future__ import annotations

from flask_babel import gettext as _


def status_label(status: str) -> str:
    labels = {"booked": _("Booked"), "cancelled": _("Cancelled"), "attended": _("Attended"),
              "no_show": _("Did not attend")}
    return labels.get(status, status)
