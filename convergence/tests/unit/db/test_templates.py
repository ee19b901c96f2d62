"""Contract of ports.Templates: raw templates."""

import testscenarios

from convergence.tests.unit.db import base

load_tests = testscenarios.load_tests_apply_scenarios


class TestRawTemplates(base.DatabaseTestCase):

    def test_create_then_get_round_trips_the_documents(self):
        template = {'heat_template_version': '2015-10-15',
                    'resources': {'a': {'type': 'OS::Heat::None'}}}
        template_id = self.db.raw_template_create(
            's', template, {'parameters': {'x': 1}}, {'f.yaml': 'text'})
        self.assertEqual({'id': template_id, 'template': template,
                          'environment': {'parameters': {'x': 1}},
                          'files': {'f.yaml': 'text'}, 'facade': None,
                          'snapshot_id': None},
                         self.db.raw_template_get(template_id))

    def test_a_child_stacks_facade_round_trips(self):
        facade = {'metadata': {'k': [1, 2]}, 'deletion_policy': 'Retain',
                  'update_policy': {}}
        template_id = self.db.raw_template_create(
            's', {'resources': {}}, None, None, facade)
        self.assertEqual(facade,
                         self.db.raw_template_get(template_id)['facade'])

    def test_missing_environment_and_files_read_as_empty(self):
        got = self.db.raw_template_get(self.make_template())
        self.assertEqual(({}, {}), (got['environment'], got['files']))

    def test_get_missing_is_none(self):
        self.assertIsNone(self.db.raw_template_get(12345))

    def test_delete_unused_keeps_what_stack_and_resources_use(self):
        stack_id = base.new_id()
        unused, previous, by_resource = (self.make_template(stack_id)
                                         for _ in range(3))
        other_stack = self.make_template('other')
        stack = self.make_stack(id=stack_id, prev_raw_template_id=previous)
        self.make_resource(stack, current_template_id=by_resource)
        self.assertEqual([unused],
                         self.db.raw_templates_delete_unused(stack_id))
        self.assertIsNone(self.db.raw_template_get(unused))
        for kept in (stack['raw_template_id'], previous, by_resource,
                     other_stack):
            self.assertIsNotNone(self.db.raw_template_get(kept))

    def test_delete_unused_keeps_templates_newer_than_the_goal(self):
        """An update stores its template before it swaps it in."""
        stack = self.make_stack()
        about_to_start = self.make_template(stack['id'])
        self.assertEqual([], self.db.raw_templates_delete_unused(stack['id']))
        self.assertIsNotNone(self.db.raw_template_get(about_to_start))

    def test_delete_unused_without_a_rollback_target(self):
        stack_id = base.new_id()
        unused = self.make_template(stack_id)
        stack = self.make_stack(id=stack_id)
        self.assertEqual([unused],
                         self.db.raw_templates_delete_unused(stack_id))
        self.assertIsNotNone(self.db.raw_template_get(stack['raw_template_id']))
