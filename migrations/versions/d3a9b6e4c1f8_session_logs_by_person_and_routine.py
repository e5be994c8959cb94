"""session logs by person and routine

Revision ID: d3a9b6e4c1f8
Revises: 9f4c2d7e1a63
Create Date: 2026-12-01 13:30:00.000000

The finish screen reads a person's newest log of one routine. With only the routine's index,
that walked every person's logs of the routine (some 10,000 rows in `make bench`, millions at
a hundred thousand people); this index makes it one lookup.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'd3a9b6e4c1f8'
down_revision = '9f4c2d7e1a63'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_session_logs_user_routine', 'session_logs', ['user_id', 'routine_id', 'id'], unique=False)


def downgrade():
    op.drop_index('ix_session_logs_user_routine', table_name='session_logs')
