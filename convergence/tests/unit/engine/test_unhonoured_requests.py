"""Requests asking for what the engine would not do are refused with 400.

Given the engine with its built-in types (the scenario framework's engine on
an in-memory database), a template or environment naming an attribute no
type has, a policy nobody carries out or a post-action breakpoint hook is refused at
validation, before any stack is stored.
"""

import testtools

from convergence import exceptions
from convergence.tests.scenarios import framework


def value(value=1, **extra) -> dict:
    return dict({'type': 'OS::Heat::Value', 'properties': {'value': value}},
                **extra)


def template(resources: dict, outputs=None) -> dict:
    tmpl = {'heat_template_version': '2018-08-31', 'resources': resources}
    if outputs:
        tmpl['outputs'] = outputs
    return tmpl


class UnhonouredRequestsTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        scenario = framework.Scenario(self)
        self.service = scenario.engine_service
        self.context = scenario.context

    def create(self, tmpl, env=None) -> None:
        self.service.create_stack(self.context, 'new', tmpl, env or {}, {},
                                  {})

    def assertRefused(self, error, message, tmpl, env=None) -> None:
        exc = self.assertRaises(error, self.create, tmpl, env)
        self.assertEqual(400, exc.http_status)
        self.assertIn(message, str(exc))
        self.assertEqual([], self.service.list_stacks(self.context))

    def test_a_misspelled_attribute_in_a_property_and_an_output(self):
        self.assertRefused(
            exceptions.StackValidationFailed,
            'resources.b.properties.value.get_attr: The Referenced Attribute '
            '(a valu) is incorrect.',
            template({'a': value(), 'b': value({'get_attr': ['a', 'valu']})}))
        self.assertRefused(
            exceptions.StackValidationFailed,
            'outputs.o.value.get_attr: The Referenced Attribute (a outptu) '
            'is incorrect.',
            template({'a': {'type': 'OS::Heat::TestResource'}},
                     {'o': {'value': {'get_attr': ['a', 'outptu']}}}))

    def test_the_built_in_types_attributes_are_accepted(self):
        reads = {'v': ['value', 'value'], 't': ['test', 'output'],
                 'r': ['random', 'value'], 'n': ['none', 'anything'],
                 's': ['value', 'show'], 'p': ['value', 'value', 'k', 0]}
        self.create(template(
            {'value': value(), 'test': {'type': 'OS::Heat::TestResource'},
             'random': {'type': 'OS::Heat::RandomString'},
             'none': {'type': 'OS::Heat::None'}},
            {name: {'value': {'get_attr': args}}
             for name, args in reads.items()}))
        self.assertEqual(1, len(self.service.list_stacks(self.context)))

    def test_a_snapshot_deletion_policy(self):
        self.assertRefused(
            exceptions.StackValidationFailed,
            'resources.a.deletion_policy: "Snapshot" deletion policy not '
            'supported', template({'a': value(deletion_policy='Snapshot')}))

    def test_an_update_policy(self):
        self.assertRefused(
            exceptions.StackValidationFailed,
            'Property error: resources.a.update_policy: Unknown Property '
            'rolling_update',
            template({'a': value(update_policy={'rolling_update': {}})}))

    def test_a_breakpoint_hook(self):
        self.assertRefused(
            exceptions.NotSupported,
            'Breakpoint hooks after an action are not supported by this '
            'engine (resource "a", hooks: "post-create")',
            template({'a': value()}),
            {'resource_registry': {'resources': {
                'a': {'hooks': ['pre-create', 'post-create']}}}})

    def test_a_breakpoint_hook_added_by_a_patch_update(self):
        identity = self.service.create_stack(
            self.context, 'hooked', template({'a': value()}), {}, {}, {})
        exc = self.assertRaises(
            exceptions.NotSupported, self.service.update_stack, self.context,
            identity, None, {'resource_registry': {'resources': {
                'a': {'hooks': ['post-update']}}}}, {}, {'existing': True})
        self.assertIn('"post-update"', str(exc))

    def test_event_sinks(self):
        self.assertRefused(
            exceptions.NotSupported, 'Event sinks are not supported',
            template({'a': value()}),
            {'event_sinks': [{'type': 'zaqar-queue', 'target': 'q'}]})
