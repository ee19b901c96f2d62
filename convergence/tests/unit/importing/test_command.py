"""import-heat tree by tree: imported, skipped when here, refused with the
reason, a dry run writing nothing; Heat's database (heat_db.py) and ours
on SQLite."""

import datetime
import os
import shutil
import tempfile

import testtools

from convergence.importing import command
from convergence.importing import heat_crypt
from convergence.importing import heat_source
from convergence.tests.unit.importing import heat_db
from db import api


class TestCommand(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.heat = heat_db.HeatDatabase()
        self.addCleanup(self.heat.dispose)
        directory = tempfile.mkdtemp(prefix='convergence-import-')
        self.addCleanup(shutil.rmtree, directory)
        self.db = api.Database('sqlite:///' + os.path.join(directory, 'c.db'))
        self.db.create_schema()
        self.addCleanup(self.db.dispose)

    def run_import(self, dry_run: bool = False) -> dict:
        report = command.run(self.heat.url, self.db,
                             heat_crypt.HEAT_DEFAULT_KEY, heat_db.T0,
                             dry_run=dry_run)
        return {o.root_id: (o.verdict, o.message) for o in report.outcomes}

    def test_imports_then_skips_what_is_here(self):
        stack_id, _ = heat_db.add_flat(self.heat)
        first = self.run_import()
        self.assertEqual('imported', first[stack_id][0])
        self.assertIn('stack flat (%s): imported (1 stack, 3 resources, 2 '
                      'events)' % stack_id, first[stack_id][1])
        self.assertEqual(('skipped', 'stack flat (%s): already imported, '
                          'skipped' % stack_id), self.run_import()[stack_id])
        self.assertEqual(1, len(self.db.stack_list(None)))

    def test_a_dry_run_reports_and_writes_nothing(self):
        stack_id, _ = heat_db.add_flat(self.heat)
        verdict, message = self.run_import(dry_run=True)[stack_id]
        self.assertEqual('imported', verdict)
        self.assertIn('would be imported', message)
        self.assertIsNone(self.db.stack_get(stack_id))

    def test_a_name_taken_for_the_tenant_refuses_that_tree_only(self):
        taken, _ = heat_db.add_flat(self.heat, name='taken')
        other, _ = heat_db.add_flat(self.heat, name='other')
        template_id = self.db.raw_template_create('x', {}, {}, {})
        self.db.stack_create({'id': 'x', 'name': 'taken', 'tenant': 'admin',
                              'raw_template_id': template_id,
                              'current_traversal': '', 'action': 'CREATE',
                              'status': 'COMPLETE'})
        found = self.run_import()
        self.assertEqual(('refused', 'stack taken (%s): tenant admin has a '
                          'stack of that name here already (x)' % taken),
                         found[taken])
        self.assertEqual('imported', found[other][0])
        self.assertIsNone(self.db.stack_get(taken))

    def test_a_refused_tree_names_why_and_stores_nothing(self):
        stack_id, _ = heat_db.add_flat(self.heat, convergence=False)
        verdict, message = self.run_import()[stack_id]
        self.assertEqual('refused', verdict)
        self.assertIn('legacy', message)
        self.assertIsNone(self.db.stack_get(stack_id))

    def test_a_nested_stack_whose_owner_is_gone_is_refused(self):
        template_id = self.heat.add_template(heat_db.FLAT_TEMPLATE)
        orphan = self.heat.add_stack('lost', template_id, owner_id='gone')
        self.assertEqual(('refused', "stack lost (%s): nested stack whose "
                          "owner gone is not a live stack" % orphan),
                         self.run_import()[orphan])

    def test_deleted_stacks_are_not_read(self):
        heat_db.add_flat(self.heat, deleted_at=heat_db.T0)
        self.assertEqual({}, self.run_import())

    def test_a_database_without_heats_tables(self):
        err = self.assertRaises(heat_source.NotHeatDatabase, command.run,
                                self.db.url, self.db, 'k', heat_db.T0)
        self.assertIn('not a Heat database: no table', str(err))

    def test_a_heat_engine_that_is_up_is_warned_about(self):
        heat_db.add_flat(self.heat)
        self.heat.add_service('up', heat_db.T0 - datetime.timedelta(
            seconds=100))
        self.heat.add_service('down', heat_db.T0 - datetime.timedelta(
            seconds=130))
        self.heat.add_service('gone', heat_db.T0, deleted_at=heat_db.T0)
        report = command.run(self.heat.url, self.db,
                             heat_crypt.HEAT_DEFAULT_KEY, heat_db.T0)
        self.assertEqual(1, len(report.warnings))
        self.assertIn('heat-engine up on host-up reported at', report.warnings[0])
        self.assertIn('stop every heat-engine first', report.warnings[0])
        self.assertEqual(['imported'], [o.verdict for o in report.outcomes])
