"""OS::Nova::HostAggregate and OS::Cinder::EncryptedVolumeType on a real
cloud, through our REST API as a project admin (Heat's type policy lets
only an admin use them; Nova and Cinder let only an admin make them), each
created, changed in place and deleted, checked through Nova's and Cinder's
own APIs as the cloud's admin.  A member is refused both 403 by the type
policy."""

import openstack.exceptions

from functional_tests.cloud import stacks

LUKS = 'nova.volume.encryptors.luks.LuksEncryptor'


class AdminTypesTest(stacks.CloudStackTest):

    users_prefix = 'cl-adm'
    users_roles = ('member', 'admin')

    def setUp(self):
        super().setUp()
        self.admin = self.cloud.connection('admin')

    def compute_host(self) -> str:
        hosts = sorted(s.host for s in self.admin.compute.services(
            binary='nova-compute'))
        if not hosts:
            self.skipTest('the cloud has no nova-compute service')
        return hosts[0]

    def test_host_aggregates_change_in_place(self):
        # Nova refuses to give a zone to a host that has instances (the
        # shared cloud's has), and never unsets a zone: one aggregate has
        # a zone, the other the host.
        host = self.compute_host()
        zoned = {'name': 'adm-zoned', 'availability_zone': 'adm-az1',
                 'metadata': {'ssd': 'true', 'old': 'x'}}
        hosted = {'name': 'adm-hosted', 'hosts': [host]}
        tmpl = {'heat_template_version': '2018-08-31', 'resources': {
            'zoned': {'type': 'OS::Nova::HostAggregate',
                      'properties': zoned},
            'hosted': {'type': 'OS::Nova::HostAggregate',
                       'properties': hosted}}}
        # Aggregates belong to no project: a failed test must not leave one.
        self.addCleanup(self._remove_aggregates, (
            'adm-zoned', 'adm-zoned2', 'adm-hosted', 'adm-hosted2'))
        stack_id = self.create('adm-agg', tmpl)
        self.wait('adm-agg', stack_id, 'CREATE_COMPLETE')
        ids = self.ids('adm-agg', stack_id)
        nova = self.admin.compute
        found = nova.get_aggregate(ids['zoned'])
        self.assertEqual(('adm-zoned', 'adm-az1', []), (
            found.name, found.availability_zone, found.hosts))
        self.assertEqual({'availability_zone': 'adm-az1', 'ssd': 'true',
                          'old': 'x'}, found.metadata)
        self.assertEqual([host], nova.get_aggregate(ids['hosted']).hosts)

        zoned.update(name='adm-zoned2', availability_zone='adm-az2',
                     metadata={'ssd': 'false'})
        hosted.update(name='adm-hosted2', metadata={'k': 'v'})
        self.update('adm-agg', stack_id, tmpl)
        self.wait('adm-agg', stack_id, 'UPDATE_COMPLETE')
        self.assertEqual(ids, self.ids('adm-agg', stack_id))
        found = nova.get_aggregate(ids['zoned'])
        self.assertEqual(('adm-zoned2', 'adm-az2'), (
            found.name, found.availability_zone))
        # The key the template dropped is gone (Heat's would stay).
        self.assertEqual({'availability_zone': 'adm-az2', 'ssd': 'false'},
                         found.metadata)
        found = nova.get_aggregate(ids['hosted'])
        self.assertEqual(('adm-hosted2', [host], {'k': 'v'}), (
            found.name, found.hosts, found.metadata))
        # The delete takes the host out first: Nova refuses otherwise.
        self.delete('adm-agg', stack_id)
        self.assertEqual((None, None), (nova.find_aggregate(ids['zoned']),
                                        nova.find_aggregate(ids['hosted'])))

    def _remove_aggregates(self, names) -> None:
        for found in list(self.admin.compute.aggregates()):
            if found.name not in names:
                continue
            for host in found.hosts or ():
                self.admin.compute.remove_host_from_aggregate(found.id, host)
            self.admin.compute.delete_aggregate(found.id)

    def test_an_encrypted_volume_type_changes_in_place(self):
        props = {'provider': LUKS, 'control_location': 'front-end',
                 'cipher': 'aes-xts-plain64', 'key_size': 512,
                 'volume_type': {'get_resource': 'vt'}}
        tmpl = {'heat_template_version': '2015-04-30', 'resources': {
            'vt': {'type': 'OS::Cinder::VolumeType',
                   'properties': {'name': 'adm-luks'}},
            'evt': {'type': 'OS::Cinder::EncryptedVolumeType',
                    'properties': props}}}
        stack_id = self.create('adm-evt', tmpl)
        self.wait('adm-evt', stack_id, 'CREATE_COMPLETE')
        ids = self.ids('adm-evt', stack_id)
        self.addCleanup(self._remove_type, ids['vt'])
        self.assertEqual(ids['vt'], ids['evt'])
        cinder = self.admin.block_storage
        found = cinder.get_type_encryption(ids['vt'])
        self.assertEqual((LUKS, 'front-end', 'aes-xts-plain64', 512), (
            found.provider, found.control_location, found.cipher,
            found.key_size))

        props.update(cipher='aes-cbc-essiv', key_size=256,
                     control_location='back-end')
        self.update('adm-evt', stack_id, tmpl)
        self.wait('adm-evt', stack_id, 'UPDATE_COMPLETE')
        self.assertEqual(ids, self.ids('adm-evt', stack_id))
        found = cinder.get_type_encryption(ids['vt'])
        self.assertEqual(('back-end', 'aes-cbc-essiv', 256), (
            found.control_location, found.cipher, found.key_size))
        self.delete('adm-evt', stack_id)
        self.assertIsNone(cinder.find_type(ids['vt']))

    def _remove_type(self, type_id: str) -> None:
        cinder = self.admin.block_storage
        if cinder.find_type(type_id) is None:
            return
        try:
            cinder.delete_type_encryption(volume_type=type_id)
        except openstack.exceptions.SDKException:
            pass  # not encrypted any more
        cinder.delete_type(type_id)


class MemberRefusedTest(stacks.CloudStackTest):

    users_prefix = 'cl-adm-m'

    def test_a_member_may_not_use_the_admin_types(self):
        for type_name, props in (
                ('OS::Nova::HostAggregate', {'name': 'adm-no'}),
                ('OS::Cinder::EncryptedVolumeType', {
                    'provider': LUKS, 'volume_type': 'nope'})):
            status, body = self.call('POST', '/stacks', {
                'stack_name': 'adm-no', 'parameters': {}, 'template': {
                    'heat_template_version': '2018-08-31', 'resources': {
                        'r': {'type': type_name, 'properties': props}}}})
            self.assertEqual(403, status, body)
            self.assertIn('You are not authorized to use %s.' % type_name,
                          body['error']['message'])
