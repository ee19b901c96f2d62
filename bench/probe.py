"""A cheap look at a stack's state, straight from the engine's database.

``show_stack`` is O(N) in both engines (ours counts every resource for its
progress figure; Heat loads and parses the template), and polling it every
few milliseconds from inside the engine's own process made the polls, not
the engine, the largest CPU cost of a 1,000-resource chain.  The benchmark
therefore watches the stack row (the ``stack`` table has ``id``, ``action``
and ``status`` columns in Heat's schema and in ours) through a separate
SQLAlchemy engine that no counter listens to, and confirms each verdict with
one ``show_stack`` call.

The same engine counts the resources of a whole tree of nested stacks
(``tree``): the stacks are found by their ``owner_id`` and the resources by
``stack_id``, columns of both schemas, since neither engine's
``list_stack_resources`` is the same tool for that (Heat's ``nested_depth``
lists nested rows; ours takes the argument but lists the root's only).
"""

import sqlalchemy as sa

_TREE = """WITH RECURSIVE tree(id) AS (
    SELECT id FROM stack WHERE id = :id
    UNION ALL
    SELECT stack.id FROM stack JOIN tree ON stack.owner_id = tree.id
     WHERE stack.deleted_at IS NULL)
"""
_TREE_STACKS = sa.text(_TREE + 'SELECT count(*) FROM tree')
_TREE_RESOURCES = sa.text(_TREE + """SELECT resource.action, resource.status,
       count(*) FROM resource JOIN tree ON resource.stack_id = tree.id
 GROUP BY resource.action, resource.status""")


# The driver's placeholder for one positional parameter, by DB-API
# paramstyle (pysqlite's, psycopg2's and PyMySQL's).
_PLACEHOLDERS = {'qmark': '?', 'format': '%s', 'pyformat': '%s'}


class StackProbe:
    """Reads (action, status) of a stack row; None once the row is gone.

    The polls go straight to one driver connection in autocommit (each
    poll sees the latest commit): a poll through SQLAlchemy's pool and
    execution cost the engine under test, whose process polls every few
    milliseconds, about a tenth of a millisecond of CPU each.
    """

    def __init__(self, url: str):
        self._engine = sa.create_engine(url)
        self._raw = None
        self._state_sql = 'SELECT action, status FROM stack WHERE id = %s' % (
            _PLACEHOLDERS[self._engine.dialect.paramstyle])

    def state(self, stack_id: str) -> tuple | None:
        if self._raw is None:
            self._raw = self._engine.raw_connection()
            _autocommit(self._raw.driver_connection)
        cursor = self._raw.driver_connection.cursor()
        try:
            cursor.execute(self._state_sql, (stack_id,))
            row = cursor.fetchone()
        finally:
            cursor.close()
        return None if row is None else (row[0], row[1])

    def tree(self, stack_id: str) -> tuple[int, dict[str, int]]:
        """The stacks of the live tree under ``stack_id`` (itself included),
        and its resources as ``ACTION_STATUS`` -> count."""
        with self._engine.connect() as connection:
            stacks = connection.execute(_TREE_STACKS, {'id': stack_id})
            stacks = stacks.scalar()
            rows = connection.execute(_TREE_RESOURCES, {'id': stack_id}).all()
        return stacks, {'%s_%s' % (action, status): count
                        for action, status, count in rows}


def _autocommit(driver_connection) -> None:
    """No transaction between statements: every poll sees the latest
    commit (pysqlite before Python 3.12 spells it isolation_level None)."""
    try:
        driver_connection.autocommit = True
    except AttributeError:
        driver_connection.isolation_level = None
