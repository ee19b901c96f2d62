"""The Keystone types through the engine, on the in-memory Keystone: only a
project's admin may use them (Heat's resource_types:OS::Keystone::* rule);
the admin's stack makes a domain with a project and a user granted a role
there, and its delete leaves Keystone as it was."""

from convergence import exceptions
from convergence.clients import memory
from convergence.rpc import context as rpc_context
from convergence.tests.scenarios import framework
from convergence.tests.scenarios.framework import ScenarioTestCase

NAME = framework.STACK_NAME

TEMPLATE = {
    'heat_template_version': '2018-08-31',
    'resources': {
        'domain': {'type': 'OS::Keystone::Domain',
                   'properties': {'name': 'd', 'enabled': False}},
        'project': {'type': 'OS::Keystone::Project', 'properties': {
            'name': 'p', 'domain': {'get_resource': 'domain'}}},
        'user': {'type': 'OS::Keystone::User', 'properties': {
            'name': 'u', 'domain': {'get_resource': 'domain'},
            'roles': [{'role': 'member',
                       'project': {'get_resource': 'project'}}]}}},
    'outputs': {'domain_of_user': {'value': {'get_attr': ['user',
                                                          'domain_id']}}}}


def _user(*roles) -> rpc_context.RequestContext:
    return rpc_context.RequestContext(project_id='test', user_id='alice',
                                      auth_token='token', roles=list(roles))


class KeystoneStackTest(ScenarioTestCase):

    def setUp(self):
        super().setUp()
        self.clouds = memory.InMemoryClouds()
        self.scenario.rt.clouds = self.clouds
        self.keystone = self.clouds.cloud.identity
        self.service = self.scenario.engine_service
        self.admin, self.member = _user('admin', 'member'), _user('member')

    def test_a_members_keystone_stack_is_refused_before_anything_is_kept(self):
        error = self.assertRaises(
            exceptions.Forbidden, self.service.create_stack, self.member,
            NAME, TEMPLATE, {'parameters': {}}, {}, {})
        self.assertEqual('You are not authorized to use '
                         'OS::Keystone::Domain.', str(error))
        self.assertIsNone(self.scenario.db.stack_get_by_name('test', NAME))
        self.assertEqual({}, self.clouds.trusts)
        self.assertNotIn('OS::Keystone::User',
                         self.service.list_resource_types(self.member))
        self.assertIn('OS::Keystone::User',
                      self.service.list_resource_types(self.admin))
        self.assertRaises(exceptions.Forbidden, self.service.resource_schema,
                          self.member, 'OS::Keystone::User')

    def test_an_admin_type_we_lack_is_forbidden_to_a_member_as_in_heat(self):
        qos = {'heat_template_version': '2018-08-31', 'resources': {
            'q': {'type': 'OS::Neutron::QoSPolicy'}}}
        error = self.assertRaises(
            exceptions.Forbidden, self.service.create_stack, self.member,
            NAME, qos, {'parameters': {}}, {}, {})
        self.assertEqual('You are not authorized to use '
                         'OS::Neutron::QoSPolicy.', str(error))
        # The catalog has Neutron: the admin hears we lack it (decision 32).
        error = self.assertRaises(
            exceptions.ResourceTypeNotImplemented, self.service.create_stack,
            self.admin, NAME, qos, {'parameters': {}}, {}, {})
        self.assertEqual('The Resource Type (OS::Neutron::QoSPolicy) is not '
                         'implemented by this engine.', str(error))

    def test_an_admins_stack_makes_and_deletes_a_domain_and_its_users(self):
        self.scenario.context = self.admin
        self.scenario.call(self.service.create_stack, self.admin, NAME,
                           TEMPLATE, {'parameters': {}}, {}, {})
        self.scenario.run()
        stack = self.scenario.db.stack_get_by_name('test', NAME)
        self.assertEqual(('CREATE', 'COMPLETE'),
                         (stack['action'], stack['status']),
                         stack['status_reason'])
        [domain] = [d for d in self.keystone.resources['domain'].values()
                    if d['name'] == 'd']
        [user] = self.keystone.resources['user'].values()
        [project] = self.keystone.resources['project'].values()
        member = self.keystone.find('role', 'member')['id']
        self.assertEqual((domain['id'], domain['id']),
                         (user['domain_id'], project['domain_id']))
        self.assertEqual({(member, 'user', user['id'], 'project',
                           project['id'])}, self.keystone.grants)
        self.scenario.delete_stack(NAME)
        self.scenario.run()
        self.assertEqual(({'default'}, {}, {}, set()), (
            set(self.keystone.resources['domain']),
            self.keystone.resources['user'],
            self.keystone.resources['project'], self.keystone.grants))
