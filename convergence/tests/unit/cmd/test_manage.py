"""convergence-manage's commands on a SQLite database, each run as the
console script runs it.

Importing ``convergence.cmd`` monkey-patches the importing process, so each
command runs in a Python process of its own; the rows are made and read
here through the contract suite's base.
"""

import datetime
import os
import subprocess
import sys

import testscenarios

from convergence.tests.unit.db import backends
from convergence.tests.unit.db import base
from convergence.tests.unit.importing import heat_db
from db import api
from db import models

load_tests = testscenarios.load_tests_apply_scenarios

# Seconds one command may take to start and answer.
PATIENCE = 60
# [DEFAULT] periodic_interval of the tests: engines are down after 2 * 10 s
# without a heartbeat, traversals quiet after 3 * 10 s without a write.
INTERVAL = 10


def ago(seconds: float) -> datetime.datetime:
    return api.utcnow() - datetime.timedelta(seconds=seconds)


class ManageTestCase(base.DatabaseTestCase):

    scenarios = [('sqlite', {'backend': backends.SQLITE})]

    def manage(self, *args: str, answer: str = '') -> subprocess.CompletedProcess:
        path = os.path.join(os.path.dirname(self.url[len('sqlite:///'):]),
                            'convergence.conf')
        with open(path, 'w') as conf:
            conf.write('[DEFAULT]\nperiodic_interval = %d\n'
                       '[database]\nconnection = %s\n' % (INTERVAL, self.url))
        return subprocess.run(
            [sys.executable, '-c',
             'from convergence.cmd import manage; manage.main()',
             '--config-file', path] + list(args), input=answer,
            capture_output=True, text=True, timeout=PATIENCE)

    def set_stack(self, stack_id: str, **values) -> None:
        with self.db.writer() as session:
            session.execute(models.Stack.__table__.update().where(
                models.Stack.id == stack_id).values(**values))


class TestDbAndServices(ManageTestCase):

    def test_db_version_names_a_revision(self):
        result = self.manage('db_version')
        self.assertEqual(0, result.returncode, result.stderr)
        self.assertTrue(result.stdout.strip())

    def test_service_clean_removes_engines_down_only(self):
        self.db.service_report('up', {'report_interval': INTERVAL})
        self.db.service_report('down', {'report_interval': INTERVAL})
        with self.db.writer() as session:
            session.execute(models.Service.__table__.update().where(
                models.Service.engine_id == 'down').values(
                updated_at=ago(3 * INTERVAL)))
        result = self.manage('service', 'clean')
        self.assertEqual(0, result.returncode, result.stderr)
        self.assertIn('Dead engine down is removed.', result.stdout)
        self.assertEqual(['up'], [s['engine_id']
                                  for s in self.db.service_list()])


class TestPurgeDeleted(ManageTestCase):

    def test_stacks_deleted_longer_ago_than_age_are_purged(self):
        old = self.make_stack(deleted_at=ago(3 * 3600))
        recent = self.make_stack(deleted_at=ago(600))
        live = self.make_stack()
        result = self.manage('purge_deleted', '2', '--granularity', 'hours')
        self.assertEqual(0, result.returncode, result.stderr)
        self.assertIn('1 deleted stacks purged', result.stdout)
        self.assertIsNone(self.db.stack_get(old['id']))
        self.assertIsNotNone(self.db.stack_get(recent['id']))
        self.assertIsNotNone(self.db.stack_get(live['id']))

    def test_the_default_age_is_ninety_days(self):
        stack = self.make_stack(deleted_at=ago(89 * 86400))
        self.assertEqual(0, self.manage('purge_deleted').returncode)
        self.assertIsNotNone(self.db.stack_get(stack['id']))

    def test_a_negative_age_is_refused(self):
        result = self.manage('purge_deleted', '--', '-1')
        self.assertNotEqual(0, result.returncode)
        self.assertIn('age must be a positive integer', result.stderr)


class TestResetStackStatus(ManageTestCase):

    def stuck_stack(self) -> tuple[dict, dict]:
        """An IN_PROGRESS stack quiet for an hour, its row held by an engine
        whose heartbeat stopped an hour ago."""
        stack = self.make_stack()
        held = self.make_resource(stack, status='IN_PROGRESS')
        self.db.resource_cas(held['id'], {}, {'engine_id': 'dead'})
        self.db.service_report('dead', {'report_interval': INTERVAL})
        with self.db.writer() as session:
            for model in (models.Resource, models.Service):
                session.execute(model.__table__.update().values(
                    updated_at=ago(3600)))
        self.set_stack(stack['id'], created_at=ago(3600))
        return stack, held

    def test_a_stuck_stack_is_reset_once_confirmed(self):
        stack, held = self.stuck_stack()
        result = self.manage('reset_stack_status', stack['id'], answer='y\n')
        self.assertEqual(0, result.returncode, result.stderr)
        self.assertIn('Continue ? [y/N]', result.stdout)
        row = self.db.resource_get(held['id'])
        self.assertEqual((None, 'FAILED', 'Stack status manually reset'),
                         (row['engine_id'], row['status'],
                          row['status_reason']))
        after = self.db.stack_get(stack['id'])
        self.assertEqual(('FAILED', ''), (after['status'],
                                          after['current_traversal']))

    def test_without_confirmation_nothing_changes(self):
        stack, held = self.stuck_stack()
        for answer in ('', 'n\n'):
            result = self.manage('reset_stack_status', stack['id'],
                                 answer=answer)
            self.assertEqual(0, result.returncode, result.stderr)
            self.assertEqual('IN_PROGRESS',
                             self.db.stack_get(stack['id'])['status'])
            self.assertEqual('dead',
                             self.db.resource_get(held['id'])['engine_id'])

    def test_a_complete_stack_is_refused_without_a_question(self):
        stack = self.make_stack(status='COMPLETE')
        result = self.manage('reset_stack_status', stack['id'], answer='y\n')
        self.assertNotEqual(0, result.returncode)
        self.assertIn('CREATE_COMPLETE, not IN_PROGRESS', result.stderr)
        self.assertNotIn('Continue', result.stdout)
        self.assertEqual('COMPLETE', self.db.stack_get(stack['id'])['status'])

    def test_a_stack_held_by_a_live_engine_is_refused(self):
        stack, held = self.stuck_stack()
        self.db.service_report('dead', {})  # its heartbeat is back
        result = self.manage('stack', 'reset', stack['id'], answer='y\n')
        self.assertNotEqual(0, result.returncode)
        self.assertIn('engine dead is alive', result.stderr)
        self.assertEqual('IN_PROGRESS',
                         self.db.stack_get(stack['id'])['status'])

    def test_nested_stacks_in_progress_are_reset_with_their_parent(self):
        stack, held = self.stuck_stack()
        child = self.make_stack(owner_id=stack['id'])
        grandchild = self.make_stack(owner_id=child['id'])
        done = self.make_stack(owner_id=stack['id'], status='COMPLETE')
        for nested in (child, grandchild, done):
            self.set_stack(nested['id'], created_at=ago(3600))
        result = self.manage('reset_stack_status', stack['id'], answer='y\n')
        self.assertEqual(0, result.returncode, result.stderr)
        self.assertEqual(
            ['FAILED', 'FAILED', 'FAILED', 'COMPLETE'],
            [self.db.stack_get(s['id'])['status']
             for s in (stack, child, grandchild, done)])
        # The deepest first.
        self.assertLess(result.stdout.index(grandchild['id']),
                        result.stdout.index(stack['id']))

    def test_a_nested_stack_still_live_refuses_the_whole_reset(self):
        stack, held = self.stuck_stack()
        child = self.make_stack(owner_id=stack['id'])  # written just now
        result = self.manage('reset_stack_status', stack['id'], answer='y\n')
        self.assertNotEqual(0, result.returncode)
        self.assertIn('stack %s wrote' % child['id'], result.stderr)
        self.assertNotIn('Continue', result.stdout)
        self.assertEqual('IN_PROGRESS',
                         self.db.stack_get(stack['id'])['status'])

    def test_an_unknown_stack_is_not_found(self):
        result = self.manage('reset_stack_status', base.new_id())
        self.assertIn('not found', result.stderr)
        self.assertNotEqual(0, result.returncode)


class TestImportHeat(ManageTestCase):

    def setUp(self):
        super().setUp()
        self.heat = heat_db.HeatDatabase()
        self.addCleanup(self.heat.dispose)

    def test_reports_each_tree_and_exits_1_when_one_was_refused(self):
        imported, _ = heat_db.add_flat(self.heat, name='good')
        refused, _ = heat_db.add_flat(self.heat, name='old',
                                      convergence=False)
        result = self.manage('import-heat', '--heat-connection',
                             self.heat.url)
        self.assertEqual(1, result.returncode, result.stderr)
        self.assertIn('stack good (%s): imported' % imported, result.stdout)
        self.assertIn('refused: stack old (%s) is a legacy' % refused,
                      result.stdout)
        self.assertIn('1 imported, 0 skipped, 1 refused', result.stdout)
        self.assertIsNotNone(self.db.stack_get(imported))

    def test_a_dry_run_says_so_and_exits_0(self):
        stack_id, _ = heat_db.add_flat(self.heat)
        result = self.manage('import-heat', '--heat-connection',
                             self.heat.url, '--dry-run')
        self.assertEqual(0, result.returncode, result.stderr)
        self.assertIn('dry run: 1 imported, 0 skipped, 0 refused',
                      result.stdout)
        self.assertIsNone(self.db.stack_get(stack_id))

    def test_a_database_that_is_not_heats_is_named(self):
        result = self.manage('import-heat', '--heat-connection', self.url)
        self.assertEqual(1, result.returncode)
        self.assertIn('not a Heat database', result.stderr)
