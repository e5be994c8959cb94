"""step cue: a short spoken and on-screen form of each step's instruction

Revision ID: 9f4c2d7e1a63
Revises: c4f18a2d6e37
Create Date: 2026-12-01 04:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9f4c2d7e1a63'
down_revision = 'c4f18a2d6e37'
branch_labels = None
depends_on = None


def upgrade():
    # Existing rows get an empty cue until `flask content load` writes the library's.
    with op.batch_alter_table('steps', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cue', sa.Text(), server_default='', nullable=False))


def downgrade():
    # Plain DROP COLUMN (SQLite 3.35+ and PostgreSQL), as in the step vocabulary's downgrade.
    op.drop_column('steps', 'cue')
