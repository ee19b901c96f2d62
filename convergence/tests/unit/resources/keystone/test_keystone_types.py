"""The OS::Keystone::* types on the in-memory Keystone (memory_identity)."""

import testtools

from convergence.clients import errors
from convergence.clients import validation
from convergence.exceptions import StackValidationFailed
from convergence.resources.base import IN_PLACE, REPLACE
from convergence.resources.runner import run_action
from convergence.tests.unit.resources.neutron.fixtures import OnCloud
from convergence.tests.unit.resources.utils import SHORT_ID, validated

DOMAIN, PROJECT, USER = ('OS::Keystone::Domain', 'OS::Keystone::Project',
                         'OS::Keystone::User')
ROLE, GROUP = 'OS::Keystone::Role', 'OS::Keystone::Group'
USER_ROLES = 'OS::Keystone::UserRoleAssignment'
GROUP_ROLES = 'OS::Keystone::GroupRoleAssignment'
SERVICE, ENDPOINT, REGION = ('OS::Keystone::Service',
                             'OS::Keystone::Endpoint', 'OS::Keystone::Region')


class KeystoneTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.on = OnCloud()
        self.keystone = self.on.cloud.identity
        self.admin = self.keystone.find('role', 'admin')['id']

    def stored(self, kind: str, res) -> dict:
        return self.keystone.resources[kind][res.resource_id]


class DomainTest(KeystoneTest):

    def test_an_enabled_domain_is_refused_deletion_as_keystone_does(self):
        domain = self.on.created(DOMAIN, {'description': 'd'}, 'dom')
        self.assertEqual({'id': domain.resource_id, 'enabled': True,
                          'name': 'st-dom-%s' % SHORT_ID, 'description': 'd'},
                         self.stored('domain', domain))
        self.assertEqual(
            'Forbidden: resources.dom: Cannot delete a domain that is '
            'enabled, please disable it first.',
            self.on.failure(domain, 'DELETE'))
        plan = self.on.updated(domain, {'enabled': False, 'name': 'x'})
        self.assertEqual(IN_PLACE, plan.decision)
        self.assertEqual((False, 'x'), (self.stored('domain', domain)[
            'enabled'], self.stored('domain', domain)['name']))
        run_action(domain, 'DELETE', domain.context.clock)
        self.assertNotIn(domain.resource_id, self.keystone.resources[
            'domain'])

    def test_delete_of_a_gone_domain_succeeds_and_check_names_it(self):
        domain = self.on.created(DOMAIN, {'enabled': False}, 'dom')
        del self.keystone.resources['domain'][domain.resource_id]
        self.assertEqual('NotFound: resources.dom: Domain %s could not be '
                         'found.' % domain.resource_id,
                         self.on.failure(domain, 'CHECK'))
        run_action(domain, 'DELETE', domain.context.clock)


class ProjectTest(KeystoneTest):

    def test_the_domain_is_found_by_name_and_attributes_are_keystones(self):
        dom = self.keystone.add('domain', name='d1', enabled=True)
        project = self.on.created(PROJECT, {'name': 'p', 'domain': 'd1',
                                            'tags': ['a']}, 'proj')
        self.assertEqual((dom['id'], dom['id'], False, True, ['a']), tuple(
            project.get_attribute(a) for a in (
                'domain_id', 'parent_id', 'is_domain', 'enabled')) + (
            self.stored('project', project)['tags'],))
        self.assertEqual('p', project.get_attribute('show')['name'])

    def test_tags_and_name_change_in_place_a_parent_replaces(self):
        parent = self.keystone.add('project', name='top',
                                   domain_id='default')
        project = self.on.created(PROJECT, {'parent': 'top'}, 'proj')
        self.assertEqual(parent['id'], self.stored('project', project)[
            'parent_id'])
        plan = self.on.updated(project, {'parent': 'top', 'tags': ['t'],
                                         'description': 'new'})
        self.assertEqual(IN_PLACE, plan.decision)
        self.assertEqual((['t'], 'new', 'st-proj-%s' % SHORT_ID), tuple(
            self.stored('project', project)[k]
            for k in ('tags', 'description', 'name')))
        self.assertEqual(REPLACE, project.plan_update(validated(
            PROJECT, {'parent': parent['id']})).decision)

    def test_an_unknown_domain_fails_in_heats_words(self):
        project = self.on.plugin(PROJECT, {'domain': 'nope'}, 'proj')
        self.assertEqual(
            "StackValidationFailed: resources.proj: Property error: "
            "proj.properties.domain: Error validating value 'nope': The "
            "KeystoneDomain (nope) could not be found.",
            self.on.failure(project, 'CREATE'))
        self.assertEqual({'default'}, set(self.keystone.resources['domain']))

    def test_delete_drops_neutrons_default_security_group_first(self):
        project = self.on.created(PROJECT, {}, 'proj')
        group = self.on.network.create('security_group', {
            'name': 'default', 'tenant_id': project.resource_id})
        other = self.on.network.create('security_group', {
            'name': 'default', 'tenant_id': 'someone-else'})
        run_action(project, 'DELETE', project.context.clock)
        self.assertEqual([other['id']], [
            g for g in self.on.network.resources['security_group']
            if g in (group['id'], other['id'])])
        self.assertNotIn(project.resource_id,
                         self.keystone.resources['project'])
        run_action(project, 'DELETE', project.context.clock)

    def test_a_cloud_error_fails_the_create_with_keystones_message(self):
        self.keystone.fail('project', 'create', errors.Conflict(
            'Conflict occurred attempting to store project - it is '
            'taken.', 409))
        project = self.on.plugin(PROJECT, {'name': 'p'}, 'proj')
        self.assertEqual('Conflict: resources.proj: Conflict occurred '
                         'attempting to store project - it is taken.',
                         self.on.failure(project, 'CREATE'))
        self.assertIsNone(project.resource_id)


class UserTest(KeystoneTest):

    def setUp(self):
        super().setUp()
        self.project = self.keystone.add('project', name='p',
                                         domain_id='default')
        self.g1 = self.keystone.add('group', name='g1', domain_id='default')
        self.g2 = self.keystone.add('group', name='g2', domain_id='default')

    def test_groups_and_roles_are_made_and_changed_in_place(self):
        user = self.on.created(USER, {
            'name': 'u', 'password': 'pw', 'email': 'u@x', 'groups': ['g1'],
            'default_project': 'p',
            'roles': [{'role': 'admin', 'project': 'p'}]}, 'user')
        uid = user.resource_id
        self.assertEqual(('u@x', self.project['id'], None), tuple(
            user.get_attribute(a) if a != 'email' else
            self.stored('user', user)['email']
            for a in ('email', 'default_project_id',
                      'password_expires_at')))
        self.assertEqual({(uid, self.g1['id'])}, self.keystone.members)
        self.assertEqual({(self.admin, 'user', uid, 'project',
                           self.project['id'])}, self.keystone.grants)
        plan = self.on.updated(user, {
            'name': 'u', 'password': 'pw2', 'groups': ['g2'],
            'roles': [{'role': 'member', 'domain': 'default'}]})
        self.assertEqual(IN_PLACE, plan.decision)
        member = self.keystone.find('role', 'member')['id']
        self.assertEqual({(uid, self.g2['id'])}, self.keystone.members)
        self.assertEqual({(member, 'user', uid, 'domain', 'default')},
                         self.keystone.grants)
        run_action(user, 'DELETE', user.context.clock)
        self.assertEqual((set(), set(), False), (
            self.keystone.members, self.keystone.grants,
            uid in self.keystone.resources['user']))

    def test_a_role_needs_exactly_one_of_project_and_domain(self):
        error = self.assertRaises(StackValidationFailed, validated, USER, {
            'roles': [{'role': 'admin', 'project': 'p', 'domain': 'd'}]})
        self.assertIn('Cannot define the following properties at the same '
                      'time: project, domain.', str(error))
        error = self.assertRaises(StackValidationFailed, validated, USER, {
            'roles': [{'role': 'admin'}]})
        self.assertIn('Either project or domain must be specified for role '
                      'admin', str(error))

    def test_delete_of_a_gone_user_succeeds(self):
        user = self.on.created(USER, {'groups': ['g1']}, 'user')
        self.keystone.delete('user', user.resource_id)
        run_action(user, 'DELETE', user.context.clock)


class RoleAssignmentTest(KeystoneTest):

    def setUp(self):
        super().setUp()
        self.domain = self.keystone.add('domain', name='dom', enabled=True)
        self.user = self.keystone.add('user', name='bob',
                                      domain_id=self.domain['id'])
        self.project = self.keystone.add('project', name='p',
                                         domain_id='default')

    def test_a_user_named_in_its_domain_gets_and_loses_roles(self):
        grants = self.on.created(USER_ROLES, {
            'user': 'bob{dom}', 'roles': [{'role': 'admin', 'project': 'p'},
                                          {'role': 'reader',
                                           'domain': 'dom'}]}, 'ura')
        reader = self.keystone.find('role', 'reader')['id']
        uid = self.user['id']
        self.assertEqual({(self.admin, 'user', uid, 'project',
                           self.project['id']),
                          (reader, 'user', uid, 'domain', self.domain['id'])},
                         self.keystone.grants)
        self.assertEqual('ura', grants.get_reference_id())
        self.on.updated(grants, {'user': uid, 'roles': [
            {'role': 'reader', 'domain': self.domain['id']}]})
        self.assertEqual({(reader, 'user', uid, 'domain', self.domain['id'])},
                         self.keystone.grants)
        run_action(grants, 'DELETE', grants.context.clock)
        self.assertEqual(set(), self.keystone.grants)

    def test_a_new_user_takes_every_grant_from_the_old(self):
        grants = self.on.created(USER_ROLES, {
            'user': 'bob{dom}', 'roles': [{'role': 'admin',
                                           'project': 'p'}]}, 'ura')
        eve = self.keystone.add('user', name='eve', domain_id='default')
        self.on.updated(grants, {'user': 'eve', 'roles': [
            {'role': 'admin', 'project': 'p'}]})
        self.assertEqual({(self.admin, 'user', eve['id'], 'project',
                           self.project['id'])}, self.keystone.grants)

    def test_delete_after_the_user_is_gone_succeeds(self):
        grants = self.on.created(USER_ROLES, {
            'user': 'bob{dom}', 'roles': [{'role': 'admin',
                                           'project': 'p'}]}, 'ura')
        self.keystone.delete('user', self.user['id'])
        run_action(grants, 'DELETE', grants.context.clock)
        self.assertEqual([], grants.data_get('role_assignments'))

    def test_an_unknown_domain_suffix_names_the_whole_value(self):
        grants = self.on.plugin(USER_ROLES, {
            'user': 'bob{nodom}', 'roles': [{'role': 'admin',
                                             'project': 'p'}]}, 'ura')
        self.assertIn("Error validating value 'bob{nodom}': The KeystoneUser "
                      "(bob{nodom}) could not be found.",
                      self.on.failure(grants, 'CREATE'))

    def test_a_group_gets_its_roles_and_keeps_them_through_renames(self):
        group = self.on.created(GROUP, {'name': 'g', 'roles': [
            {'role': 'admin', 'domain': 'dom'}]}, 'grp')
        gid = group.resource_id
        self.on.updated(group, {'name': 'g2', 'roles': [
            {'role': 'admin', 'domain': 'dom'}]})
        self.assertEqual(('g2', {(self.admin, 'group', gid, 'domain',
                                  self.domain['id'])}),
                         (self.stored('group', group)['name'],
                          self.keystone.grants))
        more = self.on.created(GROUP_ROLES, {'group': 'g2', 'roles': [
            {'role': 'reader', 'project': 'p'}]}, 'gra')
        self.assertEqual(2, len(self.keystone.grants))
        run_action(more, 'DELETE', more.context.clock)
        run_action(group, 'DELETE', group.context.clock)
        self.assertEqual(set(), self.keystone.grants)


class CatalogTypesTest(KeystoneTest):

    def test_an_endpoint_names_its_service_and_region(self):
        self.on.created(REGION, {'id': 'R One', 'description': 'r'}, 'reg')
        self.assertIn('R%20One', self.keystone.resources['region'])
        service = self.on.created(SERVICE, {'type': 'thing',
                                            'name': 'things'}, 'svc')
        endpoint = self.on.created(ENDPOINT, {
            'service': 'things', 'region': 'R%20One', 'interface': 'public',
            'url': 'http://a'}, 'ep')
        stored = self.stored('endpoint', endpoint)
        self.assertEqual((service.resource_id, 'R%20One', 'public'),
                         (stored['service_id'], stored['region_id'],
                          stored['interface']))
        plan = self.on.updated(endpoint, {
            'service': 'things', 'region': 'R%20One', 'interface': 'admin',
            'url': 'http://b'})
        self.assertEqual(IN_PLACE, plan.decision)
        self.assertEqual(('admin', 'http://b'), (
            self.stored('endpoint', endpoint)['interface'],
            self.stored('endpoint', endpoint)['url']))

    def test_a_role_in_a_new_domain_replaces_and_its_name_changes(self):
        role = self.on.created(ROLE, {'name': 'r1'}, 'role')
        self.on.updated(role, {'name': 'r2'})
        self.assertEqual('r2', self.stored('role', role)['name'])
        self.assertEqual(REPLACE, role.plan_update(validated(
            ROLE, {'name': 'r2', 'domain': 'default'})).decision)


class ConstraintTest(KeystoneTest):

    def check(self, type_name: str, props: dict) -> str:
        with validation.validating_with(lambda: self.on.cloud):
            return str(self.assertRaises(StackValidationFailed, validated,
                                         type_name, props))

    def test_validation_asks_the_request_cloud_in_heats_words(self):
        self.keystone.add('user', name='x', domain_id='default')
        self.assertIn("Error validating value 'boss': The KeystoneRole (boss) "
                      "could not be found.", self.check(USER_ROLES, {
                          'user': 'x', 'roles': [{'role': 'boss',
                                                  'domain': 'default'}]}))
        self.assertIn("Error validating value '': The KeystoneDomain () "
                      "could not be found.", self.check(PROJECT, {
                          'domain': ''}))

    def test_two_services_of_one_name_are_a_conflict(self):
        for _ in range(2):
            self.keystone.add('service', name='twin', type='t')
        self.assertIn('Keystone has more than one service with same name '
                      'twin. Please use service id instead of name',
                      self.check(ENDPOINT, {'service': 'twin', 'url': 'u',
                                            'interface': 'public'}))
