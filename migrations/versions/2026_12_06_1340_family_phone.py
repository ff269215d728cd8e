"""Appointments: one active appointment per person (phone and name) and service instead of per phone,
so that a family sharing one phone can book for each member (a cap per phone is checked in code).

Revision ID: 7e1f3a9d5c22
Revises: 4b7d2e9c1a60
Create Date: 2026-12-06 13:40:00
"""
from alembic import op
import sqlalchemy as sa


revision = '7e1f3a9d5c22'
down_revision = '4b7d2e9c1a60'
branch_labels = None
depends_on = None

BOOKED = sa.text("status = 'booked'")


def upgrade() -> None:
    with op.batch_alter_table('appointments') as batch:
        batch.add_column(sa.Column('name_key', sa.String(length=200), nullable=True))
    # existing rows: lower-cased names (new rows get validation.name_key: accents and spacing folded too)
    op.execute("UPDATE appointments SET name_key = lower(full_name) WHERE full_name IS NOT NULL")
    with op.batch_alter_table('appointments') as batch:
        batch.drop_index('uq_appointments_active_applicant', sqlite_where=BOOKED, postgresql_where=BOOKED)
        batch.create_index('uq_appointments_active_person', ['phone', 'service_slug', 'name_key'], unique=True,
                           sqlite_where=BOOKED, postgresql_where=BOOKED)


def downgrade() -> None:
    with op.batch_alter_table('appointments') as batch:
        batch.drop_index('uq_appointments_active_person', sqlite_where=BOOKED, postgresql_where=BOOKED)
        batch.create_index('uq_appointments_active_applicant', ['phone', 'service_slug'], unique=True,
                           sqlite_where=BOOKED, postgresql_where=BOOKED)
        batch.drop_column('name_key')
