"""Cases with a public timeline (in the applicant's language) and separate staff-only notes."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base
from ..timeutil import utcnow

STATUSES = ("registered", "appointment_booked", "interview", "decision_pending", "decided",
            "document_ready", "closed")
# Setting these needs a supervisor.
DECISION_STATUSES = ("decided", "closed")
FINAL_STATUSES = ("decided", "document_ready", "closed")


class Case(Base):
    __tablename__ = "cases"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    service_slug: Mapped[str] = mapped_column(String(80))
    office_code: Mapped[int | None] = mapped_column(ForeignKey("offices.code"), nullable=True)
    status: Mapped[str] = mapped_column(String(20), default="registered")
    full_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    phone: Mapped[str | None] = mapped_column(String(20), nullable=True)
    email: Mapped[str | None] = mapped_column(String(254), nullable=True)
    lang: Mapped[str] = mapped_column(String(5), default="tr")
    access_hash: Mapped[str | None] = mapped_column(String(255), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    purged_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class CaseEvent(Base):
    """A public timeline entry: status at that time and a note in the applicant's language."""
    __tablename__ = "case_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    status: Mapped[str] = mapped_column(String(20))
    public_note: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"), nullable=True)


class CaseStaffNote(Base):
    """Internal note: never shown to the applicant or returned by a public endpoint."""
    __tablename__ = "case_staff_notes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"), nullable=True)
    text: Mapped[str] = mapped_column(Text)
