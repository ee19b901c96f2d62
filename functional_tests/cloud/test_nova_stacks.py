"""Servers, keypairs, volumes and their attachments on a real cloud
(CONV_CLOUD_OPENRC), through our REST API as a project member: what Nova,
Neutron and Cinder hold is checked through openstacksdk as that member.

The cloud needs the image and flavors CONV_CLOUD_IMAGE, CONV_CLOUD_FLAVOR
and CONV_CLOUD_RESIZE_FLAVOR name (the minicloud's ``tiny``, ``m1.tiny``
and ``m1.small`` by default); the volume test is skipped when its block
storage endpoint does not answer.
"""

import os
import time
import uuid

from functional_tests.cloud import stacks

IMAGE = os.environ.get('CONV_CLOUD_IMAGE', 'tiny')
FLAVOR = os.environ.get('CONV_CLOUD_FLAVOR', 'm1.tiny')
RESIZE_FLAVOR = os.environ.get('CONV_CLOUD_RESIZE_FLAVOR', 'm1.small')


# One keypair name for the run: a template naming another replaces it.
KEY_NAME = 'nv-key-%s' % uuid.uuid4().hex[:6]


def server_template(server_props: dict | None = None,
                    extra: dict | None = None) -> dict:
    """Net + Subnet + Port, a KeyPair and a Server on the port and on the
    subnet (a port made for it)."""
    props = {'image': IMAGE, 'flavor': FLAVOR, 'key_name': {
        'get_resource': 'key'}, 'user_data_format': 'RAW',
        'user_data': '#!/bin/sh\necho hi\n', 'metadata': {'role': 'test'},
        'networks': [{'port': {'get_resource': 'port'}},
                     {'subnet': {'get_resource': 'sub'}}]}
    props.update(server_props or {})
    resources = {
        'net': {'type': 'OS::Neutron::Net', 'properties': {}},
        'sub': {'type': 'OS::Neutron::Subnet',
                'properties': {'network': {'get_resource': 'net'},
                               'cidr': '10.81.0.0/24'}},
        'port': {'type': 'OS::Neutron::Port',
                 'properties': {'network': {'get_resource': 'net'},
                                'fixed_ips': [
                                    {'subnet': {'get_resource': 'sub'}}]}},
        'key': {'type': 'OS::Nova::KeyPair',
                'properties': {'name': KEY_NAME}},
        'server': {'type': 'OS::Nova::Server', 'properties': props}}
    resources.update(extra or {})
    return {'heat_template_version': '2018-08-31', 'resources': resources,
            'outputs': {
                'first': {'value': {'get_attr': ['server',
                                                 'first_address']}},
                'networks': {'value': {'get_attr': ['server', 'networks']}},
                'port_ip': {'value': {'get_attr': [
                    'port', 'fixed_ips', 0, 'ip_address']}}}}


class NovaStackTest(stacks.CloudStackTest):

    def in_cloud(self) -> dict:
        """What the member's project holds, by kind: ids."""
        compute, network = self.member.compute, self.member.network
        project = self.users.project.id
        return {'server': {s.id for s in compute.servers()},
                'keypair': {k.name for k in compute.keypairs()},
                'network': {n.id for n in network.networks(
                    project_id=project)},
                'port': {p.id for p in network.ports(project_id=project)}}

    def test_create_rename_replace_and_delete_leaves_nothing(self):
        started = time.monotonic()
        stack_id = self.create('nv-srv', server_template())
        shown = self.wait('nv-srv', stack_id, 'CREATE_COMPLETE')
        self.addDetail('create-seconds', _text(time.monotonic() - started))
        ids = self.ids('nv-srv', stack_id)
        server = self.member.compute.get_server(ids['server'])
        self.assertEqual(('ACTIVE', ids['key'], {'role': 'test'}),
                         (server.status, server.key_name, server.metadata))
        # Tagged with its row, and found by the tag as a create resumed
        # after its engine died inside Nova's request looks it up.
        [mark] = server.tags
        self.assertTrue(mark.startswith('convergence-'), mark)
        self.assertEqual([ids['server']], [
            s.id for s in self.member.compute.servers(tags=mark)])
        outputs = {o['output_key']: o['output_value']
                   for o in shown['outputs']}
        self.assertEqual(outputs['port_ip'], outputs['first'])
        attached = {p.id for p in self.member.network.ports(
            device_id=ids['server'])}
        self.assertEqual(2, len(attached))
        self.assertIn(ids['port'], attached)

        self.update('nv-srv', stack_id, server_template({'name': 'nv-b'}))
        self.wait('nv-srv', stack_id, 'UPDATE_COMPLETE')
        self.assertEqual(ids, self.ids('nv-srv', stack_id))
        self.assertEqual('nv-b', self.member.compute.get_server(
            ids['server']).name)

        self.update('nv-srv', stack_id, server_template({
            'name': 'nv-b', 'user_data': '#!/bin/sh\necho again\n'}))
        self.wait('nv-srv', stack_id, 'UPDATE_COMPLETE')
        replaced = self.ids('nv-srv', stack_id)['server']
        self.assertNotEqual(ids['server'], replaced)
        self.assertEqual({replaced}, self.in_cloud()['server'])

        started = time.monotonic()
        self.delete('nv-srv', stack_id)
        self.addDetail('delete-seconds', _text(time.monotonic() - started))
        self.assertEqual({'server': set(), 'keypair': set(),
                          'network': set(), 'port': set()}, self.in_cloud())

    def test_a_server_deleted_out_of_band_fails_check_and_is_recreated(self):
        stack_id = self.create('nv-oob', server_template())
        self.wait('nv-oob', stack_id, 'CREATE_COMPLETE')
        old = self.ids('nv-oob', stack_id)['server']
        self.member.compute.delete_server(old)
        self.member.compute.wait_for_delete(
            self.member.compute.get_server(old), wait=60)

        self.check('nv-oob', stack_id)
        stack = self.settled('nv-oob', stack_id)
        self.assertEqual('CHECK_FAILED', stack['stack_status'])
        server = self.resources('nv-oob', stack_id)['server']
        self.assertEqual('CHECK_FAILED', server['resource_status'])
        self.assertIn('Instance %s could not be found' % old,
                      server['resource_status_reason'])

        self.update('nv-oob', stack_id, server_template())
        self.wait('nv-oob', stack_id, 'UPDATE_COMPLETE')
        new = self.ids('nv-oob', stack_id)['server']
        self.assertNotEqual(old, new)
        self.assertEqual('ACTIVE', self.member.compute.get_server(new).status)
        self.delete('nv-oob', stack_id)
        self.assertEqual(set(), self.in_cloud()['server'])

    def test_networks_change_in_place_keeping_the_ports_they_keep(self):
        """Heat's interface detach/attach: an entry added attaches one
        port, an entry removed detaches its port (an internal one is
        deleted), the server and every kept port stay."""
        stack_id = self.create('nv-nets', server_template())
        self.wait('nv-nets', stack_id, 'CREATE_COMPLETE')
        ids = self.ids('nv-nets', stack_id)
        before = {p.id for p in self.member.network.ports(
            device_id=ids['server'])}
        self.update('nv-nets', stack_id, server_template({'networks': [
            {'port': {'get_resource': 'port'}},
            {'subnet': {'get_resource': 'sub'}},
            {'network': {'get_resource': 'net'}}]}))
        self.wait('nv-nets', stack_id, 'UPDATE_COMPLETE')
        self.assertEqual(ids, self.ids('nv-nets', stack_id))
        added = {p.id for p in self.member.network.ports(
            device_id=ids['server'])}
        self.assertEqual(3, len(added), added)
        self.assertLess(before, added)

        self.update('nv-nets', stack_id, server_template({'networks': [
            {'port': {'get_resource': 'port'}}]}))
        self.wait('nv-nets', stack_id, 'UPDATE_COMPLETE')
        self.assertEqual(ids['server'], self.ids('nv-nets',
                                                 stack_id)['server'])
        self.assertEqual({ids['port']}, {p.id for p in self.member.network
                                         .ports(device_id=ids['server'])})
        self.assertEqual({ids['port']}, self.in_cloud()['port'])
        self.delete('nv-nets', stack_id)

    def test_metadata_changed_out_of_band_fails_check_and_is_put_back(self):
        """Decision 26: the check names what Nova holds now; the next
        update sets the template's metadata on the same server."""
        stack_id = self.create('nv-drift', server_template())
        self.wait('nv-drift', stack_id, 'CREATE_COMPLETE')
        ids = self.ids('nv-drift', stack_id)
        self.member.compute.set_server_metadata(ids['server'],
                                                role='changed')
        stack = self.checked('nv-drift', stack_id)
        self.assertEqual('CHECK_FAILED', stack['stack_status'])
        server = self.resources('nv-drift', stack_id)['server']
        self.assertIn("'metadata': expected '{'role': 'test'}', got "
                      "'{'role': 'changed'}'",
                      server['resource_status_reason'])
        self.update('nv-drift', stack_id, server_template())
        self.wait('nv-drift', stack_id, 'UPDATE_COMPLETE')
        self.assertEqual(ids, self.ids('nv-drift', stack_id))
        self.assertEqual({'role': 'test'}, self.member.compute.get_server(
            ids['server']).metadata)
        self.delete('nv-drift', stack_id)

    def test_an_image_nobody_has_is_refused_400_before_anything_exists(self):
        status, body = self.call('POST', '/stacks', {
            'stack_name': 'nv-bad', 'parameters': {},
            'template': server_template({'image': 'nv-no-such-image'})})
        self.assertEqual(400, status, body)
        self.assertEqual(
            "Property error: resources.server.properties.image: Error "
            "validating value 'nv-no-such-image': No images matching "
            "{'name': 'nv-no-such-image'}.", body['error']['message'])
        self.assertEqual(set(), self.in_cloud()['network'])

    def test_a_flavor_change_resizes_or_fails_naming_the_resize(self):
        """A resize Nova gives up (one compute host, no
        allow_resize_to_same_host: no valid host) fails the update at once
        with the flavor named; on a cloud that can resize, the server has
        the new flavor, confirmed."""
        stack_id = self.create('nv-rsz', server_template())
        self.wait('nv-rsz', stack_id, 'CREATE_COMPLETE')
        server_id = self.ids('nv-rsz', stack_id)['server']
        self.update('nv-rsz', stack_id, server_template({
            'flavor': RESIZE_FLAVOR}))
        stack = self.settled('nv-rsz', stack_id)
        server = self.member.compute.get_server(server_id)
        self.addDetail('resize', _text_of('%s: %s' % (
            stack['stack_status'], stack['stack_status_reason'])))
        if stack['stack_status'] == 'UPDATE_COMPLETE':
            self.assertEqual(('ACTIVE', RESIZE_FLAVOR),
                             (server.status, server.flavor.original_name))
        else:
            self.assertEqual('UPDATE_FAILED', stack['stack_status'])
            self.assertIn("Error: resources.server: Resizing to '%s' failed, "
                          "status 'ACTIVE'" % RESIZE_FLAVOR,
                          stack['stack_status_reason'])
            self.assertEqual(('ACTIVE', FLAVOR),
                             (server.status, server.flavor.original_name))
        self.delete('nv-rsz', stack_id)

    def test_a_volume_attached_extended_and_deleted(self):
        self._skip_without_block_storage()
        volume = {
            'vol': {'type': 'OS::Cinder::Volume',
                    'properties': {'size': 1, 'name': 'nv-vol'}},
            'att': {'type': 'OS::Cinder::VolumeAttachment',
                    'properties': {
                        'instance_uuid': {'get_resource': 'server'},
                        'volume_id': {'get_resource': 'vol'}}}}
        started = time.monotonic()
        stack_id = self.create('nv-vol', server_template(extra=volume))
        self.wait('nv-vol', stack_id, 'CREATE_COMPLETE')
        self.addDetail('create-seconds', _text(time.monotonic() - started))
        ids = self.ids('nv-vol', stack_id)
        found = self.member.block_storage.get_volume(ids['vol'])
        self.assertEqual(('in-use', ids['server']), (
            found.status, found.attachments[0]['server_id']))

        grown = dict(volume, vol={'type': 'OS::Cinder::Volume',
                                  'properties': {'size': 2,
                                                 'name': 'nv-vol2'}})
        self.update('nv-vol', stack_id, server_template(extra=grown))
        self.wait('nv-vol', stack_id, 'UPDATE_COMPLETE')
        found = self.member.block_storage.get_volume(ids['vol'])
        self.assertEqual((2, 'nv-vol2'), (found.size, found.name))

        started = time.monotonic()
        self.delete('nv-vol', stack_id)
        self.addDetail('delete-seconds', _text(time.monotonic() - started))
        self.assertEqual([], list(self.member.block_storage.volumes()))
        self.assertEqual(set(), self.in_cloud()['server'])

    def test_a_snapshot_images_the_server_and_a_restore_rebuilds_it(self):
        """As Heat's test_stack_snapshot_restore: the snapshot's image is
        made by Nova and active in Glance; the restore rebuilds the same
        server on it; deleting the snapshot deletes the image."""
        stack_id = self.create('nv-snap', server_template())
        self.wait('nv-snap', stack_id, 'CREATE_COMPLETE')
        server_id = self.ids('nv-snap', stack_id)['server']
        before = self.member.compute.get_server(server_id).image['id']
        path = '/stacks/nv-snap/%s/snapshots' % stack_id
        status, body = self.call('POST', path, {'name': 'nv-snap-1'})
        self.assertEqual(200, status, body)
        snapshot_id = body['id']
        self.wait('nv-snap', stack_id, 'SNAPSHOT_COMPLETE')
        status, body = self.call('GET', '%s/%s' % (path, snapshot_id))
        self.assertEqual(('COMPLETE', 200), (body['snapshot']['status'],
                                             status), body)
        image_id = body['snapshot']['data']['resources']['server'][
            'resource_data']['snapshot_image_id']
        image = self.member.image.get_image(image_id).to_dict()
        self.assertEqual(('active', server_id), (
            image['status'], image.get('instance_uuid') or image[
                'properties'].get('instance_uuid')))

        status, body = self.call('POST', '%s/%s/restore' % (
            path, snapshot_id))
        self.assertEqual(202, status, body)
        self.wait('nv-snap', stack_id, 'RESTORE_COMPLETE')
        server = self.member.compute.get_server(server_id)
        self.assertEqual(('ACTIVE', image_id), (server.status,
                                                server.image['id']))
        self.assertNotEqual(before, image_id)

        status, body = self.call('DELETE', '%s/%s' % (path, snapshot_id))
        self.assertEqual(204, status, body)
        self.assertEqual([], [i.id for i in self.member.image.images(
            owner=self.users.project.id) if i.id == image_id])
        self.delete('nv-snap', stack_id)
        self.assertEqual(set(), self.in_cloud()['server'])

    def test_the_snapshot_deletion_policy_keeps_an_image_of_the_server(self):
        tmpl = server_template()
        tmpl['resources']['server']['deletion_policy'] = 'Snapshot'
        stack_id = self.create('nv-keep', tmpl)
        self.wait('nv-keep', stack_id, 'CREATE_COMPLETE')
        server_id = self.ids('nv-keep', stack_id)['server']
        self.delete('nv-keep', stack_id)
        self.assertEqual(set(), self.in_cloud()['server'])
        kept = [i.to_dict() for i in self.member.image.images(
            owner=self.users.project.id)]
        [image] = [i for i in kept if (i.get('instance_uuid') or i[
            'properties'].get('instance_uuid')) == server_id]
        self.assertEqual('active', image['status'])
        self.member.image.delete_image(image['id'])

    def _skip_without_block_storage(self) -> None:
        try:
            list(self.member.block_storage.volumes())
        except Exception as exc:
            self.skipTest('the cloud\'s block storage does not answer: %s'
                          % exc)


def _text(seconds: float):
    return _text_of('%.1f' % seconds)


def _text_of(text: str):
    from testtools import content
    return content.text_content(text)
