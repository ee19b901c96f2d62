"""Resources with ``external_id``: referred to, adopted, never managed.

Given the engine on the scenario framework's in-memory database, a stack
whose resource names an ``external_id`` is created by adopting that id
(checked when the type can check), keeps it through updates that leave the
id alone, refuses updates that change it, and leaves the resource in place
when the stack is deleted, as upstream Heat does.
"""

from convergence import resources
from convergence.resources import base
from convergence.tests.scenarios import framework

CHECKED = 'Test::CheckedExternal'
HOT = {'heat_template_version': '2016-10-14'}


class CheckedExternal(base.Resource):
    """A type that checks its resource and records every call."""

    calls: list = []
    missing: set = set()

    def handle_create(self):
        CheckedExternal.calls.append(('create', self.name))
        self.resource_id_set('made-%s' % self.name)

    def handle_check(self):
        CheckedExternal.calls.append(('check', self.resource_id))
        if self.resource_id in CheckedExternal.missing:
            raise Exception('%s is not there' % self.resource_id)

    def handle_delete(self):
        CheckedExternal.calls.append(('delete', self.resource_id))


def template(res: dict) -> dict:
    return dict(HOT, resources={'test1': res},
                outputs={'str': {'value': {'get_resource': 'test1'}}})


PLAIN = template({'type': 'OS::Heat::TestResource'})
EXTERNAL = template({'type': 'OS::Heat::TestResource',
                     'external_id': 'foobar'})


class ExternalResourceTest(framework.ScenarioTestCase):

    def setUp(self):
        super().setUp()
        self.s = self.scenario
        self.service, self.ctx = self.s.engine_service, self.s.context
        resources.register(CHECKED, CheckedExternal)
        self.addCleanup(resources.unregister, CHECKED)
        CheckedExternal.calls = []
        CheckedExternal.missing = set()

    def create(self, tmpl, files=None) -> dict:
        identity = self.service.create_stack(
            self.ctx, 'ext', tmpl, {}, files or {},
            {'disable_rollback': True})
        self.s.run()
        return identity

    def update(self, identity, tmpl) -> None:
        self.service.update_stack(self.ctx, identity, tmpl, {}, {},
                                  {'disable_rollback': True})
        self.s.run()

    def shown(self, identity) -> tuple:
        stack = self.service.show_stack(self.ctx, identity)[0]
        outputs = {o['output_key']: o.get('output_value')
                   for o in stack['outputs']}
        return ('%s_%s' % (stack['stack_action'], stack['stack_status']),
                stack['stack_status_reason'], outputs)

    def resource(self, identity) -> tuple:
        [res] = self.service.list_stack_resources(self.ctx, identity)
        return (res['physical_resource_id'], '%s_%s' % (
            res['resource_action'], res['resource_status']))

    def test_create_adopts_the_external_id(self):
        """Given a resource with external_id, when the stack is created,
        then the resource is that id, adopted (nothing is made), and
        get_resource reads it."""
        identity = self.create(EXTERNAL)
        state, _reason, outputs = self.shown(identity)
        self.assertEqual(('CREATE_COMPLETE', {'str': 'foobar'}),
                         (state, outputs))
        self.assertEqual(('foobar', 'ADOPT_COMPLETE'),
                         self.resource(identity))

    def test_a_type_that_checks_checks_the_external_resource(self):
        """Given a checking type, when its external resource is there, the
        create checks and never creates it; when it is missing, the create
        fails with the check's reason."""
        tmpl = template({'type': CHECKED, 'external_id': 'ext-1'})
        self.assertEqual('CREATE_COMPLETE', self.shown(self.create(tmpl))[0])
        self.assertEqual([('check', 'ext-1')], CheckedExternal.calls)
        CheckedExternal.missing.add('ext-2')
        tmpl = template({'type': CHECKED, 'external_id': 'ext-2'})
        self.service.delete_stack(self.ctx, self.service.list_stacks(
            self.ctx)[0]['stack_identity'])
        self.s.run()
        state, reason, _outputs = self.shown(self.create(tmpl))
        self.assertEqual('CREATE_FAILED', state)
        self.assertIn('ext-2 is not there', reason)

    def test_its_properties_are_not_used(self):
        """Given an external OS::Heat::Value without its required value,
        the stack is created (Heat validates no external properties)."""
        identity = self.create(template({'type': 'OS::Heat::Value',
                                         'external_id': 'v-1'}))
        self.assertEqual('CREATE_COMPLETE', self.shown(identity)[0])

    def test_an_update_keeping_the_external_id_changes_nothing(self):
        """Given an external resource, when the same template (another
        description too) is the update, then it completes and the resource
        is still the adopted one."""
        identity = self.create(EXTERNAL)
        self.update(identity, dict(EXTERNAL, description='again'))
        self.assertEqual(('UPDATE_COMPLETE', {'str': 'foobar'}),
                         (self.shown(identity)[0], self.shown(identity)[2]))
        self.assertEqual(('foobar', 'ADOPT_COMPLETE'),
                         self.resource(identity))

    def test_an_update_adding_an_external_id_fails(self):
        """Given a resource the stack made, when the update gives it an
        external_id, then the update fails as Heat's does and the resource
        is left as it was."""
        identity = self.create(PLAIN)
        before = self.resource(identity)
        self.update(identity, EXTERNAL)
        state, reason, _outputs = self.shown(identity)
        self.assertEqual('UPDATE_FAILED', state)
        self.assertEqual(
            'Resource UPDATE failed: NotSupported: resources.test1: Update '
            'to property external_id of test1 (OS::Heat::TestResource) is '
            'not supported.', reason)
        self.assertEqual(before, self.resource(identity))

    def test_an_update_dropping_or_changing_the_external_id_fails(self):
        for tmpl in (PLAIN, template({'type': 'OS::Heat::TestResource',
                                      'external_id': 'other'})):
            identity = self.create(EXTERNAL)
            self.update(identity, tmpl)
            self.assertEqual('UPDATE_FAILED', self.shown(identity)[0])
            self.assertEqual(('foobar', 'ADOPT_COMPLETE'),
                             self.resource(identity))
            self.service.delete_stack(self.ctx, identity)
            self.s.run()

    def test_a_delete_leaves_the_external_resource(self):
        """Given an external resource of a type that deletes, when the
        stack is deleted, then its handle_delete never runs."""
        identity = self.create(template({'type': CHECKED,
                                         'external_id': 'ext-1'}))
        self.service.delete_stack(self.ctx, identity)
        self.s.run()
        self.assertEqual([], self.service.list_stacks(self.ctx))
        self.assertEqual([('check', 'ext-1')], CheckedExternal.calls)

    def test_a_nested_stack_resource_cannot_be_external(self):
        """Given a template resource with external_id, the create fails
        naming what is not supported (an id is no child stack)."""
        identity = self.create(
            template({'type': 'child.yaml', 'external_id': 's-1'}),
            files={'child.yaml': '{"heat_template_version": "2016-10-14"}'})
        state, reason, _outputs = self.shown(identity)
        self.assertEqual('CREATE_FAILED', state)
        self.assertIn('external_id of a nested stack resource '
                      '(child.yaml) is not supported', reason)
