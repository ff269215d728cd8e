"""Input checks for bookings: names in any script, phone numbers, e-mail, consent, language."""
from __future__ import annotations

import re
import unicodedata

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _

from ..i18n import LANGUAGES

_NAME_OK = re.compile(r"^[\w\s'’.\-‐]+$", re.UNICODE)


def clean_name(value) -> tuple[str | None, str | None]:
    """(normalised name, error) - letters of any script, spaces, apostrophes, dots and hyphens."""
    text = unicodedata.normalize("NFC", str(value or "")).strip()
    text = " ".join(text.split())
    if not text:
        return None, _("Enter your full name")
    if len(text) > 200:
        return None, _("Full name must be 200 characters or fewer")
    if not _NAME_OK.match(text) or any(ch.isdigit() for ch in text) or "_" in text:
        return None, _("Full name must only include letters, spaces, hyphens and apostrophes")
    return text, None


def name_key(name: str | None) -> str | None:
    """The name as the family rule compares it: case, accents and spacing do not matter."""
    if not name:
        return None
    folded = unicodedata.normalize("NFKD", name.replace("İ", "i").replace("ı", "i").casefold())
    return " ".join("".join(ch for ch in folded if not unicodedata.combining(ch)).split())[:200]


def clean_phone(value) -> tuple[str | None, str | None]:
    """(E.164 number, error): Turkish numbers with or without 0/+90, or international with +."""
    text = str(value or "").strip()
    if not text:
        return None, _("Enter a phone number")
    if len(text) > 30:
        return None, _("Enter a phone number, like 0532 123 45 67 or +90 532 123 45 67")
    try:
        number = phonenumbers.parse(text, "TR")
    except phonenumbers.NumberParseException:
        return None, _("Enter a phone number, like 0532 123 45 67 or +90 532 123 45 67")
    if not phonenumbers.is_valid_number(number):
        return None, _("Enter a phone number, like 0532 123 45 67 or +90 532 123 45 67")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164), None


def clean_email(value) -> tuple[str | None, str | None]:
    text = str(value or "").strip()
    if not text:
        return None, None
    if len(text) > 254:
        return None, _("Enter an email address in the correct format, like name@example.com")
    try:
        return validate_email(text, check_deliverability=False).normalized, None
    except EmailNotValidError:
        return None, _("Enter an email address in the correct format, like name@example.com")


def clean_lang(value, default: str) -> str:
    return value if isinstance(value, str) and value in LANGUAGES else default


def display_phone(e164: str | None) -> str:
    if not e164:
        return ""
    try:
        return phonenumbers.format_number(phonenumbers.parse(e164), phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    except phonenumbers.NumberParseException:
        return e164
