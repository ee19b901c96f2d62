"""The OS::Keystone::* types on a real Keystone, through our API in
keystone mode, as an admin of its project (the types are admin only, as in
Heat); every result is read back through Keystone's own API as the cloud's
admin, and whatever a test leaves is removed."""

import uuid

from functional_tests.cloud import stacks


def _template(suffix: str, enabled: bool = True, role: str = 'member',
              description: str = 'made by a stack') -> dict:
    return {
        'heat_template_version': '2018-08-31',
        'resources': {
            'domain': {'type': 'OS::Keystone::Domain', 'properties': {
                'name': 'ks-dom-' + suffix, 'enabled': enabled}},
            'project': {'type': 'OS::Keystone::Project', 'properties': {
                'name': 'ks-proj-' + suffix, 'tags': ['ks'],
                'domain': {'get_resource': 'domain'}}},
            'group': {'type': 'OS::Keystone::Group', 'properties': {
                'name': 'ks-grp-' + suffix,
                'domain': {'get_resource': 'domain'}}},
            'user': {'type': 'OS::Keystone::User', 'properties': {
                'name': 'ks-user-' + suffix, 'password': 'passWORD',
                'description': description,
                'domain': {'get_resource': 'domain'},
                'groups': [{'get_resource': 'group'}],
                'roles': [{'role': role,
                           'project': {'get_resource': 'project'}}]}},
        },
        'outputs': {
            'user_domain': {'value': {'get_attr': ['user', 'domain_id']}},
            'project_name': {'value': {'get_attr': ['project', 'name']}},
        },
    }


class KeystoneStackTest(stacks.CloudStackTest):

    users_prefix = 'conv-ks'
    users_roles = ('member', 'admin')

    def setUp(self):
        super().setUp()
        self.suffix = uuid.uuid4().hex[:8]
        self.keystone = self.users.admin.identity
        self.addCleanup(self._remove_leftovers)

    def _remove_leftovers(self):
        """What a failed test left, as the cloud's admin."""
        for domain in self.keystone.domains(name='ks-dom-' + self.suffix):
            self.keystone.update_domain(domain, enabled=False)
            self.keystone.delete_domain(domain, ignore_missing=True)
        for kind in ('services', 'regions'):
            for item in getattr(self.keystone, kind)():
                if self.suffix in '%s %s' % (getattr(item, 'name', ''),
                                             item.id):
                    getattr(self.keystone, 'delete_' + kind[:-1])(
                        item, ignore_missing=True)
        for kind in ('roles', 'users'):
            for item in getattr(self.keystone, kind)():
                if item.name.endswith(self.suffix):
                    getattr(self.keystone, 'delete_' + kind[:-1])(
                        item, ignore_missing=True)

    def _roles_of(self, user_id: str) -> set:
        return {(a.role['id'], a.scope.get('project', {}).get('id'))
                for a in self.keystone.role_assignments(user_id=user_id)}

    def test_a_domain_with_its_project_group_and_user_lives_and_dies(self):
        name = 'ks-' + self.suffix
        stack_id = self.create(name, _template(self.suffix))
        stack = self.wait(name, stack_id, 'CREATE_COMPLETE')
        ids = self.ids(name, stack_id)
        user = self.keystone.get_user(ids['user'])
        self.assertEqual((ids['domain'], 'made by a stack'),
                         (user.domain_id, user.description))
        self.assertEqual({o['output_key']: o['output_value']
                          for o in stack['outputs']},
                         {'user_domain': ids['domain'],
                          'project_name': 'ks-proj-' + self.suffix})
        self.assertEqual(['ks'], self.keystone.get_project(
            ids['project']).tags)
        self.assertEqual([ids['group']], [
            g.id for g in self.keystone.user_groups(ids['user'])])
        member = self.keystone.find_role('member').id
        reader = self.keystone.find_role('reader').id
        self.assertEqual({(member, ids['project'])},
                         self._roles_of(ids['user']))

        # Keystone deletes only a disabled domain: disable it on the way.
        self.update(name, stack_id, _template(
            self.suffix, enabled=False, role='reader', description='new'))
        self.wait(name, stack_id, 'UPDATE_COMPLETE')
        self.assertEqual(ids, self.ids(name, stack_id))
        self.assertFalse(self.keystone.get_domain(ids['domain']).is_enabled)
        self.assertEqual('new',
                         self.keystone.get_user(ids['user']).description)
        self.assertEqual({(reader, ids['project'])},
                         self._roles_of(ids['user']))

        self.delete(name, stack_id)
        self.assertEqual([], list(self.keystone.domains(
            name='ks-dom-' + self.suffix)))
        self.assertIsNone(self.keystone.find_user(ids['user']))

    def test_a_keystone_refusal_fails_the_resource_with_its_message(self):
        name = 'ks-dup-' + self.suffix
        stack_id = self.create(name, {
            'heat_template_version': '2018-08-31',
            'resources': {'user': {'type': 'OS::Keystone::User',
                                   'properties': {
                                       'name': self.users.user.name}}}})
        stack = self.settled(name, stack_id)
        self.assertEqual('CREATE_FAILED', stack['stack_status'])
        self.assertIn('Conflict: resources.user: ',
                      stack['stack_status_reason'])
        self.assertIn('Duplicate entry', stack['stack_status_reason'])
        self.delete(name, stack_id)

    def test_an_unknown_role_is_refused_400_in_heats_words(self):
        status, body = self.call('POST', '/stacks', {
            'stack_name': 'ks-bad-' + self.suffix, 'parameters': {},
            'template': {
                'heat_template_version': '2018-08-31',
                'resources': {'grant': {
                    'type': 'OS::Keystone::UserRoleAssignment',
                    'properties': {'user': self.users.user.id, 'roles': [
                        {'role': 'ks-no-such-role', 'project':
                         self.users.project.id}]}}}}})
        self.assertEqual(400, status, body)
        self.assertIn("Error validating value 'ks-no-such-role': The "
                      "KeystoneRole (ks-no-such-role) could not be found.",
                      body['error']['message'])

    def test_a_role_deleted_out_of_band_is_no_obstacle_to_delete(self):
        name = 'ks-role-' + self.suffix
        stack_id = self.create(name, {
            'heat_template_version': '2018-08-31',
            'resources': {
                'role': {'type': 'OS::Keystone::Role', 'properties': {
                    'name': 'ks-role-' + self.suffix}},
                'grant': {'type': 'OS::Keystone::UserRoleAssignment',
                          'properties': {
                              'user': '%s{Default}' % self.users.user.name,
                              'roles': [{'role': {'get_resource': 'role'},
                                         'project': self.users.project.id}]}},
            }})
        self.wait(name, stack_id, 'CREATE_COMPLETE')
        role_id = self.ids(name, stack_id)['role']
        self.assertIn((role_id, self.users.project.id),
                      self._roles_of(self.users.user.id))
        self.keystone.delete_role(role_id)
        self.delete(name, stack_id)
        self.assertIsNone(self.keystone.find_role(role_id))

    def test_a_service_gets_an_endpoint_in_a_region_of_its_own(self):
        # A service type nobody uses: the catalog entry it adds while the
        # test runs is harmless to the others sharing the cloud.
        name, region = 'ks-cat-' + self.suffix, 'ks-region-' + self.suffix
        tmpl = {
            'heat_template_version': '2018-08-31',
            'resources': {
                'region': {'type': 'OS::Keystone::Region', 'properties': {
                    'id': region, 'description': 'r'}},
                'service': {'type': 'OS::Keystone::Service', 'properties': {
                    'name': name, 'type': 'ks-test-' + self.suffix}},
                'endpoint': {'type': 'OS::Keystone::Endpoint', 'properties': {
                    'service': {'get_resource': 'service'},
                    'region': {'get_resource': 'region'},
                    'interface': 'internal', 'url': 'http://127.0.0.1:9/a'}},
            }}
        stack_id = self.create(name, tmpl)
        self.wait(name, stack_id, 'CREATE_COMPLETE')
        ids = self.ids(name, stack_id)
        self.assertEqual(region, ids['region'])
        endpoint = self.keystone.get_endpoint(ids['endpoint'])
        self.assertEqual((ids['service'], region, 'internal'), (
            endpoint.service_id, endpoint.region_id, endpoint.interface))
        tmpl['resources']['endpoint']['properties']['url'] = \
            'http://127.0.0.1:9/b'
        self.update(name, stack_id, tmpl)
        self.wait(name, stack_id, 'UPDATE_COMPLETE')
        self.assertEqual((ids['endpoint'], 'http://127.0.0.1:9/b'), (
            self.ids(name, stack_id)['endpoint'],
            self.keystone.get_endpoint(ids['endpoint']).url))
        self.delete(name, stack_id)
        self.assertIsNone(self.keystone.find_service(ids['service']))
        self.assertIsNone(self.keystone.find_region(region))
