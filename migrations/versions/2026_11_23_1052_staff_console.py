"""Staff console: feedback on suggestions, failed logins.

Revision ID: 3f8e2b1c7a55
Revises: 6c1a7e0b2f31
Create Date: 2026-11-23 10:52:00
"""
from alembic import op
import sqlalchemy as sa


revision = '3f8e2b1c7a55'
down_revision = '6c1a7e0b2f31'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('staff_feedback',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('agent_id', sa.Integer(), nullable=False),
    sa.Column('question', sa.Text(), nullable=False),
    sa.Column('lang', sa.String(length=8), nullable=False),
    sa.Column('verdict', sa.String(length=10), nullable=False),
    sa.Column('service', sa.String(length=80), nullable=False),
    sa.Column('correct_service', sa.String(length=80), nullable=False),
    sa.Column('ranking', sa.String(length=400), nullable=False),
    sa.ForeignKeyConstraint(['agent_id'], ['staff_users.id'], name=op.f('fk_staff_feedback_agent_id_staff_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_feedback'))
    )
    op.create_index(op.f('ix_staff_feedback_at'), 'staff_feedback', ['at'])
    op.create_index(op.f('ix_staff_feedback_agent_id'), 'staff_feedback', ['agent_id'])
    op.create_table('staff_login_failures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=80), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_login_failures'))
    )
    op.create_index(op.f('ix_staff_login_failures_username'), 'staff_login_failures', ['username'])
    op.create_index(op.f('ix_staff_login_failures_at'), 'staff_login_failures', ['at'])


def downgrade() -> None:
    op.drop_table('staff_login_failures')
    op.drop_table('staff_feedback')
