"""A cheap look at a stack's state, straight from the engine's database.

``show_stack`` is O(N) in both engines (ours counts every resource for its
progress figure; Heat loads and parses the template), and polling it every
few milliseconds from inside the engine's own process made the polls, not
the engine, the largest CPU cost of a 1,000-resource chain.  The benchmark
therefore watches the stack row (the ``stack`` table has ``id``, ``action``
and ``status`` columns in Heat's schema and in ours) through a separate
SQLAlchemy engine that no counter listens to, and confirms each verdict with
one ``show_stack`` call.
"""

import sqlalchemy as sa

_STATE = sa.text('SELECT action, status FROM stack WHERE id = :id')


class StackProbe:
    """Reads (action, status) of a stack row; None once the row is gone."""

    def __init__(self, url: str):
        self._engine = sa.create_engine(url)

    def state(self, stack_id: str) -> tuple | None:
        with self._engine.connect() as connection:
            row = connection.execute(_STATE, {'id': stack_id}).first()
        return None if row is None else (row[0], row[1])
