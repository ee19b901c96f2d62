"""Net + Subnet + Port stacks on a real cloud, through our REST API with a
real user's token, on the cloud of ``local_cloud.get()``.

One convergence-all for the class, in keystone mode (stacks.ProjectServer):
``[keystone_authtoken]`` with the cloud's admin (token caching off, so a
revoked token is refused at once) and ``[trustee]`` a user the fixture
makes.  A member of a project the fixture makes creates, updates and
deletes stacks; what exists is checked through openstacksdk as that user.
"""

import time

import requests
import testtools
import testtools.content

from functional_tests.cloud import stacks

STACK_TIMEOUT = 120


def template(port_name='p1', cidr='10.71.0.0/24', network='net',
             slow=False) -> dict:
    network_ref = {'get_resource': 'net'} if network == 'net' else network
    resources = {
        'net': {'type': 'OS::Neutron::Net', 'properties': {}},
        'sub': {'type': 'OS::Neutron::Subnet',
                'properties': {'network': {'get_resource': 'net'},
                               'cidr': cidr}},
        'port': {'type': 'OS::Neutron::Port',
                 'properties': {'name': port_name, 'network': network_ref,
                                'fixed_ips': [
                                    {'subnet': {'get_resource': 'sub'}}]}}}
    if slow:
        # The cloud resources are made after ``pause`` and deleted after
        # ``tail``: a token revoked meanwhile is not what they act with.
        resources['pause'] = {'type': 'OS::Heat::TestResource',
                              'properties': {'action_wait_secs': {
                                  'create': 6}}}
        resources['net']['depends_on'] = ['pause']
        resources['tail'] = {'type': 'OS::Heat::TestResource',
                             'depends_on': ['port'],
                             'properties': {'action_wait_secs': {
                                 'delete': 6}}}
    return {'heat_template_version': '2018-08-31', 'resources': resources,
            'outputs': {'ip': {'value': {'get_attr': [
                'port', 'fixed_ips', 0, 'ip_address']}}}}


class NeutronStackTest(stacks.ProjectServer, testtools.TestCase):

    users_prefix = 'cl-demo'

    def setUp(self):
        super().setUp()
        member = self.users.user_connection()
        self.neutron = member.network
        # One token for the test's own calls (each validated by Keystone:
        # auth_token's cache is off); the revocation test takes its own.
        self.member_token = member.session.get_token()
        self.timings: dict[str, float] = {}
        self.addDetail('server-log', _lazy_log(self.server))
        self.addDetail('timings', testtools.content.Content(
            testtools.content.UTF8_TEXT, lambda: [' '.join(
                '%s=%.1fs' % item for item in self.timings.items()).encode()]))

    # --- our REST API, as the member ---

    def call(self, method: str, path: str, token: str | None = None,
             body: dict | None = None):
        response = requests.request(
            method, self.url(path), json=body, timeout=60, headers={
                'X-Auth-Token': token or self.member_token,
                'Accept': 'application/json'})
        return response.status_code, (response.json() if response.content
                                      else None)

    def create(self, name: str, tmpl: dict, token: str | None = None):
        self._since = time.monotonic()
        status, body = self.call('POST', '/stacks', token, {
            'stack_name': name, 'template': tmpl, 'parameters': {}})
        self.assertEqual(201, status, body)
        return body['stack']['id']

    def update(self, name: str, stack_id: str, tmpl: dict):
        self._since = time.monotonic()
        status, body = self.call('PUT', '/stacks/%s/%s' % (name, stack_id),
                                 body={'template': tmpl, 'parameters': {}})
        self.assertEqual(202, status, body)

    def stack(self, name: str, stack_id: str) -> dict | None:
        status, body = self.call('GET', '/stacks/%s/%s' % (name, stack_id))
        return None if status == 404 else body['stack']

    def wait(self, name: str, stack_id: str, status: str) -> dict:
        """Poll until ``status``; records the time since the last wait
        (or the test's start) under ``timings[status]``."""
        start = getattr(self, '_since', None) or time.monotonic()
        deadline = time.monotonic() + STACK_TIMEOUT
        while time.monotonic() < deadline:
            stack = self.stack(name, stack_id)
            if stack is None or stack['stack_status'] == status:
                self.timings['%s %s' % (name, status)] = (
                    time.monotonic() - start)
                return stack
            if stack['stack_status'].endswith('FAILED'):
                self.fail('%s: %s' % (stack['stack_status'],
                                      stack['stack_status_reason']))
            time.sleep(0.5)
        self.fail('%s did not reach %s' % (name, status))

    def resources(self, name: str, stack_id: str) -> dict:
        status, body = self.call('GET', '/stacks/%s/%s/resources' % (
            name, stack_id))
        self.assertEqual(200, status, body)
        return {r['resource_name']: r['physical_resource_id']
                for r in body['resources']}

    def in_neutron(self) -> dict:
        """The member's networks, subnets and ports, by kind: {id: name}."""
        return {'network': {n.id: n.name for n in self.neutron.networks(
                    project_id=self.users.project.id)},
                'subnet': {s.id: s.cidr for s in self.neutron.subnets(
                    project_id=self.users.project.id)},
                'port': {p.id: p.name for p in self.neutron.ports(
                    project_id=self.users.project.id)}}

    # --- the tests ---

    def test_create_update_in_place_replace_and_delete(self):
        stack_id = self.create('cl-net', template())
        shown = self.wait('cl-net', stack_id, 'CREATE_COMPLETE')
        ids = self.resources('cl-net', stack_id)
        found = self.in_neutron()
        self.assertEqual('p1', found['port'][ids['port']])
        self.assertEqual('10.71.0.0/24', found['subnet'][ids['sub']])
        self.assertIn(ids['net'], found['network'])
        port = self.neutron.get_port(ids['port'])
        self.assertEqual(ids['sub'], port.fixed_ips[0]['subnet_id'])
        self.assertEqual([port.fixed_ips[0]['ip_address']],
                         [o['output_value'] for o in shown['outputs']])

        self.update('cl-net', stack_id, template(port_name='p2'))
        self.wait('cl-net', stack_id, 'UPDATE_COMPLETE')
        self.assertEqual(ids, self.resources('cl-net', stack_id))
        self.assertEqual('p2', self.neutron.get_port(ids['port']).name)

        self.update('cl-net', stack_id, template(port_name='p2',
                                                 cidr='10.72.0.0/24'))
        self.wait('cl-net', stack_id, 'UPDATE_COMPLETE')
        new_ids = self.resources('cl-net', stack_id)
        self.assertNotEqual(ids['sub'], new_ids['sub'])
        found = self.in_neutron()
        self.assertEqual({new_ids['sub']: '10.72.0.0/24'}, found['subnet'])
        self.assertEqual(new_ids['sub'], self.neutron.get_port(
            ids['port']).fixed_ips[0]['subnet_id'])

        self._since = time.monotonic()
        status, body = self.call('DELETE', '/stacks/cl-net/%s' % stack_id)
        self.assertEqual(204, status, body)
        self.wait('cl-net', stack_id, 'DELETE_COMPLETE')
        self.assertEqual({'network': {}, 'subnet': {}, 'port': {}},
                         self.in_neutron())
        self.assertEqual([], self.users.trusts_of_user())

    def test_revoked_tokens_do_not_stop_the_stack_its_trust_acts(self):
        first = self.users.token()
        stack_id = self.create('cl-slow', template(slow=True), first)
        self.assertEqual(1, len(self.users.trusts_of_user()))
        self.users.revoke(first)
        self.assertEqual(401, self.call('GET', '/stacks', first)[0])
        self.assertEqual({}, self.in_neutron()['network'])
        self.wait('cl-slow', stack_id, 'CREATE_COMPLETE')
        ids = self.resources('cl-slow', stack_id)
        self.assertIn(ids['port'], self.in_neutron()['port'])

        second = self.users.token()
        status, body = self.call('DELETE', '/stacks/cl-slow/%s' % stack_id,
                                 second)
        self.assertEqual(204, status, body)
        self.users.revoke(second)
        self.assertIn(ids['port'], self.in_neutron()['port'])
        self.wait('cl-slow', stack_id, 'DELETE_COMPLETE')
        self.assertEqual({'network': {}, 'subnet': {}, 'port': {}},
                         self.in_neutron())
        self.assertEqual([], self.users.trusts_of_user())

    def test_a_network_that_does_not_exist_is_refused_400(self):
        status, body = self.call('POST', '/stacks', body={
            'stack_name': 'cl-bad', 'parameters': {},
            'template': template(network='cl-no-such-net')})
        self.assertEqual(400, status, body)
        self.assertEqual(
            ('StackValidationFailed', "Property error: resources.port."
             "properties.network: Error validating value 'cl-no-such-net': "
             "Unable to find network with name or id 'cl-no-such-net'"),
            (body['error']['type'], body['error']['message']))
        self.assertEqual(404, self.call('GET', '/stacks/cl-bad')[0])
        self.assertEqual({'network': {}, 'subnet': {}, 'port': {}},
                         self.in_neutron())
        self.assertEqual([], self.users.trusts_of_user())

    def test_a_router_interface_and_a_port_in_a_security_group(self):
        tmpl = template()
        tmpl['resources'].update({
            'web': {'type': 'OS::Neutron::SecurityGroup', 'properties': {
                'rules': [{'protocol': 'tcp', 'port_range_min': 443,
                           'port_range_max': 443}]}},
            'ssh': {'type': 'OS::Neutron::SecurityGroupRule', 'properties': {
                'security_group': {'get_resource': 'web'},
                'port_range_min': 22, 'port_range_max': 22}},
            'router': {'type': 'OS::Neutron::Router'},
            'face': {'type': 'OS::Neutron::RouterInterface', 'properties': {
                'router': {'get_resource': 'router'},
                'subnet': {'get_resource': 'sub'}}}})
        tmpl['resources']['port']['properties']['security_groups'] = [
            {'get_resource': 'web'}]
        stack_id = self.create('cl-router', tmpl)
        self.wait('cl-router', stack_id, 'CREATE_COMPLETE')
        ids = self.resources('cl-router', stack_id)
        self.assertEqual([ids['web']], self.neutron.get_port(
            ids['port']).security_group_ids)
        rules = {(r.direction, r.protocol, r.port_range_min)
                 for r in self.neutron.security_group_rules(
                     security_group_id=ids['web'])}
        self.assertLessEqual({('ingress', 'tcp', 443),
                              ('ingress', 'tcp', 22)}, rules)
        [face_port] = self.neutron.ports(device_id=ids['router'])
        self.assertEqual(ids['sub'], face_port.fixed_ips[0]['subnet_id'])
        self.assertEqual('%s:subnet_id=%s' % (ids['router'], ids['sub']),
                         ids['face'])
        self.call('DELETE', '/stacks/cl-router/%s' % stack_id)
        self.wait('cl-router', stack_id, 'DELETE_COMPLETE')
        self.assertEqual({'network': {}, 'subnet': {}, 'port': {}},
                         self.in_neutron())
        self.assertEqual([], list(self.neutron.routers(
            project_id=self.users.project.id)))
        self.assertEqual(['default'], [g.name for g in
                                       self.neutron.security_groups(
                                           project_id=self.users.project.id)])

    def test_a_floating_ip_of_the_external_network_on_a_port(self):
        [external] = list(self.users.admin.network.networks(
            is_router_external=True))[:1] or [None]
        if external is None:
            self.skipTest('the cloud has no external network')
        tmpl = template()
        tmpl['resources'].update({
            'router': {'type': 'OS::Neutron::Router', 'properties': {
                'external_gateway_info': {'network': external.id}}},
            'face': {'type': 'OS::Neutron::RouterInterface', 'properties': {
                'router': {'get_resource': 'router'},
                'subnet': {'get_resource': 'sub'}}},
            'fip': {'type': 'OS::Neutron::FloatingIP', 'depends_on': ['face'],
                    'properties': {'floating_network': external.name,
                                   'port_id': {'get_resource': 'port'}}}})
        stack_id = self.create('cl-fip', tmpl)
        self.wait('cl-fip', stack_id, 'CREATE_COMPLETE')
        ids = self.resources('cl-fip', stack_id)
        fip = self.neutron.get_ip(ids['fip'])
        port = self.neutron.get_port(ids['port'])
        self.assertEqual((ids['port'], port.fixed_ips[0]['ip_address'],
                          ids['router']),
                         (fip.port_id, fip.fixed_ip_address, fip.router_id))
        self.update('cl-fip', stack_id, dict(tmpl, resources=dict(
            tmpl['resources'], fip={
                'type': 'OS::Neutron::FloatingIP', 'depends_on': ['face'],
                'properties': {'floating_network': external.name}})))
        self.wait('cl-fip', stack_id, 'UPDATE_COMPLETE')
        self.assertEqual(ids['fip'], self.resources('cl-fip',
                                                    stack_id)['fip'])
        self.assertIsNone(self.neutron.get_ip(ids['fip']).port_id)
        self.call('DELETE', '/stacks/cl-fip/%s' % stack_id)
        self.wait('cl-fip', stack_id, 'DELETE_COMPLETE')
        self.assertEqual([], list(self.neutron.ips(
            project_id=self.users.project.id)))
        self.assertEqual([], list(self.neutron.routers(
            project_id=self.users.project.id)))

    def test_a_check_reports_the_port_deleted_behind_the_stacks_back(self):
        stack_id = self.create('cl-check', template())
        self.wait('cl-check', stack_id, 'CREATE_COMPLETE')
        ids = self.resources('cl-check', stack_id)
        self.neutron.delete_port(ids['port'])
        status, body = self.call('POST', '/stacks/cl-check/%s/actions'
                                 % stack_id, body={'check': None})
        self.assertEqual(200, status, body)
        deadline = time.monotonic() + STACK_TIMEOUT
        while time.monotonic() < deadline:
            shown = self.stack('cl-check', stack_id)
            if shown['stack_status'] not in ('CREATE_COMPLETE',
                                             'CHECK_IN_PROGRESS'):
                break
            time.sleep(0.5)
        self.assertEqual('CHECK_FAILED', shown['stack_status'])
        self.assertIn('Port %s could not be found' % ids['port'],
                      shown['stack_status_reason'])
        self.call('DELETE', '/stacks/cl-check/%s' % stack_id)
        self.wait('cl-check', stack_id, 'DELETE_COMPLETE')
        self.assertEqual({'network': {}, 'subnet': {}, 'port': {}},
                         self.in_neutron())

    def _checked(self, name: str, stack_id: str) -> dict:
        status, body = self.call('POST', '/stacks/%s/%s/actions'
                                 % (name, stack_id), body={'check': None})
        self.assertEqual(200, status, body)
        deadline = time.monotonic() + STACK_TIMEOUT
        while time.monotonic() < deadline:
            shown = self.stack(name, stack_id)
            if shown['stack_status'] in ('CHECK_COMPLETE', 'CHECK_FAILED'):
                return shown
            time.sleep(0.5)
        self.fail('%s: no check verdict' % name)

    def test_a_port_readdressed_behind_the_stacks_back_is_put_back(self):
        """Decision 26: the check names the fixed IPs Neutron holds now,
        the next update gives the port its template's address back."""
        tmpl = template()
        tmpl['resources']['port']['properties']['fixed_ips'][0][
            'ip_address'] = '10.71.0.11'
        stack_id = self.create('cl-drift', tmpl)
        self.wait('cl-drift', stack_id, 'CREATE_COMPLETE')
        ids = self.resources('cl-drift', stack_id)
        self.neutron.update_port(ids['port'], fixed_ips=[
            {'subnet_id': ids['sub'], 'ip_address': '10.71.0.12'}],
            name='renamed')
        shown = self._checked('cl-drift', stack_id)
        self.assertEqual('CHECK_FAILED', shown['stack_status'])
        status, body = self.call('GET', '/stacks/cl-drift/%s/resources/port'
                                 % stack_id)
        reason = body['resource']['resource_status_reason']
        self.assertIn("'fixed_ips': expected", reason)
        self.assertIn('10.71.0.12', reason)
        self.assertIn("'name': expected 'p1', got 'renamed'", reason)

        self.update('cl-drift', stack_id, tmpl)
        self.wait('cl-drift', stack_id, 'UPDATE_COMPLETE')
        self.assertEqual(ids, self.resources('cl-drift', stack_id))
        port = self.neutron.get_port(ids['port'])
        self.assertEqual(('p1', ['10.71.0.11']), (
            port.name, [f['ip_address'] for f in port.fixed_ips]))
        self.assertEqual('CHECK_COMPLETE', self._checked(
            'cl-drift', stack_id)['stack_status'])
        self.call('DELETE', '/stacks/cl-drift/%s' % stack_id)
        self.wait('cl-drift', stack_id, 'DELETE_COMPLETE')

    def test_a_port_whose_mac_changes_keeps_its_fixed_ip(self):
        """A MAC change replaces the port (Heat's rule); the old port gives
        its address up first, so the new one has the same."""
        tmpl = template()
        tmpl['resources']['port']['properties']['fixed_ips'][0][
            'ip_address'] = '10.71.0.21'
        tmpl['resources']['port']['properties']['mac_address'] = \
            'fa:16:3e:00:00:21'
        stack_id = self.create('cl-mac', tmpl)
        self.wait('cl-mac', stack_id, 'CREATE_COMPLETE')
        old = self.resources('cl-mac', stack_id)['port']
        tmpl['resources']['port']['properties']['mac_address'] = \
            'fa:16:3e:00:00:22'
        self.update('cl-mac', stack_id, tmpl)
        self.wait('cl-mac', stack_id, 'UPDATE_COMPLETE')
        new = self.resources('cl-mac', stack_id)['port']
        self.assertNotEqual(old, new)
        port = self.neutron.get_port(new)
        self.assertEqual(('fa:16:3e:00:00:22', ['10.71.0.21']), (
            port.mac_address, [f['ip_address'] for f in port.fixed_ips]))
        self.call('DELETE', '/stacks/cl-mac/%s' % stack_id)
        self.wait('cl-mac', stack_id, 'DELETE_COMPLETE')

    def _router_with_a_route(self, route: dict):
        """A router of the member's own (not a stack's) on a subnet, with
        ``route`` on it; removed after the test."""
        net = self.neutron.create_network(name='cl-ers-net')
        self.addCleanup(self.neutron.delete_network, net)
        sub = self.neutron.create_subnet(network_id=net.id, ip_version=4,
                                         cidr='10.73.0.0/24')
        self.addCleanup(self.neutron.delete_subnet, sub)
        router = self.neutron.create_router(name='cl-ers-router')
        self.addCleanup(self.neutron.delete_router, router)
        self.neutron.add_interface_to_router(router, subnet_id=sub.id)
        self.addCleanup(self.neutron.remove_interface_from_router, router,
                        subnet_id=sub.id)
        self.neutron.add_extra_routes_to_router(
            router, {'router': {'routes': [route]}})
        self.addCleanup(self.neutron.remove_extra_routes_from_router, router,
                        {'router': {'routes': [route]}})
        return router

    def _routes(self, router) -> set:
        return {(r['destination'], r['nexthop'])
                for r in self.neutron.get_router(router.id).routes}

    def test_extra_routes_changed_atomically_beside_other_routes(self):
        """Decision 35: the set adds and removes only its own routes; the
        route an update keeps is on the router throughout."""
        def route(n):
            return {'destination': '10.74.%d.0/24' % n,
                    'nexthop': '10.73.0.%d' % n}

        router = self._router_with_a_route(route(99))

        def tmpl(*numbers):
            return {'heat_template_version': '2018-08-31', 'resources': {
                'routes': {'type': 'OS::Neutron::ExtraRouteSet',
                           'properties': {'router': router.id, 'routes': [
                               route(n) for n in numbers]}}}}

        def keys(*numbers):
            return {('10.74.%d.0/24' % n, '10.73.0.%d' % n)
                    for n in numbers}

        stack_id = self.create('cl-ers', tmpl(10, 11))
        self.wait('cl-ers', stack_id, 'CREATE_COMPLETE')
        self.assertEqual({'routes': router.id},
                         self.resources('cl-ers', stack_id))
        self.assertEqual(keys(10, 11, 99), self._routes(router))

        self.update('cl-ers', stack_id, tmpl(10, 12))
        seen = []
        deadline = time.monotonic() + STACK_TIMEOUT
        while time.monotonic() < deadline:
            status = self.stack('cl-ers', stack_id)['stack_status']
            seen.append(self._routes(router))
            if status not in ('CREATE_COMPLETE', 'UPDATE_IN_PROGRESS'):
                break
            time.sleep(0.1)
        self.assertEqual('UPDATE_COMPLETE', status)
        self.assertEqual([], [held for held in seen
                              if not keys(10, 99) <= held])
        self.assertEqual(keys(10, 12, 99), self._routes(router))

        taken = self.create('cl-ers-taken', tmpl(13, 99))
        shown = self.stack('cl-ers-taken', taken)
        while shown['stack_status'] == 'CREATE_IN_PROGRESS':
            time.sleep(0.5)
            shown = self.stack('cl-ers-taken', taken)
        self.assertEqual('CREATE_FAILED', shown['stack_status'])
        self.assertIn('PhysicalResourceExists: resources.routes: The '
                      'physical resource for (%s,10.74.99.0/24=10.73.0.99) '
                      'exists.' % router.id, shown['stack_status_reason'])
        self.assertEqual(keys(10, 12, 99), self._routes(router))

        for name, ident in (('cl-ers', stack_id), ('cl-ers-taken', taken)):
            self.call('DELETE', '/stacks/%s/%s' % (name, ident))
            self.wait(name, ident, 'DELETE_COMPLETE')
        self.assertEqual(keys(99), self._routes(router))

    def test_the_users_catalog_lists_the_neutron_types(self):
        status, body = self.call('GET', '/resource_types')
        self.assertEqual(200, status, body)
        self.assertLessEqual({'OS::Neutron::Net', 'OS::Neutron::Subnet',
                              'OS::Neutron::Port'},
                             set(body['resource_types']))


def _lazy_log(fixture):
    from testtools import content
    return content.Content(content.UTF8_TEXT,
                           lambda: [fixture.log_tail(20000).encode()])
