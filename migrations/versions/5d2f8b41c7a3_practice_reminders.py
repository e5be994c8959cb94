"""practice reminders, and the practice chosen at onboarding

Revision ID: 5d2f8b41c7a3
Revises: 3c5e0a9d1f42
Create Date: 2026-12-01 02:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5d2f8b41c7a3'
down_revision = '3c5e0a9d1f42'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('reminders',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('weekdays', sa.JSON(), nullable=False),
    sa.Column('time_of_day', sa.String(length=5), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('feed_token', sa.String(length=64), nullable=True),
    sa.Column('starts_on', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_reminders_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_reminders')),
    sa.UniqueConstraint('feed_token', name=op.f('uq_reminders_feed_token'))
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('practice_minutes', sa.Integer(), server_default='10', nullable=False))
        batch_op.add_column(sa.Column('practice_time', sa.String(length=8), server_default='evening', nullable=False))
        batch_op.add_column(sa.Column('onboarded_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('onboarded_at')
        batch_op.drop_column('practice_time')
        batch_op.drop_column('practice_minutes')
    op.drop_table('reminders')
