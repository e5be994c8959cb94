"""step vocabulary: motion, counts, structured direction, alternatives; routine cautions, oil and previous slugs

Revision ID: 3c5a7e9b1d20
Revises: 5d2f8b41c7a3
Create Date: 2026-12-01 02:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3c5a7e9b1d20'
down_revision = '5d2f8b41c7a3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('steps', schema=None) as batch_op:
        batch_op.add_column(sa.Column('motion', sa.String(length=24), server_default='glide', nullable=False))
        batch_op.add_column(sa.Column('per', sa.String(length=8), server_default='total', nullable=False))
        batch_op.add_column(sa.Column('rows', sa.Integer(), server_default='1', nullable=False))
        batch_op.add_column(sa.Column('hold_seconds', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('direction_from', sa.String(length=32), server_default='', nullable=False))
        batch_op.add_column(sa.Column('direction_to', sa.String(length=32), server_default='', nullable=False))
        batch_op.add_column(sa.Column('direction_path', sa.String(length=32), server_default='', nullable=False))
        batch_op.add_column(sa.Column('instead', sa.JSON(), nullable=True))

    with op.batch_alter_table('routines', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cautions_summary', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('oil', sa.String(length=16), server_default='skin-type', nullable=False))
        # Existing rows get an empty list; new rows get one from the model's default.
        batch_op.add_column(sa.Column('previous_slugs', sa.JSON(), server_default='[]', nullable=False))


def downgrade():
    # Plain DROP COLUMN (SQLite 3.35+ and PostgreSQL): a batch copy of `routines` would have to
    # drop the table that session logs reference, which their foreign key refuses.
    for column in ('previous_slugs', 'oil', 'cautions_summary'):
        op.drop_column('routines', column)
    for column in ('instead', 'direction_path', 'direction_to', 'direction_from', 'hold_seconds', 'rows', 'per', 'motion'):
        op.drop_column('steps', column)
