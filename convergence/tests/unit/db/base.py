"""The contract suite's base: every test runs once per backend.

The suite states the storage ports of convergence/ports.py, one module per
port (test_templates, test_stacks, test_resources and test_resource_locks,
test_joins, test_events, test_services); test_ports checks that the
``Database`` of every backend has each port's methods, and the remaining
modules what every port shares (races, lost connections, migrations).

Test modules set ``load_tests = testscenarios.load_tests_apply_scenarios`` so
each test id names its backend, e.g. ``test_lock_wins(mysql)``.  The tests
of a class share one migrated database per backend, emptied before each
test and dropped when the class is done.
"""

import uuid

import testtools

from convergence.tests.unit.db import backends
from db import api


class BackendTestCase(testtools.TestCase):
    """Skips (or, in CI, fails) when ``self.backend`` cannot be reached."""

    scenarios = backends.SCENARIOS

    def setUp(self):
        super().setUp()
        reason = self.backend.unavailable()
        if reason and backends.REQUIRE_ALL:
            raise backends.BackendUnavailable(reason)
        if reason:
            self.skipTest(reason)


class DatabaseTestCase(BackendTestCase):
    """Given an empty, migrated database on ``self.backend``: ``self.db``."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._databases = {}

    @classmethod
    def tearDownClass(cls):
        for shared in cls._databases.values():
            shared.drop()
        super().tearDownClass()

    def setUp(self):
        super().setUp()
        name = self.backend.name
        if name not in self._databases:
            self._databases[name] = backends.SyncedDatabase(self.backend)
        self.url = self._databases[name].url
        self.db = self._databases[name].wipe()

    def connect(self) -> api.Database:
        """Another ``Database`` (own pool) on the same database."""
        database = api.Database(self.url)
        self.addCleanup(database.dispose)
        return database

    # --- rows the tests build on ------------------------------------------

    def make_template(self, stack_id: str = 'no-stack',
                      template: dict | None = None) -> int:
        return self.db.raw_template_create(
            stack_id, template or {'resources': {}}, None, None)

    def make_stack(self, **values) -> dict:
        """Create a stack (with its template) and return its row."""
        stack_id = values.pop('id', None) or new_id()
        row = {'id': stack_id, 'name': 'stack-' + stack_id[:8],
               'tenant': 'tenant', 'current_traversal': new_id(),
               'action': 'CREATE', 'status': 'IN_PROGRESS',
               'rollback_on_failure': False, 'disable_rollback': True}
        row.update(values)
        row.setdefault('raw_template_id', self.make_template(stack_id))
        self.db.stack_create(row)
        return self.db.stack_get(stack_id)

    def make_resources(self, stack: dict, *names: str, **values) -> list[dict]:
        """Create INIT rows named ``names`` in ``stack``; return the rows."""
        rows = [dict({'name': name, 'stack_id': stack['id'],
                      'type': 'OS::Heat::None', 'action': 'INIT',
                      'status': 'COMPLETE', 'requires': []}, **values)
                for name in names]
        return [self.db.resource_get(i) for i in self.db.resources_create(rows)]

    def make_resource(self, stack: dict, name: str = 'r', **values) -> dict:
        return self.make_resources(stack, name, **values)[0]


def new_id() -> str:
    return str(uuid.uuid4())


def report_one(db, stack_id: str, traversal_id: str, entity_id: str,
               is_update: bool, sender: str, data) -> dict | None:
    """One report through sync_points_report: every report's data (sender
    -> data) if it completed the join, else None."""
    return db.sync_points_report(
        stack_id, traversal_id, sender,
        [(entity_id, is_update, data)]).get((entity_id, is_update))
