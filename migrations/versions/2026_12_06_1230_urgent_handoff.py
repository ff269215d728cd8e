"""Chat: urgent hand-overs (emergencies go to the top of the inbox, also outside hours), the
conversation guard's memory of the last reply (a reply repeated twice resets the conversation) and
after-hours call-back requests.

Revision ID: 4b7d2e9c1a60
Revises: 8d2c4e6a9b13
Create Date: 2026-12-06 12:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = '4b7d2e9c1a60'
down_revision = '8d2c4e6a9b13'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('chat_callback',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('lang', sa.String(length=8), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('done_by', sa.String(length=80), nullable=True),
    sa.Column('done_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_chat_callback'))
    )
    op.create_index(op.f('ix_chat_callback_created_at'), 'chat_callback', ['created_at'])
    with op.batch_alter_table('chat_handoff') as batch:
        batch.add_column(sa.Column('urgent', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('chat_conversation') as batch:
        batch.add_column(sa.Column('last_reply_hash', sa.String(length=16), nullable=True))
        batch.add_column(sa.Column('repeats', sa.Integer(), nullable=False, server_default='0'))


def downgrade() -> None:
    op.drop_index(op.f('ix_chat_callback_created_at'), table_name='chat_callback')
    op.drop_table('chat_callback')
    with op.batch_alter_table('chat_conversation') as batch:
        batch.drop_column('repeats')
        batch.drop_column('last_reply_hash')
    with op.batch_alter_table('chat_handoff') as batch:
        batch.drop_column('urgent')
