"""Chat: conversations, masked messages, handover requests.

Revision ID: 6c1a7e0b2f31
Revises: d9c49a00e76b
Create Date: 2026-11-23 09:15:00
"""
from alembic import op
import sqlalchemy as sa


revision = '6c1a7e0b2f31'
down_revision = 'd9c49a00e76b'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('chat_conversation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('sender', sa.String(length=32), nullable=False),
    sa.Column('lang', sa.String(length=8), nullable=False),
    sa.Column('page_lang', sa.String(length=8), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_active_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_chat_conversation')),
    sa.UniqueConstraint('sender', name=op.f('uq_chat_conversation_sender')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_chat_conversation_token_hash'))
    )
    op.create_index(op.f('ix_chat_conversation_last_active_at'), 'chat_conversation', ['last_active_at'])
    op.create_table('chat_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=8), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('intent', sa.String(length=40), nullable=True),
    sa.Column('author', sa.String(length=80), nullable=True),
    sa.Column('buttons', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['conversation_id'], ['chat_conversation.id'],
                            name=op.f('fk_chat_message_conversation_id_chat_conversation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_chat_message'))
    )
    op.create_index(op.f('ix_chat_message_conversation_id'), 'chat_message', ['conversation_id'])
    op.create_table('chat_handoff',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('lang', sa.String(length=8), nullable=False),
    sa.Column('claimed_by', sa.String(length=80), nullable=True),
    sa.Column('requested_at', sa.DateTime(), nullable=False),
    sa.Column('claimed_at', sa.DateTime(), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['conversation_id'], ['chat_conversation.id'],
                            name=op.f('fk_chat_handoff_conversation_id_chat_conversation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_chat_handoff'))
    )
    op.create_index(op.f('ix_chat_handoff_conversation_id'), 'chat_handoff', ['conversation_id'])
    op.create_index('ix_chat_handoff_status_requested', 'chat_handoff', ['status', 'requested_at'])


def downgrade() -> None:
    op.drop_index('ix_chat_handoff_status_requested', table_name='chat_handoff')
    op.drop_index(op.f('ix_chat_handoff_conversation_id'), table_name='chat_handoff')
    op.drop_table('chat_handoff')
    op.drop_index(op.f('ix_chat_message_conversation_id'), table_name='chat_message')
    op.drop_table('chat_message')
    op.drop_index(op.f('ix_chat_conversation_last_active_at'), table_name='chat_conversation')
    op.drop_table('chat_conversation')
