"""Staff console: unanswered and disputed questions queue, supervisor decisions, daily search counts.

Revision ID: 8d2c4e6a9b13
Revises: 3f8e2b1c7a55
Create Date: 2026-11-23 11:50:00
"""
from alembic import op
import sqlalchemy as sa


revision = '8d2c4e6a9b13'
down_revision = '3f8e2b1c7a55'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('queue_decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('decision', sa.String(length=20), nullable=False),
    sa.Column('decided_by', sa.String(length=40), nullable=False),
    sa.Column('decided_by_name', sa.String(length=80), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=False),
    sa.Column('questions', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_queue_decisions'))
    )
    op.create_index(op.f('ix_queue_decisions_decided_at'), 'queue_decisions', ['decided_at'])
    op.create_table('queue_questions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('lang', sa.String(length=8), nullable=False),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('suggested_service', sa.String(length=80), nullable=False),
    sa.Column('correct_service', sa.String(length=80), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('decision_id', sa.Integer(), nullable=True),
    sa.Column('vector', sa.LargeBinary(), nullable=True),
    sa.Column('vector_model', sa.String(length=120), nullable=False),
    sa.ForeignKeyConstraint(['decision_id'], ['queue_decisions.id'], name=op.f('fk_queue_questions_decision_id_queue_decisions'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_queue_questions'))
    )
    op.create_index(op.f('ix_queue_questions_created_at'), 'queue_questions', ['created_at'])
    op.create_index(op.f('ix_queue_questions_state'), 'queue_questions', ['state'])
    op.create_index(op.f('ix_queue_questions_decision_id'), 'queue_questions', ['decision_id'])
    op.create_table('search_daily_counts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('lang', sa.String(length=8), nullable=False),
    sa.Column('searches', sa.Integer(), nullable=False),
    sa.Column('abstentions', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_daily_counts')),
    sa.UniqueConstraint('day', 'lang', name='uq_search_daily_counts_day_lang')
    )


def downgrade() -> None:
    op.drop_table('search_daily_counts')
    op.drop_table('queue_questions')
    op.drop_table('queue_decisions')
