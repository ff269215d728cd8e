"""Offices (from the knowledge base, with booking settings), holidays and appointments."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base
from ..timeutil import utcnow

STATUSES = ("booked", "cancelled", "attended", "no_show")
ACTIVE = "booked"


class Office(Base):
    __tablename__ = "offices"
    code: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(200))
    province: Mapped[str] = mapped_column(String(100))
    hours: Mapped[str] = mapped_column(String(100), default="08:30-12:30, 13:30-17:30")
    slot_minutes: Mapped[int] = mapped_column(Integer, default=20)
    counters: Mapped[int] = mapped_column(Integer, default=2)
    closed_weekdays: Mapped[str] = mapped_column(String(20), default="5,6")   # Monday = 0
    bookable: Mapped[bool] = mapped_column(default=True)


class Holiday(Base):
    """A closed day: nationwide (office_code NULL) or for one office."""
    __tablename__ = "holidays"
    __table_args__ = (UniqueConstraint("day", "office_code", name="uq_holidays_day_office"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    office_code: Mapped[int | None] = mapped_column(ForeignKey("offices.code"), nullable=True)
    name: Mapped[str] = mapped_column(String(100), default="")


class Appointment(Base):
    __tablename__ = "appointments"
    __table_args__ = (
        # capacity: one active appointment per seat of a slot; seats are 0..counters-1
        Index("uq_appointments_active_seat", "office_code", "start_at", "seat", unique=True,
              sqlite_where=text("status = 'booked'"), postgresql_where=text("status = 'booked'")),
        # one active appointment per person (phone and name: families share one phone) and service
        Index("uq_appointments_active_person", "phone", "service_slug", "name_key", unique=True,
              sqlite_where=text("status = 'booked'"), postgresql_where=text("status = 'booked'")),
        Index("ix_appointments_office_start", "office_code", "start_at"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    office_code: Mapped[int] = mapped_column(ForeignKey("offices.code"))
    service_slug: Mapped[str] = mapped_column(String(80))
    start_at: Mapped[datetime] = mapped_column(DateTime)          # naive UTC
    seat: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(12), default=ACTIVE)
    full_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    phone: Mapped[str | None] = mapped_column(String(20), nullable=True)   # E.164
    name_key: Mapped[str | None] = mapped_column(String(200), nullable=True)   # validation.name_key(full_name)
    email: Mapped[str | None] = mapped_column(String(254), nullable=True)
    lang: Mapped[str] = mapped_column(String(5), default="tr")
    access_hash: Mapped[str | None] = mapped_column(String(255), nullable=True)
    idem_key_hash: Mapped[str | None] = mapped_column(String(64), unique=True, nullable=True)
    idem_request_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    purged_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
