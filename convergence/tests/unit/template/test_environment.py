"""Environment: sections, registry aliases, restricted actions, merging,
and the sections this engine refuses rather than ignores."""

import testtools

from convergence import exceptions
from convergence.template import Environment, environment


class SectionsTest(testtools.TestCase):

    def test_empty_to_dict_shape(self):
        self.assertEqual({'parameters': {}, 'parameter_defaults': {},
                          'resource_registry': {'resources': {}},
                          'encrypted_param_names': [], 'event_sinks': []},
                         Environment().to_dict())

    def test_round_trip(self):
        env = {'parameters': {'a': 1}, 'parameter_defaults': {'b': 2},
               'resource_registry': {'OS::Foo': 'OS::Heat::None',
                                     'resources': {'r': {
                                         'restricted_actions': 'update'}}},
               'encrypted_param_names': ['a'],
               'event_sinks': [{'type': 'zaqar-queue', 'target': 'q'}]}
        self.assertEqual(env, Environment(env).to_dict())
        self.assertEqual(env, Environment(Environment(env).to_dict())
                         .to_dict())

    def test_user_dict_has_no_encrypted_names(self):
        self.assertNotIn('encrypted_param_names', Environment().user_dict())

    def test_unknown_section(self):
        exc = self.assertRaises(exceptions.BadRequest, Environment,
                                {'paramters': {}})
        self.assertEqual('Environment not in valid format: environment has '
                         'wrong section "paramters"', str(exc))

    def test_empty_section(self):
        exc = self.assertRaises(exceptions.BadRequest, Environment,
                                {'parameters': None})
        self.assertIn('environment has empty section "parameters"', str(exc))

    def test_section_must_be_a_map(self):
        self.assertRaises(exceptions.BadRequest, Environment,
                          {'parameters': ['a']})

    def test_to_dict_is_a_copy(self):
        env = Environment({'parameters': {'a': {'b': 1}}})
        env.to_dict()['parameters']['a']['b'] = 2
        self.assertEqual({'a': {'b': 1}}, env.parameters)


class RegistryTest(testtools.TestCase):

    def test_alias(self):
        env = Environment({'resource_registry': {'OS::Foo': 'OS::Heat::None'}})
        self.assertEqual('OS::Heat::None', env.resource_type('OS::Foo'))
        self.assertEqual('OS::Bar', env.resource_type('OS::Bar'))

    def test_alias_chain(self):
        env = Environment({'resource_registry': {'A': 'B', 'B': 'C'}})
        self.assertEqual('C', env.resource_type('A'))

    def test_alias_loop_stops(self):
        env = Environment({'resource_registry': {'A': 'B', 'B': 'A'}})
        self.assertIn(env.resource_type('A'), ('A', 'B'))

    def test_glob_to_glob(self):
        env = Environment({'resource_registry': {
            'OS::Networking::*': 'OS::Neutron::*'}})
        self.assertEqual('OS::Neutron::Port',
                         env.resource_type('OS::Networking::Port'))

    def test_glob_to_one_type(self):
        env = Environment({'resource_registry': {'OS::*': 'OS::Heat::None'}})
        self.assertEqual('OS::Heat::None', env.resource_type('OS::Nova::Server'))
        self.assertEqual('OS::Heat::None', env.resource_type('OS::Heat::None'))

    def test_per_resource_mapping(self):
        env = Environment({'resource_registry': {'resources': {
            'special': {'OS::Foo': 'OS::Heat::Value'}},
            'OS::Foo': 'OS::Heat::None'}})
        self.assertEqual('OS::Heat::Value',
                         env.resource_type('OS::Foo', 'special'))
        self.assertEqual('OS::Heat::None',
                         env.resource_type('OS::Foo', 'other'))

    def test_provider_templates_are_types(self):
        env = Environment({'resource_registry': {
            'My::Type': 'my.yaml', 'resources': {'r': {
                'My::T': 'http://x/t.yaml'}}}})
        self.assertEqual('my.yaml', env.resource_type('My::Type'))
        self.assertEqual('http://x/t.yaml', env.resource_type('My::T', 'r'))

    def test_settings_of_a_nested_stacks_resources(self):
        env = Environment({'resource_registry': {'resources': {
            'outer': {'inner': {'restricted_actions': 'replace'}}}}})
        self.assertEqual(
            {'outer': {'inner': {'restricted_actions': 'replace'}}},
            env.to_dict()['resource_registry']['resources'])

    def test_mapping_must_be_a_type_name(self):
        self.assertRaises(exceptions.BadRequest, Environment,
                          {'resource_registry': {'A': ['B']}})


class RestrictedActionsTest(testtools.TestCase):

    def test_by_name_and_glob(self):
        env = Environment({'resource_registry': {'resources': {
            'web*': {'restricted_actions': ['update', 'replace']},
            'web1': {'restricted_actions': 'replace'},
            'db': {'OS::Foo': 'OS::Heat::None'}}}})
        self.assertEqual({'update', 'replace'},
                         env.restricted_actions('web1'))
        self.assertEqual({'update', 'replace'},
                         env.restricted_actions('web2'))
        self.assertEqual(set(), env.restricted_actions('db'))

    def test_invalid_action(self):
        exc = self.assertRaises(
            exceptions.InvalidRestrictedAction, Environment,
            {'resource_registry': {'resources': {
                'r': {'restricted_actions': ['delete']}}}})
        self.assertIn('Invalid restricted_action type "[\'delete\']" for '
                      'resource, acceptable restricted_action types are: '
                      "('update', 'replace')", str(exc))
        self.assertEqual(400, exc.http_status)

    def test_hooks_of_a_resource(self):
        env = Environment({'resource_registry': {'resources': {
            'db': {'hooks': 'pre-create'},
            'd*': {'hooks': ['pre-update', 'pre-delete']},
            'web': {'hooks': 'pre-create'}}}})
        self.assertEqual({'pre-create', 'pre-update', 'pre-delete'},
                         env.hooks('db'))
        self.assertEqual({'pre-update', 'pre-delete'}, env.hooks('dns'))
        self.assertEqual(set(), env.hooks('app'))

    def test_hooks_of_a_nested_stack_come_from_its_parent_resource(self):
        parent = {'resource_registry': {'resources': {
            'nested': {'inner': {'hooks': 'pre-create'}},
            'inner': {'hooks': 'pre-delete'}}}}
        child = Environment(environment.child_environment(parent, {}, 'nested'))
        self.assertEqual({'pre-create'}, child.hooks('inner'))

    def test_invalid_hook(self):
        self.assertRaises(exceptions.InvalidBreakPointHook, Environment,
                          {'resource_registry': {'resources': {
                              'r': {'hooks': 'pre-lunch'}}}})


class UnhonouredSectionsTest(testtools.TestCase):
    """Given an environment asking for what this engine does not do, when a
    stack operation checks it, then it is refused by name, not ignored."""

    def assertRefused(self, env, *message_parts):
        exc = self.assertRaises(exceptions.NotSupported,
                                Environment(env).check_honoured)
        self.assertEqual(400, exc.http_status)
        for part in message_parts:
            self.assertIn(part, str(exc))

    def test_post_action_hooks_name_the_resource_and_hook(self):
        self.assertRefused(
            {'resource_registry': {'resources': {
                'db': {'hooks': ['pre-create', 'post-create',
                                 'post-update']}}}},
            'resource_registry.resources.db.hooks: Breakpoint hooks after an '
            'action are not supported', 'resource "db"',
            'hooks: "post-create", "post-update");')

    def test_a_post_hook_on_a_glob(self):
        self.assertRefused(
            {'resource_registry': {'resources': {'web*': {
                'hooks': 'post-delete'}}}}, 'resource "web*"',
            '"post-delete"')

    def test_a_post_hook_of_a_nested_resource(self):
        self.assertRefused(
            {'resource_registry': {'resources': {'nested': {'inner': {
                'hooks': 'post-delete'}}}}},
            'resource_registry.resources.nested.inner.hooks')

    def test_pre_action_hooks_are_honoured(self):
        Environment({'resource_registry': {'resources': {
            'db': {'hooks': ['pre-create', 'pre-update', 'pre-delete']},
            'nested': {'inner': {'hooks': 'pre-create'}}}}}).check_honoured()

    def test_a_hook_type_heat_does_not_know_is_still_invalid(self):
        self.assertRaises(exceptions.InvalidBreakPointHook, Environment,
                          {'resource_registry': {'resources': {
                              'r': {'hooks': 'pre-lunch'}}}})

    def test_event_sinks(self):
        self.assertRefused({'event_sinks': [{'type': 'zaqar-queue',
                                             'target': 'q'}]},
                           'event_sinks: Event sinks are not supported')

    def test_encrypted_param_names(self):
        self.assertRefused({'encrypted_param_names': ['password']},
                           'encrypted_param_names', '"password"')

    def test_a_stored_environment_with_hooks_still_loads(self):
        env = Environment({'resource_registry': {'resources': {
            'db': {'hooks': 'pre-create'}}}})
        self.assertEqual(
            {'db': {'hooks': 'pre-create'}},
            Environment(env.to_dict()).to_dict()[
                'resource_registry']['resources'])

    def test_empty_sections_are_honoured(self):
        Environment({'event_sinks': [], 'encrypted_param_names': [],
                     'parameter_merge_strategies': {},
                     'resource_registry': {'resources': {
                         'db': {'hooks': []}}}}).check_honoured()

    def test_unknown_merge_strategy(self):
        exc = self.assertRaises(
            exceptions.BadRequest, Environment,
            {'parameter_merge_strategies': {'tags': 'mrege'}})
        self.assertIn('parameter_merge_strategies.tags: Unknown parameter '
                      'merge strategy "mrege"', str(exc))

    def test_overwrite_is_how_environments_merge(self):
        env = Environment({'parameters': {'a': 1},
                           'parameter_merge_strategies': {
                               'default': 'overwrite', 'a': 'overwrite'}})
        self.assertEqual({'a': 2}, env.merged_with(
            {'parameters': {'a': 2}}).parameters)


class MergeTest(testtools.TestCase):

    base = {'parameters': {'a': '1', 'b': '2'},
            'parameter_defaults': {'d': 'x'},
            'resource_registry': {'OS::Foo': 'OS::Heat::None',
                                  'OS::Bar': 'OS::Heat::None'},
            'event_sinks': [{'type': 's1'}]}

    def test_patch_over(self):
        merged = Environment(self.base).merged_with(
            {'parameters': {'b': '3'}, 'parameter_defaults': {'e': 'y'},
             'resource_registry': {'OS::Foo': 'OS::Heat::Value',
                                   'OS::Bar': None},
             'event_sinks': [{'type': 's2'}]})
        self.assertEqual({'a': '1', 'b': '3'}, merged.parameters)
        self.assertEqual({'d': 'x', 'e': 'y'}, merged.parameter_defaults)
        self.assertEqual('OS::Heat::Value', merged.resource_type('OS::Foo'))
        self.assertEqual('OS::Bar', merged.resource_type('OS::Bar'))
        self.assertEqual([{'type': 's1'}, {'type': 's2'}],
                         merged.event_sinks)

    def test_original_is_unchanged(self):
        env = Environment(self.base)
        env.merged_with({'parameters': {'a': 'z'}})
        self.assertEqual('1', env.parameters['a'])

    def test_clear_parameters(self):
        merged = Environment(self.base).merged_with(None,
                                                    clear_parameters=['a'])
        self.assertEqual({'b': '2'}, merged.parameters)

    def test_merged_environment_is_validated(self):
        self.assertRaises(exceptions.BadRequest,
                          Environment(self.base).merged_with, {'bad': {}})

    def test_glob_removal(self):
        merged = Environment(self.base).merged_with(
            {'resource_registry': {'OS::*': None}})
        self.assertEqual({'resources': {}},
                         merged.to_dict()['resource_registry'])

    def test_with_only_parameters(self):
        kept = Environment(self.base).with_only_parameters(['b', 'z'])
        self.assertEqual({'b': '2'}, kept.parameters)


class ChildEnvironmentTest(testtools.TestCase):
    """What a nested stack inherits (Heat's get_child_environment)."""

    PARENT = {'parameters': {'p': 1}, 'parameter_defaults': {'d': 2},
              'encrypted_param_names': ['p'],
              'resource_registry': {
                  'OS::Heat::RandomString': 'nested.yaml',
                  'My::Other': 'OS::Heat::None',
                  'resources': {
                      'res': {'inner': {'restricted_actions': 'update'},
                              'My::Other': 'OS::Heat::Value'},
                      'r*': {'other_inner': {'restricted_actions':
                                             'replace'}},
                      'unrelated': {'x': {'restricted_actions': 'update'}}}}}

    def child(self, template_name='nested.yaml'):
        return environment.child_environment(self.PARENT, {'q': 3}, 'res',
                                             template_name)

    def test_parameters_are_the_childs_own(self):
        self.assertEqual({'q': 3}, self.child()['parameters'])
        self.assertEqual({'d': 2}, self.child()['parameter_defaults'])
        self.assertNotIn('encrypted_param_names', self.child())

    def test_the_mapping_to_the_template_itself_is_dropped(self):
        registry = self.child()['resource_registry']
        self.assertNotIn('OS::Heat::RandomString', registry)
        self.assertEqual('OS::Heat::None', registry['My::Other'])
        self.assertIn('OS::Heat::RandomString',
                      self.child(None)['resource_registry'])

    def test_per_resource_settings_are_the_resources_children(self):
        self.assertEqual(
            {'inner': {'restricted_actions': 'update'},
             'other_inner': {'restricted_actions': 'replace'}},
            self.child()['resource_registry']['resources'])
        child = Environment(self.child())
        self.assertEqual({'update'}, child.restricted_actions('inner'))
