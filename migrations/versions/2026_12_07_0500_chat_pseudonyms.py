"""Stand-ins for the phone numbers and access codes the bot's forms take (Rasa never sees the real
ones; portal/chat/pseudonyms.py).

Revision ID: e7a2c5d9b341
Revises: b3d8f1a6c4e9
Create Date: 2026-12-07 05:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'e7a2c5d9b341'
down_revision = 'b3d8f1a6c4e9'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'chat_pseudonyms',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('conversation', sa.String(length=32), nullable=False),
        sa.Column('kind', sa.String(length=8), nullable=False),
        sa.Column('stand_in', sa.String(length=64), nullable=False),
        sa.Column('sealed', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_chat_pseudonyms')),
        sa.UniqueConstraint('conversation', 'kind', 'stand_in',
                            name=op.f('uq_chat_pseudonyms_conversation')),
    )
    op.create_index(op.f('ix_chat_pseudonyms_conversation'), 'chat_pseudonyms', ['conversation'])
    op.create_index(op.f('ix_chat_pseudonyms_created_at'), 'chat_pseudonyms', ['created_at'])


def downgrade() -> None:
    op.drop_index(op.f('ix_chat_pseudonyms_created_at'), table_name='chat_pseudonyms')
    op.drop_index(op.f('ix_chat_pseudonyms_conversation'), table_name='chat_pseudonyms')
    op.drop_table('chat_pseudonyms')
