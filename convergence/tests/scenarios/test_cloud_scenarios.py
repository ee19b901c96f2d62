"""Cloud resource types through the engine, on the in-memory cloud.

A user with a Keystone token creates a Net + Subnet + Port stack: the
engine makes a trust for the stack (its tree shares it), the nodes act
through the stack's credentials, an update changes the port in place or
replaces the subnet, a delete removes everything from the cloud and
deletes the trust.  Without a token (noauth) the cloud types are
unavailable and say why.
"""

from convergence import exceptions
from convergence.clients import memory
from convergence.rpc import context as rpc_context
from convergence.tests.scenarios import framework
from convergence.tests.scenarios import member_cloud
from convergence.tests.scenarios.framework import ScenarioTestCase

NAME = framework.STACK_NAME


def stack_template(port_name: str = 'p1', cidr: str = '10.0.0.0/24') -> dict:
    return {
        'heat_template_version': '2018-08-31',
        'resources': {
            'net': {'type': 'OS::Neutron::Net',
                    'properties': {'name': 'private'}},
            'sub': {'type': 'OS::Neutron::Subnet',
                    'properties': {'network': {'get_resource': 'net'},
                                   'cidr': cidr}},
            'port': {'type': 'OS::Neutron::Port',
                     'properties': {
                         'name': port_name,
                         'network': {'get_resource': 'net'},
                         'fixed_ips': [{'subnet': {'get_resource': 'sub'}}]}}},
        'outputs': {'ip': {'value': {'get_attr': [
            'port', 'fixed_ips', 0, 'ip_address']}}}}


class CloudStackTest(member_cloud.MemberCloudScenario):

    def test_create_update_delete_through_the_stacks_trust(self):
        self.create(stack_template())
        stack = self.stack()
        self.assertEqual('CREATE_COMPLETE', '%s_%s' % (stack['action'],
                                                       stack['status']),
                         stack['status_reason'])
        self.assertEqual({stack['user_creds_id']}, set(self.clouds.trusts))
        self.assertEqual('alice', self.clouds.trusts[
            stack['user_creds_id']]['trustor_user_id'])
        [port] = self.network.resources['port'].values()
        self.assertEqual('p1', port['name'])
        [sub] = self.network.resources['subnet'].values()
        self.assertEqual([{'subnet_id': sub['id'],
                           'ip_address': '10.0.0.3'}], port['fixed_ips'])

        self.update(stack_template(port_name='p2'))
        self.assertEqual('UPDATE_COMPLETE', self.stack()['action'] + '_' +
                         self.stack()['status'])
        [same_port] = self.network.resources['port'].values()
        self.assertEqual((port['id'], 'p2'), (same_port['id'],
                                              same_port['name']))

        self.update(stack_template(port_name='p2', cidr='10.1.0.0/24'))
        stack = self.stack()
        self.assertEqual('UPDATE_COMPLETE', '%s_%s' % (
            stack['action'], stack['status']), stack['status_reason'])
        [new_sub] = self.network.resources['subnet'].values()
        self.assertNotEqual(sub['id'], new_sub['id'])
        self.assertEqual('10.1.0.0/24', new_sub['cidr'])

        self.scenario.delete_stack(NAME)
        self.scenario.run()
        self.assertEqual({kind: {} for kind in self.network.resources},
                         self.network.resources)
        self.assertEqual({}, self.clouds.trusts)
        self.assertEqual(1, len(self.clouds.deleted_trusts))

    def test_a_nested_stack_acts_with_its_roots_credentials(self):
        child = {'heat_template_version': '2018-08-31', 'resources': {
            'inner': {'type': 'OS::Neutron::Net'}}}
        self.create({'heat_template_version': '2018-08-31', 'resources': {
            'nested': {'type': 'child.yaml'}}}, {'child.yaml': child})
        root = self.stack()
        [kid] = self.scenario.db.stack_list(
            None, filters={'owner_id': root['id']})
        self.assertEqual(root['user_creds_id'], kid['user_creds_id'])
        self.assertEqual(1, len(self.network.resources['network']))
        self.assertEqual(1, len(self.clouds.trusts))

    def test_a_resource_gone_behind_the_stacks_back_fails_the_check(self):
        self.create(stack_template())
        [port] = list(self.network.resources['port'])
        del self.network.resources['port'][port]
        self.scenario.call(self.scenario.engine_service.stack_check,
                           self.user, self.scenario._identity(NAME))
        self.scenario.run()
        stack = self.stack()
        self.assertEqual('CHECK_FAILED', '%s_%s' % (stack['action'],
                                                    stack['status']))
        self.assertIn('Port %s could not be found.' % port,
                      stack['status_reason'])

    def test_a_name_nobody_has_is_refused_before_anything_is_stored(self):
        self.create(stack_template())
        bad = stack_template()
        bad['resources']['port']['properties']['network'] = 'nope'
        exc = self.assertRaises(
            exceptions.StackValidationFailed,
            self.scenario.engine_service.create_stack, self.user, 'other',
            bad, {'parameters': {}}, {}, {})
        self.assertEqual(
            "Property error: resources.port.properties.network: Error "
            "validating value 'nope': Unable to find network with name or "
            "id 'nope'", str(exc))
        self.assertIsNone(self.scenario.db.stack_get_by_name('test',
                                                             'other'))
        named = stack_template()
        named['resources']['port']['properties']['network'] = 'private'
        named['resources']['net']['properties']['name'] = 'second'
        del named['resources']['port']['properties']['fixed_ips']
        del named['outputs']
        self.scenario.call(self.scenario.engine_service.create_stack,
                           self.user, 'other', named, {'parameters': {}},
                           {}, {})
        self.scenario.run()
        self.assertEqual('COMPLETE', self.scenario.db.stack_get_by_name(
            'test', 'other')['status'])

    def test_noauth_has_no_cloud_types(self):
        noauth = rpc_context.RequestContext(project_id='test', is_admin=True)
        service = self.scenario.engine_service
        exc = self.assertRaises(
            exceptions.ResourceTypeUnavailable, service.create_stack, noauth,
            NAME, stack_template(), {'parameters': {}}, {}, {})
        self.assertEqual(
            'HEAT-E99001 Service neutron is not available for resource type '
            'OS::Neutron::Net, reason: there is no service catalog: the '
            'request carries no Keystone token (noauth mode).', str(exc))
        self.assertIsNone(self.stack())
        types = service.list_resource_types(noauth)
        self.assertNotIn('OS::Neutron::Net', types)
        self.assertIn('OS::Heat::RandomString', types)
        self.assertIn('OS::Neutron::Port', service.list_resource_types(
            self.user))

    def test_a_catalog_without_the_network_service_hides_neutron(self):
        self.clouds.cloud.services = frozenset({'identity'})
        exc = self.assertRaises(
            exceptions.ResourceTypeUnavailable,
            self.scenario.engine_service.create_stack, self.user, NAME,
            stack_template(), {'parameters': {}}, {}, {})
        self.assertEqual('HEAT-E99001 Service neutron is not available for '
                         'resource type OS::Neutron::Net, reason: Service '
                         'endpoint not in service catalog.', str(exc))
        self.assertNotIn('OS::Neutron::Subnet', self.scenario.engine_service
                         .list_resource_types(self.user))


REMOTE = '''heat_template_version: 2013-05-23
resources:
  random1:
    type: OS::Heat::RandomString
'''


def remote_template(region: str = 'RegionOne') -> dict:
    resource = {'type': 'OS::Heat::Stack', 'properties': {
        'context': {'region_name': region},
        'template': {'get_file': 'remote.yaml'}}}
    return {'heat_template_version': '2013-05-23',
            'resources': {'my_stack': resource},
            'outputs': {'key': {'value': {
                'get_attr': ['my_stack', 'outputs']}}}}


class RemoteStackScenarioTest(ScenarioTestCase):
    """OS::Heat::Stack through the engine: validated with the user's cloud
    before anything is stored, made with the parent's files, deleted with
    the parent."""

    create, stack = CloudStackTest.create, CloudStackTest.stack

    def setUp(self):
        super().setUp()
        self.clouds = memory.InMemoryClouds(
            services=('identity', 'orchestration'))
        self.scenario.rt.clouds = self.clouds
        self.heat = self.clouds.cloud.heat
        self.user = rpc_context.RequestContext(
            project_id='test', user_id='alice', auth_token='token',
            roles=['member'])
        self.scenario.context = self.user

    def test_create_update_and_delete_reach_the_remote_heat(self):
        self.create(remote_template(), {'remote.yaml': REMOTE})
        stack = self.stack()
        self.assertEqual('CREATE_COMPLETE', '%s_%s' % (
            stack['action'], stack['status']), stack['status_reason'])
        [remote] = self.heat.stacks.values()
        self.assertEqual({'remote.yaml': REMOTE}, remote['files'])
        self.update_with_files(remote_template(), {
            'remote.yaml': REMOTE.replace('random1', 'random2')})
        self.assertEqual('UPDATE_COMPLETE', '%s_%s' % (
            self.stack()['action'], self.stack()['status']))
        self.assertEqual(['random2'], list(self.heat.stacks[remote['id']][
            'template']['resources']))
        self.scenario.call(self.scenario.engine_service.delete_stack,
                           self.user, self.scenario._identity(NAME))
        self.scenario.run()
        self.assertEqual({}, self.heat.stacks)

    def update_with_files(self, template: dict, files: dict) -> None:
        self.scenario.call(lambda: self.scenario.engine_service.update_stack(
            self.user, self.scenario._identity(NAME), template,
            {'parameters': {}}, files, {}))
        self.scenario.run()

    def test_a_region_without_heat_is_refused_before_anything_is_stored(
            self):
        exc = self.assertRaises(
            exceptions.StackValidationFailed,
            self.scenario.engine_service.create_stack, self.user, NAME,
            remote_template('DARKHOLE'), {'parameters': {}},
            {'remote.yaml': REMOTE}, {})
        self.assertEqual(
            'Cannot establish connection to Heat endpoint at region '
            '"DARKHOLE" due to "public endpoint for orchestration service '
            'in DARKHOLE region not found"', str(exc))
        self.assertIsNone(self.stack())

    def test_an_invalid_remote_template_is_refused_as_heat_refuses_it(self):
        exc = self.assertRaises(
            exceptions.StackValidationFailed,
            self.scenario.engine_service.create_stack, self.user, NAME,
            remote_template(), {'parameters': {}},
            {'remote.yaml': REMOTE.replace('resources', 'resource')}, {})
        self.assertEqual(
            'Failed validating stack template using Heat endpoint at region '
            '"RegionOne" due to "ERROR: The template section is invalid: '
            'resource"', str(exc))

    def test_a_catalog_without_heat_hides_the_type(self):
        self.clouds.cloud.services = frozenset({'identity'})
        exc = self.assertRaises(
            exceptions.ResourceTypeUnavailable,
            self.scenario.engine_service.create_stack, self.user, NAME,
            remote_template(), {'parameters': {}}, {'remote.yaml': REMOTE},
            {})
        self.assertIn('Service heat is not available for resource type '
                      'OS::Heat::Stack', str(exc))
