"""OS::Heat::Stack, OS::Cinder::VolumeType, OS::Glance::WebImage and
OS::Neutron::FloatingIPAssociation on a real cloud, through our REST API
as a project member (stacks.CloudStackTest).

The class's convergence-all is put into the cloud's catalog as its
``orchestration`` service, so that OS::Heat::Stack makes its stack through
our own API with the stack's trust: run RemoteStackTest under the shared
catalog lock (``flock /tmp/convergence-cloud-catalog.lock``); it is refused
(identity.CatalogTaken) while another orchestration service is there.
The member is given the admin role on its project for the volume type
(Cinder lets only admins make types).  The web image's data is served
by the test over HTTP on port 80 of this machine's first address that is
not a loopback one: Glance's import filtering (by default, as the cloud is
configured) refuses loopback and link-local hosts and every port but 80
and 443 (the test is skipped without such an address or port 80).
"""

import functools
import http.server
import ipaddress
import os
import socket
import tempfile
import threading

from functional_tests.cloud import identity
from functional_tests.cloud import seed
from functional_tests.cloud import stacks

REMOTE = '''heat_template_version: 2013-05-23
parameters:
  length: {type: number, default: 32}
resources:
  random1:
    type: OS::Heat::RandomString
    properties: {length: {get_param: length}}
outputs:
  remote_key:
    value: {get_attr: [random1, value]}
'''


def remote_template(length: int) -> dict:
    resource = {'type': 'OS::Heat::Stack', 'properties': {
        'template': {'get_file': 'remote.yaml'},
        'parameters': {'length': length}}}
    return {'heat_template_version': '2013-05-23',
            'resources': {'my_stack': resource},
            'outputs': {'key': {'value': {
                'get_attr': ['my_stack', 'outputs']}}}}


class RemoteStackTest(stacks.CloudStackTest):
    """Needs the shared catalog lock: its server is the cloud's
    orchestration service for the class."""

    users_prefix = 'cl-typ'

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        admin = cls.cloud.admin.session()
        try:
            cls.heat_service = identity.add_service(
                admin, 'convergence-typ', 'orchestration',
                cls.server.base_url + '/v1/$(project_id)s')
        except Exception:
            super().tearDownClass()
            raise

    @classmethod
    def tearDownClass(cls):
        try:
            identity.remove_service(cls.cloud.admin.session(),
                                    cls.heat_service)
        finally:
            super().tearDownClass()

    def create_with_files(self, name: str, tmpl: dict, files: dict) -> str:
        status, body = self.call('POST', '/stacks', {
            'stack_name': name, 'template': tmpl, 'parameters': {},
            'files': files})
        self.assertEqual(201, status, body)
        return body['stack']['id']

    def outputs(self, stack: dict) -> dict:
        return {o['output_key']: o['output_value'] for o in stack['outputs']}

    def test_a_remote_stack_is_made_updated_and_deleted_through_our_api(self):
        files = {'remote.yaml': REMOTE}
        stack_id = self.create_with_files('typ-parent', remote_template(16),
                                          files)
        shown = self.wait('typ-parent', stack_id, 'CREATE_COMPLETE')
        remote_id = self.ids('typ-parent', stack_id)['my_stack']
        status, remote = self.call('GET', '/stacks/%s' % remote_id)
        self.assertEqual(200, status, remote)
        remote = remote['stack']
        self.assertEqual('CREATE_COMPLETE', remote['stack_status'])
        key = self.outputs(shown)['key']['remote_key']
        self.assertEqual((16, key), (len(key), self.outputs(remote)[
            'remote_key']))
        status, body = self.call('PUT', '/stacks/typ-parent/%s' % stack_id, {
            'template': remote_template(8), 'parameters': {},
            'files': files})
        self.assertEqual(202, status, body)
        shown = self.wait('typ-parent', stack_id, 'UPDATE_COMPLETE')
        self.assertEqual(8, len(self.outputs(shown)['key']['remote_key']))
        self.assertEqual(remote_id, self.ids('typ-parent',
                                             stack_id)['my_stack'])
        self.delete('typ-parent', stack_id)
        status, _ = self.call('GET', '/stacks/%s/%s' % (
            remote['stack_name'], remote_id))
        self.assertIn(status, (404, 200))
        self.assertNotIn(remote_id, {s['id'] for s in self.call(
            'GET', '/stacks')[1]['stacks']})
        self.assertEqual([], self.users.trusts_of_user())

    def test_a_region_without_heat_is_refused(self):
        tmpl = remote_template(8)
        tmpl['resources']['my_stack']['properties']['context'] = {
            'region_name': 'DARKHOLE'}
        status, body = self.call('POST', '/stacks', {
            'stack_name': 'typ-dark', 'template': tmpl, 'parameters': {},
            'files': {'remote.yaml': REMOTE}})
        self.assertEqual(400, status, body)
        self.assertRegex(body['error']['message'],
                         'Cannot establish connection to Heat endpoint at '
                         'region "DARKHOLE" due to "public endpoint for '
                         'orchestration service in DARKHOLE region not '
                         'found"')


class VolumeTypeWebImageFloatingIPTest(stacks.CloudStackTest):

    users_prefix = 'cl-typ'

    def test_a_private_volume_type_changes_in_place(self):
        identity_api = self.users.admin.identity
        identity_api.assign_project_role_to_user(
            self.users.project, self.users.user,
            identity_api.find_role('admin'))
        project = self.users.project.id
        tmpl = {'heat_template_version': '2018-08-31', 'resources': {
            'vt': {'type': 'OS::Cinder::VolumeType', 'properties': {
                'name': 'typ-gold', 'is_public': False,
                'metadata': {'a': '1'}, 'projects': [project]}}}}
        stack_id = self.create('typ-vt', tmpl)
        self.wait('typ-vt', stack_id, 'CREATE_COMPLETE')
        type_id = self.ids('typ-vt', stack_id)['vt']
        cinder = self.users.admin.block_storage
        found = cinder.get_type(type_id)
        self.assertEqual(('typ-gold', False, {'a': '1'}), (
            found.name, found.is_public, found.extra_specs))
        tmpl['resources']['vt']['properties'].update(
            name='typ-silver', metadata={'b': '2'})
        self.update('typ-vt', stack_id, tmpl)
        self.wait('typ-vt', stack_id, 'UPDATE_COMPLETE')
        found = cinder.get_type(type_id)
        self.assertEqual(('typ-silver', {'b': '2'}),
                         (found.name, found.extra_specs))
        self.delete('typ-vt', stack_id)
        self.assertIsNone(cinder.find_type(type_id))

    def test_a_floating_ip_is_associated_and_moved_in_place(self):
        def tmpl(port: str) -> dict:
            return {'heat_template_version': '2018-08-31', 'resources': {
                'net': {'type': 'OS::Neutron::Net', 'properties': {}},
                'sub': {'type': 'OS::Neutron::Subnet', 'properties': {
                    'network': {'get_resource': 'net'},
                    'cidr': '10.83.0.0/24'}},
                'router': {'type': 'OS::Neutron::Router', 'properties': {
                    'external_gateway_info': {'network': seed.PUBLIC}}},
                'iface': {'type': 'OS::Neutron::RouterInterface',
                          'properties': {
                              'router': {'get_resource': 'router'},
                              'subnet': {'get_resource': 'sub'}}},
                'p1': {'type': 'OS::Neutron::Port', 'properties': {
                    'network': {'get_resource': 'net'},
                    'fixed_ips': [{'subnet': {'get_resource': 'sub'}}]}},
                'p2': {'type': 'OS::Neutron::Port', 'properties': {
                    'network': {'get_resource': 'net'},
                    'fixed_ips': [{'subnet': {'get_resource': 'sub'}}]}},
                'fip': {'type': 'OS::Neutron::FloatingIP', 'properties': {
                    'floating_network': seed.PUBLIC}},
                'assoc': {'type': 'OS::Neutron::FloatingIPAssociation',
                          'depends_on': ['iface'], 'properties': {
                              'floatingip_id': {'get_resource': 'fip'},
                              'port_id': {'get_resource': port}}}}}
        stack_id = self.create('typ-fip', tmpl('p1'))
        self.wait('typ-fip', stack_id, 'CREATE_COMPLETE')
        ids = self.ids('typ-fip', stack_id)
        neutron = self.member.network
        self.assertEqual(ids['p1'], neutron.get_ip(ids['fip']).port_id)
        self.update('typ-fip', stack_id, tmpl('p2'))
        self.wait('typ-fip', stack_id, 'UPDATE_COMPLETE')
        self.assertEqual((ids['assoc'], ids['p2']), (
            self.ids('typ-fip', stack_id)['assoc'],
            neutron.get_ip(ids['fip']).port_id))
        self.delete('typ-fip', stack_id)
        self.assertIsNone(neutron.find_ip(ids['fip']))

    def test_a_web_image_is_imported_from_a_local_server(self):
        url = self._serve_image(b'\x00convergence-web-image' * 4096)
        tmpl = {'heat_template_version': '2018-08-31', 'resources': {
            'img': {'type': 'OS::Glance::WebImage', 'properties': {
                'name': 'typ-web', 'disk_format': 'raw',
                'container_format': 'bare', 'location': url,
                'tags': ['a'], 'extra_properties': {'x': '1'}}}}}
        stack_id = self.create('typ-img', tmpl)
        self.wait('typ-img', stack_id, 'CREATE_COMPLETE')
        image_id = self.ids('typ-img', stack_id)['img']
        glance = self.member.image
        image = glance.get_image(image_id)
        self.assertEqual(('active', 22 * 4096, ['a'], '1'), (
            image.status, image.size, image.tags,
            image.properties.get('x')))
        tmpl['resources']['img']['properties'].update(
            tags=['b'], extra_properties={'y': '2'})
        self.update('typ-img', stack_id, tmpl)
        self.wait('typ-img', stack_id, 'UPDATE_COMPLETE')
        image = glance.get_image(image_id)
        self.assertEqual((['b'], None, '2'), (
            image.tags, image.properties.get('x'),
            image.properties.get('y')))
        self.delete('typ-img', stack_id)
        self.assertIsNone(glance.find_image(image_id))

    def _serve_image(self, data: bytes) -> str:
        """The URL of ``data`` on an HTTP server of the test's own."""
        directory = tempfile.mkdtemp(prefix='typ-web-')
        with open(os.path.join(directory, 'image.raw'), 'wb') as out:
            out.write(data)
        handler = functools.partial(http.server.SimpleHTTPRequestHandler,
                                    directory=directory)
        host = _reachable_address()
        if host is None:
            self.skipTest('this machine has no address but loopback ones, '
                          'and Glance refuses to import from those')
        try:
            httpd = http.server.ThreadingHTTPServer((host, 80), handler)
        except OSError as exc:
            self.skipTest('port 80 of %s cannot be had: %s' % (host, exc))
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        self.addCleanup(httpd.server_close)
        self.addCleanup(httpd.shutdown)
        return 'http://%s/image.raw' % host


def _reachable_address() -> str | None:
    """This machine's IPv4 address towards other hosts (a UDP socket's
    own end once connected: nothing is sent), unless it is loopback or
    link-local."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(('192.0.2.1', 9))
        except OSError:
            return None
        address = ipaddress.ip_address(probe.getsockname()[0])
    if address.is_loopback or address.is_link_local:
        return None
    return str(address)
