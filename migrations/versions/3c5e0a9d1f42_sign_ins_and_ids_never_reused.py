"""sign-ins, and ids never reused

Revision ID: 3c5e0a9d1f42
Revises: e8195143dce9
Create Date: 2026-12-01 02:20:00

A sign-in is a row of its own (app.models.sign_in), so it can be listed and ended. On SQLite,
users and session logs are rebuilt with AUTOINCREMENT, keeping every row: without it a
deleted row's id goes to the next one inserted, and an old cookie or link would name
somebody else. (PostgreSQL's sequences never hand an id out twice.) migrations/env.py turns
SQLite's foreign keys off while tables are rebuilt, so no cascade fires.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3c5e0a9d1f42'
down_revision = 'e8195143dce9'
branch_labels = None
depends_on = None

REBUILT = ('users', 'session_logs')


def set_autoincrement(on: bool) -> None:
    if op.get_bind().dialect.name != 'sqlite':
        return
    for table in REBUILT:
        with op.batch_alter_table(table, recreate='always', table_kwargs={'sqlite_autoincrement': on}):
            pass


def upgrade():
    op.create_table('sign_ins',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('user_agent', sa.String(length=400), nullable=False),
    sa.Column('remember', sa.Boolean(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(), nullable=False),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_sign_ins_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sign_ins')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_sign_ins_token_hash')),
    sqlite_autoincrement=True,
    )
    with op.batch_alter_table('sign_ins', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sign_ins_user_id'), ['user_id'], unique=False)
    set_autoincrement(True)


def downgrade():
    set_autoincrement(False)
    with op.batch_alter_table('sign_ins', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sign_ins_user_id'))
    op.drop_table('sign_ins')
