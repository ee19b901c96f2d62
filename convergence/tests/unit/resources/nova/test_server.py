"""OS::Nova::Server on the in-memory cloud: properties to Nova's request,
waits, faults, update decisions (rename, resize, rebuild, replace), delete
of something gone, check, suspend and resume."""

import base64

import testtools

from convergence.clients import errors
from convergence.exceptions import StackValidationFailed
from convergence.resources import polling
from convergence.resources.base import IN_PLACE, REPLACE
from convergence.resources.runner import run_action
from convergence.tests.unit.resources.nova.seeded import seeded_cloud
from convergence.tests.unit.resources.utils import SHORT_ID, validated

SERVER = 'OS::Nova::Server'


def _server_created(calls) -> dict:
    [body] = [c[2] for c in calls if c[:2] == ('create', 'server')]
    return body


class ServerCreateTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.on = seeded_cloud()
        self.compute = self.on.cloud.compute

    def test_names_become_ids_in_novas_request(self):
        self.compute.create('keypair', {'name': 'k'})
        server = self.on.created(SERVER, {
            'flavor': 'm1.tiny', 'image': 'tiny', 'key_name': 'k',
            'metadata': {'a': 1, 'b': 'x'}, 'user_data': '#!/bin/sh',
            'user_data_format': 'RAW', 'config_drive': True,
            'scheduler_hints': {'group': 'g'},
            'networks': [{'network': 'private', 'fixed_ip': '10.0.0.9'}]},
            'server')
        body = _server_created(self.compute.calls)
        self.assertEqual({
            'name': 'st-server-%s' % SHORT_ID, 'flavorRef': '1',
            'imageRef': self.on.image_id, 'key_name': 'k',
            'metadata': {'a': '1', 'b': 'x'},
            'user_data': base64.b64encode(b'#!/bin/sh').decode(),
            'config_drive': True, 'os:scheduler_hints': {'group': 'g'},
            'networks': [{'uuid': self.on.net_id,
                          'fixed_ip': '10.0.0.9'}],
            'tags': ['convergence-%s' % server.context.resource_uuid]}, body)
        self.assertEqual('ACTIVE', self.compute.resources['server'][
            server.resource_id]['status'])
        self.assertEqual('10.0.0.9', server.get_attribute('first_address'))
        self.assertEqual({'private': ['10.0.0.9'],
                          self.on.net_id: ['10.0.0.9']},
                         server.get_attribute('networks'))

    def test_no_networks_is_novas_auto_and_allocate_network_is_passed(self):
        self.on.created(SERVER, {'flavor': '1', 'image': 'tiny'}, 'a')
        self.assertEqual('auto', _server_created(
            self.compute.calls)['networks'])
        self.compute.calls.clear()
        self.on.created(SERVER, {'flavor': '1', 'image': 'tiny', 'networks': [
            {'allocate_network': 'none'}]}, 'b')
        self.assertEqual('none', _server_created(
            self.compute.calls)['networks'])

    def test_a_subnet_gets_an_internal_port_deleted_with_the_server(self):
        server = self.on.created(SERVER, {
            'flavor': '1', 'image': 'tiny',
            'networks': [{'subnet': self.on.subnet_id}]}, 'server')
        [port_id] = server.context.data['internal_ports']
        self.assertEqual([{'port': port_id}], _server_created(
            self.compute.calls)['networks'])
        self.assertEqual(server.resource_id, self.on.network.resources[
            'port'][port_id]['device_id'])
        run_action(server, 'DELETE', server.context.clock)
        self.assertNotIn(port_id, self.on.network.resources['port'])
        self.assertEqual({}, self.compute.resources['server'])

    def test_a_given_port_is_released_not_deleted(self):
        port = self.on.network.create('port', {'network_id': self.on.net_id})
        server = self.on.created(SERVER, {
            'flavor': '1', 'image': 'tiny',
            'networks': [{'port': port['id']}]}, 'server')
        run_action(server, 'DELETE', server.context.clock)
        self.assertEqual('', self.on.network.resources['port'][
            port['id']]['device_id'])

    def test_block_devices_as_heat_builds_them_and_boot_from_volume(self):
        volume = self.on.cloud.block_storage.create('volume', {'size': 1})
        self.on.created(SERVER, {'flavor': '1', 'block_device_mapping_v2': [
            {'volume_id': volume['id'], 'device_name': 'vda'},
            {'image': 'tiny', 'volume_size': 2, 'boot_index': 1},
            {'swap_size': 64}]}, 'server')
        body = _server_created(self.compute.calls)
        self.assertNotIn('imageRef', body)
        self.assertEqual([
            {'source_type': 'volume', 'destination_type': 'volume',
             'uuid': volume['id'], 'boot_index': 0, 'device_name': 'vda',
             'delete_on_termination': False},
            {'source_type': 'image', 'destination_type': 'volume',
             'uuid': self.on.image_id, 'boot_index': 1, 'volume_size': 2,
             'delete_on_termination': False},
            {'source_type': 'blank', 'destination_type': 'local',
             'guest_format': 'swap', 'boot_index': -1, 'volume_size': 64,
             'delete_on_termination': False}],
            body['block_device_mapping_v2'])

    def test_a_floating_ip_is_associated_and_dissociated_on_delete(self):
        fip = self.on.network.create('floatingip', {
            'floating_network_id': self.on.net_id})
        server = self.on.created(SERVER, {
            'flavor': '1', 'image': 'tiny', 'networks': [
                {'subnet': self.on.subnet_id, 'floating_ip': fip['id']}]},
            'server')
        [port_id] = server.context.data['internal_ports']
        stored = self.on.network.resources['floatingip'][fip['id']]
        self.assertEqual(port_id, stored['port_id'])
        run_action(server, 'DELETE', server.context.clock)
        self.assertIsNone(stored['port_id'])

    def test_create_waits_for_active_through_the_clock(self):
        server = self.on.created(SERVER, {'flavor': '1', 'image': 'tiny'})
        self.assertEqual([polling.FIRST], server.context.clock.waits)

    def test_error_fails_with_novas_fault(self):
        self.compute.fail_build('No valid host was found. ')
        server = self.on.plugin(SERVER, {'flavor': '1', 'image': 'tiny'},
                                'server')
        self.assertEqual(
            'ResourceInError: resources.server: Went to status ERROR due to '
            '"Message: No valid host was found. , Code: 500"',
            self.on.failure(server, 'CREATE'))

    def test_unknown_names_fail_in_heats_words(self):
        server = self.on.plugin(SERVER, {'flavor': 'm9', 'image': 'tiny'},
                                'server')
        self.assertEqual(
            "StackValidationFailed: resources.server: Property error: "
            "server.properties.flavor: Error validating value 'm9': No "
            "Flavor matching {'name': 'm9'}. (HTTP 404)",
            self.on.failure(server, 'CREATE'))
        server = self.on.plugin(SERVER, {'flavor': '1', 'image': 'nope'},
                                'server')
        self.assertIn("Error validating value 'nope': No images matching "
                      "{'name': 'nope'}.", self.on.failure(server, 'CREATE'))

    def test_the_clouds_error_is_the_failure(self):
        self.compute.fail('server', 'create', errors.for_status(
            403, 'Quota exceeded for instances: Requested 1, but already '
            'used 10 of 10 instances'))
        server = self.on.plugin(SERVER, {'flavor': '1', 'image': 'tiny'},
                                'server')
        self.assertEqual('Forbidden: resources.server: Quota exceeded for '
                         'instances: Requested 1, but already used 10 of 10 '
                         'instances', self.on.failure(server, 'CREATE'))


class ServerValidationTest(testtools.TestCase):

    def _refused(self, props: dict) -> str:
        error = self.assertRaises(StackValidationFailed, validated, SERVER,
                                  dict({'flavor': '1'}, **props), 'server')
        return str(error)

    def test_what_is_not_implemented_is_refused_by_name(self):
        self.assertIn('Property personality of OS::Nova::Server is not '
                      'implemented here', self._refused({
                          'image': 'i', 'personality': {'/a': 'b'}}))
        self.assertIn('POLL_SERVER_CFN is not supported: there is no CFN '
                      'metadata API here', self._refused({
                          'image': 'i', 'user_data_format': 'SOFTWARE_CONFIG',
                          'software_config_transport': 'POLL_SERVER_CFN'}))
        self.assertIn('ZAQAR_MESSAGE is not supported', self._refused({
            'image': 'i', 'user_data_format': 'SOFTWARE_CONFIG',
            'software_config_transport': 'ZAQAR_MESSAGE'}))
        self.assertIn('user_data_format HEAT_CFNTOOLS', self._refused({
            'image': 'i', 'user_data': 'x'}))
        self.assertIn('port_extra_properties', self._refused({
            'image': 'i', 'networks': [{'network': 'n',
                                        'port_extra_properties': {'a': 1}}]}))

    def test_a_server_needs_an_image_or_a_boot_volume(self):
        self.assertIn('Neither image nor bootable volume is specified for '
                      'instance server', self._refused({}))

    def test_networks_entries_are_checked(self):
        self.assertIn('allocate_network', self._refused({
            'image': 'i', 'networks': [{'allocate_network': 'auto',
                                        'network': 'n'}]}))
        self.assertIn('One of the properties "network", "port", '
                      '"allocate_network" or "subnet"', self._refused({
                          'image': 'i', 'networks': [{'fixed_ip':
                                                      '10.0.0.1'}]}))
        self.assertIn('does not validate ip_addr', self._refused({
            'image': 'i', 'networks': [{'network': 'n',
                                        'fixed_ip': '10.0.0'}]}))


class ServerUpdateTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.on = seeded_cloud()
        self.compute = self.on.cloud.compute
        self.server = self.on.created(SERVER, {
            'flavor': 'm1.tiny', 'image': 'tiny', 'name': 'a',
            'user_data_format': 'RAW'}, 'server')
        self.compute.calls.clear()

    def _stored(self) -> dict:
        return self.compute.resources['server'][self.server.resource_id]

    def _actions(self) -> list:
        return [c[0] for c in self.compute.calls if c[0] not in ('show',
                                                                 'find')]

    def test_name_and_metadata_change_in_place(self):
        plan = self.on.updated(self.server, {
            'flavor': 'm1.tiny', 'image': 'tiny', 'name': 'b',
            'user_data_format': 'RAW', 'metadata': {'k': 'v'}})
        self.assertEqual(IN_PLACE, plan.decision)
        self.assertEqual(('b', {'k': 'v'}), (self._stored()['name'],
                                             self._stored()['metadata']))

    def test_a_flavor_change_resizes_and_confirms(self):
        plan = self.on.updated(self.server, {
            'flavor': 'm1.small', 'image': 'tiny', 'name': 'a',
            'user_data_format': 'RAW'})
        self.assertEqual(IN_PLACE, plan.decision)
        self.assertEqual(['resize', 'confirmResize'], self._actions())
        self.assertEqual(({'id': '2'}, 'ACTIVE'), (
            self._stored()['flavor'], self._stored()['status']))

    def test_flavor_update_policy_replace_replaces(self):
        plan = self.server.plan_update(validated(SERVER, {
            'flavor': 'm1.small', 'image': 'tiny', 'name': 'a',
            'user_data_format': 'RAW', 'flavor_update_policy': 'REPLACE'}))
        self.assertEqual(REPLACE, plan.decision)

    def test_an_image_change_rebuilds(self):
        plan = self.on.updated(self.server, {
            'flavor': 'm1.tiny', 'image': 'tiny2', 'name': 'a',
            'user_data_format': 'RAW'})
        self.assertEqual(IN_PLACE, plan.decision)
        self.assertEqual(['rebuild'], self._actions())
        self.assertEqual({'id': self.on.other_image_id},
                         self._stored()['image'])
        self.assertEqual(REPLACE, self.server.plan_update(validated(SERVER, {
            'flavor': 'm1.tiny', 'image': 'tiny', 'name': 'a',
            'user_data_format': 'RAW',
            'image_update_policy': 'REPLACE'})).decision)

    def test_user_data_replaces_by_default_ignored_or_rebuilt_on_demand(self):
        base = {'flavor': 'm1.tiny', 'image': 'tiny', 'name': 'a',
                'user_data_format': 'RAW'}
        self.assertEqual(REPLACE, self.server.plan_update(validated(
            SERVER, dict(base, user_data_format='HEAT_CFNTOOLS'))).decision)
        self.assertEqual(REPLACE, self.server.plan_update(validated(
            SERVER, dict(base, user_data='x'))).decision)
        self.on.updated(self.server, dict(
            base, user_data='x', user_data_update_policy='IGNORE'))
        self.assertEqual([], self._actions())
        self.on.updated(self.server, dict(
            base, user_data='y', user_data_update_policy='REBUILD'))
        [rebuild] = [c for c in self.compute.calls if c[0] == 'rebuild']
        self.assertEqual(base64.b64encode(b'y').decode(),
                         rebuild[3]['user_data'])

    def test_a_networks_change_is_in_place(self):
        self.assertEqual(IN_PLACE, self.server.plan_update(validated(SERVER, {
            'flavor': 'm1.tiny', 'image': 'tiny', 'name': 'a',
            'user_data_format': 'RAW',
            'networks': [{'network': 'private'}]})).decision)

    def test_a_resize_nova_gives_up_fails_the_update(self):
        new = validated(SERVER, {'flavor': 'm1.small', 'image': 'tiny',
                                 'name': 'a', 'user_data_format': 'RAW'})
        self.compute.fail_resize()
        error = self.assertRaises(Exception, run_action, self.server,
                                  'UPDATE', self.server.context.clock,
                                  new_properties=new)
        self.assertEqual("Error: resources.server: Resizing to 'm1.small' "
                         "failed, status 'ACTIVE'", str(error))

    def test_a_failed_server_is_replaced_only_when_gone_or_in_error(self):
        same = validated(SERVER, {'flavor': 'm1.tiny', 'image': 'tiny',
                                  'name': 'a', 'user_data_format': 'RAW'})
        self.assertEqual('none', self.server.plan_update(
            same, failed=True).decision)
        self._stored()['status'] = 'ERROR'
        self.assertEqual(REPLACE, self.server.plan_update(
            same, failed=True).decision)
        del self.compute.resources['server'][self.server.resource_id]
        self.assertEqual(REPLACE, self.server.plan_update(
            same, failed=True).decision)

    def test_a_refused_resize_fails_the_update_with_novas_words(self):
        new = validated(SERVER, {'flavor': 'm1.small', 'image': 'tiny',
                                 'name': 'a', 'user_data_format': 'RAW'})
        self.compute.fail('server', 'resize', errors.for_status(
            400, 'No valid host was found.'))
        error = self.assertRaises(Exception, run_action, self.server,
                                  'UPDATE', self.server.context.clock,
                                  new_properties=new)
        self.assertEqual('BadRequest: resources.server: No valid host was '
                         'found.', str(error))


class ServerLifecycleTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.on = seeded_cloud()
        self.compute = self.on.cloud.compute
        self.server = self.on.created(SERVER, {'flavor': '1',
                                               'image': 'tiny'}, 'server')

    def test_delete_waits_until_gone_and_a_gone_server_succeeds(self):
        clock = self.server.context.clock
        waits = len(clock.waits)
        run_action(self.server, 'DELETE', clock)
        self.assertEqual({}, self.compute.resources['server'])
        self.assertGreater(len(clock.waits), waits)
        run_action(self.server, 'DELETE', clock)  # already gone: fine

    def test_check_asks_nova_and_names_a_server_gone(self):
        run_action(self.server, 'CHECK', self.server.context.clock)
        del self.compute.resources['server'][self.server.resource_id]
        self.assertEqual('NotFound: resources.server: Instance %s could not '
                         'be found.' % self.server.resource_id,
                         self.on.failure(self.server, 'CHECK'))

    def test_check_of_a_server_not_active_says_so_in_heats_words(self):
        self.compute.resources['server'][self.server.resource_id][
            'status'] = 'SHUTOFF'
        self.assertEqual("Error: resources.server: 'status': expected "
                         "'ACTIVE', got 'SHUTOFF'",
                         self.on.failure(self.server, 'CHECK'))

    def test_suspend_and_resume_go_through_nova(self):
        clock = self.server.context.clock
        run_action(self.server, 'SUSPEND', clock)
        stored = self.compute.resources['server'][self.server.resource_id]
        self.assertEqual('SUSPENDED', stored['status'])
        run_action(self.server, 'RESUME', clock)
        self.assertEqual('ACTIVE', stored['status'])

    def test_attributes_come_from_nova(self):
        self.assertEqual(self.server.server_name(),
                         self.server.get_attribute('name'))
        self.assertEqual(self.server.resource_id,
                         self.server.get_attribute('show')['id'])


class ServerSnapshotTest(testtools.TestCase):
    """A stack snapshot's image of the server (server_snapshot)."""

    def setUp(self):
        super().setUp()
        self.on = seeded_cloud()
        self.server = self.on.created(SERVER, {
            'flavor': 'm1.tiny', 'image': 'tiny'}, 'server')
        self.images = self.on.cloud.image

    def test_the_snapshot_waits_for_an_active_image_of_the_server(self):
        run_action(self.server, 'SNAPSHOT', self.server.context.clock)
        image_id = self.server.context.data['snapshot_image_id']
        image = self.images.resources[image_id]
        self.assertEqual(('active', self.server.resource_id, 'snapshot'), (
            image['status'], image['instance_uuid'], image['image_type']))
        self.assertIn(('show', image_id), self.images.calls)

    def test_an_image_glance_lost_fails_the_snapshot_naming_it(self):
        original = self.on.cloud.compute._server_createImage

        def lost(server, args):
            made = original(server, args)
            del self.images.resources[made['image_id']]
            return made
        self.on.cloud.compute._server_createImage = lost
        error = self.assertRaises(Exception, run_action, self.server,
                                  'SNAPSHOT', self.server.context.clock)
        self.assertIn('Snapshot image %s is deleted' % self.server.context
                      .data['snapshot_image_id'], str(error))

    def test_a_restore_boots_from_the_image_a_snapshot_took(self):
        cls = type(self.server)
        props = {'image': 'tiny', 'flavor': 'm1.tiny'}
        self.assertEqual(dict(props, image='img-1'), cls.restored_properties(
            props, {'resource_data': {'snapshot_image_id': 'img-1'}}))
        self.assertEqual(props, cls.restored_properties(
            props, {'resource_data': {}}))

    def test_deleting_the_snapshot_deletes_the_image_once(self):
        run_action(self.server, 'SNAPSHOT', self.server.context.clock)
        entry = {'resource_data': dict(self.server.context.data)}
        image_id = entry['resource_data']['snapshot_image_id']
        self.server.handle_delete_snapshot(entry)
        self.assertNotIn(image_id, self.images.resources)
        self.server.handle_delete_snapshot(entry)  # gone already: fine
