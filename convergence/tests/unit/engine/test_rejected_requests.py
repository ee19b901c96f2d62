"""Rejected create and update requests store nothing.

Given an engine on an in-memory database (the scenario framework's), each
bad request must raise a 400-class error and leave every table exactly as
it was: validation comes before the first write.
"""


import sqlalchemy as sa
import testtools

from convergence import exceptions
from convergence.tests.scenarios import framework
from convergence.tests.unit.template import test_template_format

GOOD = {'heat_template_version': '2015-10-15',
        'resources': {'a': {'type': 'OS::Heat::None'}}}
# Big enough that a stored copy would be noticed among the rows.
PADDING = {'description': 'x' * 100000}


def _template(**sections) -> dict:
    return dict(GOOD, **sections)


class RejectedRequestsTest(testtools.TestCase):
    """Given a database with one stack, when a bad request comes, then no
    table gains or loses a row."""

    def setUp(self):
        super().setUp()
        self.scenario = framework.Scenario(self)
        self.service = self.scenario.engine_service
        self.context = self.scenario.context
        self.identity = self.service.create_stack(
            self.context, 'existing', GOOD, {}, {}, {})

    def row_counts(self) -> dict:
        engine = self.scenario.db.engine
        with engine.connect() as connection:
            return {table: connection.execute(sa.text(
                'SELECT COUNT(*) FROM %s' % table)).scalar()
                for table in sa.inspect(connection).get_table_names()}

    def assertRejectedWithoutRows(self, request, *args) -> None:
        before = self.row_counts()
        self.assertRaises(exceptions.BadRequest, request, *args)
        self.assertEqual(before, self.row_counts())

    def create(self, args=None, template=None, params=None, files=None):
        self.service.create_stack(
            self.context, 'new', template or _template(**PADDING),
            params or {}, files or {}, args or {})

    def update(self, args=None, template=None, params=None, files=None):
        self.service.update_stack(
            self.context, self.identity, template or _template(**PADDING),
            params or {}, files or {}, args or {})

    def test_create_with_a_bad_boolean(self):
        self.assertRejectedWithoutRows(
            self.create, {'disable_rollback': 'maybe'})

    def test_create_with_an_absurd_timeout(self):
        self.assertRejectedWithoutRows(
            self.create, {'timeout_mins': 10 ** 30})

    def test_create_with_a_negative_timeout(self):
        self.assertRejectedWithoutRows(self.create, {'timeout_mins': -5})

    def test_create_with_an_unknown_type(self):
        template = _template(resources={'a': {'type': 'No::Such'}})
        self.assertRejectedWithoutRows(self.create, {}, template)

    def test_create_with_a_missing_environment_file(self):
        self.assertRejectedWithoutRows(
            lambda: self.service.create_stack(
                self.context, 'new', GOOD, {}, {}, {},
                environment_files=['missing.yaml']))

    def test_create_with_unparsable_text(self):
        self.assertRejectedWithoutRows(self.create, {}, '{not: [yaml')

    def test_create_with_a_template_alias_bomb(self):
        self.assertRejectedWithoutRows(
            self.create, {}, test_template_format.alias_bomb())

    def test_create_with_an_environment_file_alias_bomb(self):
        bomb = test_template_format.alias_bomb(header='parameters: {}\n')
        self.assertRejectedWithoutRows(
            lambda: self.service.create_stack(
                self.context, 'new', GOOD, {}, {'env.yaml': bomb}, {},
                environment_files=['env.yaml']))

    def test_create_with_a_template_nested_too_deeply(self):
        deep = 'x'
        for _ in range(300):
            deep = {'list_join': [',', [deep]]}
        template = _template(resources={'a': {
            'type': 'OS::Heat::TestResource', 'properties': {'value': deep}}})
        self.assertRejectedWithoutRows(self.create, {}, template)

    def test_update_with_a_bad_boolean(self):
        self.assertRejectedWithoutRows(
            self.update, {'disable_rollback': 'maybe'})

    def test_update_with_an_absurd_timeout(self):
        self.assertRejectedWithoutRows(
            self.update, {'timeout_mins': 10 ** 30})

    def test_patch_with_an_absurd_timeout(self):
        self.assertRejectedWithoutRows(
            self.update, {'timeout_mins': 10 ** 30, 'existing': True})

    def test_the_largest_timeout_the_row_holds_is_accepted(self):
        self.service.create_stack(self.context, 'new', GOOD, {}, {},
                                  {'timeout_mins': 2 ** 31 - 1})
        stack = self.scenario.db.stack_get_by_name('test', 'new')
        self.assertEqual(2 ** 31 - 1, stack['timeout'])

    def test_a_good_request_does_store(self):
        before = self.row_counts()
        self.create()
        after = self.row_counts()
        self.assertEqual(before['raw_template'] + 1, after['raw_template'])
        self.assertEqual(before['stack'] + 1, after['stack'])
