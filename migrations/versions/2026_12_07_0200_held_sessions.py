"""Personal session values (booking details, grants) held on the server; the cookie keeps an opaque id.

Revision ID: b3d8f1a6c4e9
Revises: 9c4e7b1d2f85
Create Date: 2026-12-07 02:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'b3d8f1a6c4e9'
down_revision = '9c4e7b1d2f85'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'held_sessions',
        sa.Column('holder_hash', sa.String(length=64), nullable=False),
        sa.Column('data', sa.Text(), nullable=False),
        sa.Column('expires_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('holder_hash', name=op.f('pk_held_sessions')),
    )
    op.create_index(op.f('ix_held_sessions_expires_at'), 'held_sessions', ['expires_at'])


def downgrade() -> None:
    op.drop_index(op.f('ix_held_sessions_expires_at'), table_name='held_sessions')
    op.drop_table('held_sessions')
