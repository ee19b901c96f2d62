"""Contract of db/imports.py: a tree imported in one transaction, Heat's
keys turned into our ids, on every backend."""

import testscenarios

from convergence.importing import heat_source
from convergence.importing import plan
from convergence.importing import trees
from convergence.tests.unit.db import base
from convergence.tests.unit.importing import heat_db
from db import imports

load_tests = testscenarios.load_tests_apply_scenarios


class TestImports(base.DatabaseTestCase):

    def setUp(self):
        super().setUp()
        heat = heat_db.HeatDatabase()
        self.addCleanup(heat.dispose)
        self.stack_id, self.keys = heat_db.add_flat(heat)
        dump = heat_source.read(heat.url)
        [tree] = trees.group(dump.stacks)[0]
        self.tree = plan.plan_tree(tree, dump, 'notgood but just long enough '
                                   'i t', heat_db.T0)

    def test_rows_get_our_ids_and_every_reference_follows(self):
        ids = self.db.stack_tree_import(self.tree)
        stack = self.db.stack_get(self.stack_id)
        rows = {r['name']: r for r in self.db.resources_of_stack(
            self.stack_id)}
        self.assertEqual(ids[self.keys['rand']], rows['rand']['id'])
        self.assertEqual([rows['rand']['id']], rows['test']['requires'])
        self.assertEqual(stack['raw_template_id'],
                         rows['test']['current_template_id'])
        self.assertEqual(heat_db.FLAT_TEMPLATE, self.db.raw_template_get(
            stack['raw_template_id'])['template'])
        nodes = {n[0] for edge in self.db.stack_deps(self.stack_id)['edges']
                 for n in edge if n}
        self.assertEqual({r['id'] for r in rows.values()}, nodes)
        self.assertEqual(2, len(self.db.events_list(self.stack_id)))
        self.assertEqual({self.stack_id},
                         self.db.stacks_present([self.stack_id, 'other']))

    def test_the_same_root_twice_is_refused(self):
        self.db.stack_tree_import(self.tree)
        self.assertRaises(imports.AlreadyPresent, self.db.stack_tree_import,
                          self.tree)

    def test_a_row_the_database_refuses_leaves_nothing_of_the_tree(self):
        self.db.events_add([dict(self.tree.events[-1], stack_id='elsewhere')])
        self.assertRaises(Exception, self.db.stack_tree_import, self.tree)
        self.assertIsNone(self.db.stack_get(self.stack_id))
        self.assertEqual([], self.db.resources_of_stack(self.stack_id,
                                                        active_only=False))
