"""session log time zone

Revision ID: b7d41c9e2a05
Revises: 7a1c3e5f9b20
Create Date: 2026-12-01 02:20:00.000000

Each session log keeps the zone the person was in, and whether its time was ahead of
their now. Logs already stored take their owner's profile zone: the zone their times
were typed in.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7d41c9e2a05'
down_revision = '7a1c3e5f9b20'
branch_labels = None
depends_on = None


# SQLite rebuilds the table to add the columns: keep AUTOINCREMENT (revision 3c5e0a9d1f42).
KEEP_AUTOINCREMENT = {'sqlite_autoincrement': True}


def upgrade():
    with op.batch_alter_table('session_logs', schema=None, table_kwargs=KEEP_AUTOINCREMENT) as batch_op:
        batch_op.add_column(sa.Column('time_zone', sa.String(length=64), server_default='UTC', nullable=False))
        batch_op.add_column(sa.Column('clock_ahead', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.execute(
        "UPDATE session_logs SET time_zone ="
        " (SELECT users.time_zone FROM users WHERE users.id = session_logs.user_id)"
    )


def downgrade():
    with op.batch_alter_table('session_logs', schema=None, table_kwargs=KEEP_AUTOINCREMENT) as batch_op:
        batch_op.drop_column('clock_ahead')
        batch_op.drop_column('time_zone')
