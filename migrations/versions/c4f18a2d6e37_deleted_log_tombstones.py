"""deleted log tombstones

Revision ID: c4f18a2d6e37
Revises: b7d41c9e2a05
Create Date: 2026-12-01 04:40:00.000000

The client ids of deleted session logs, so a log queued offline (or sent again from
another tab) with a deleted log's id is not stored again. A new table: session_logs is
left as it is.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4f18a2d6e37'
down_revision = 'b7d41c9e2a05'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'deleted_logs',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('client_id', sa.String(length=64), nullable=False),
        sa.Column('deleted_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_deleted_logs_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('user_id', 'client_id', name=op.f('pk_deleted_logs')),
    )


def downgrade():
    op.drop_table('deleted_logs')
