"""The API behind Keystone (api/auth.py, api/policy.py) over the engine twin.

Tokens are validated by keystonemiddleware's own test fixture
(AuthTokenFixture), which answers for the tokens a test adds; everything
after auth_token (the context middleware, the tenant check, oslo.policy) is
the real pipeline.  functional_tests/cloud/ runs the same against a real
Keystone.
"""

import os
import sys
from unittest import mock

import fixtures
from keystonemiddleware import fixture as ksm_fixture
from oslo_config import cfg
import webob

from convergence.api import auth
from convergence.api import pipeline
from convergence.tests.unit.api import base

P = 'project-p'
Q = 'project-q'
AUTHTOKEN = '''[keystone_authtoken]
www_authenticate_uri = http://keystone.example:5000
auth_url = http://keystone.example:5000
auth_type = password
username = heat
password = secret
project_name = service
user_domain_name = Default
project_domain_name = Default
'''


def write_conf(test, text: str) -> cfg.ConfigOpts:
    path = os.path.join(test.useFixture(fixtures.TempDir()).path,
                        'convergence.conf')
    with open(path, 'w') as conf_file:
        conf_file.write(text)
    conf = cfg.ConfigOpts()
    conf([], project='convergence', default_config_files=[path])
    return conf


class KeystoneTestCase(base.ApiTestCase):
    """Given the pipeline with flavor keystone and some users' tokens."""

    extra_conf = ''

    def setUp(self):
        super().setUp()
        self.tokens = self.useFixture(ksm_fixture.AuthTokenFixture())
        conf = write_conf(self, '[paste_deploy]\nflavor = keystone\n'
                          + AUTHTOKEN + self.extra_conf)
        self.app = pipeline.build(self.engine, conf)
        self.member = self.token('alice', P, ['member', 'reader'])
        self.reader = self.token('rita', P, ['reader'])
        self.other = self.token('bob', Q, ['member', 'reader'])

    def token(self, user: str, project: str, roles: list) -> str:
        token_id = 'token-' + user
        self.tokens.add_token_data(
            token_id=token_id, user_id=user + '-id', user_name=user,
            user_domain_id='default', project_id=project,
            project_name=project + '-name', project_domain_id='default',
            role_list=roles)
        return token_id

    def call(self, token: str | None, method: str, path: str, body=None):
        headers = {'X-Auth-Token': token} if token else {}
        req = webob.Request.blank(path, method=method, headers=dict(
            headers, Accept='application/json', Host=base.HOST))
        if body is not None:
            req.content_type = 'application/json'
            req.json = body
        return req.get_response(self.app)

    def create_as(self, token: str, name: str = 's1'):
        return self.call(token, 'POST', '/v1/%s/stacks' % P, {
            'stack_name': name, 'template': base.TEMPLATE})


class TestAuthentication(KeystoneTestCase):

    def test_a_request_without_a_token_is_refused_401(self):
        resp = self.call(None, 'GET', '/v1/%s/stacks' % P)
        self.assertEqual(401, resp.status_int)
        self.assertEqual('Keystone uri="http://keystone.example:5000"',
                         resp.headers['WWW-Authenticate'])
        self.assertEqual([], self.engine.stacks if isinstance(
            self.engine.stacks, list) else list(self.engine.stacks))

    def test_an_unknown_token_is_refused_401(self):
        resp = self.call('forged', 'POST', '/v1/%s/stacks' % P, {
            'stack_name': 's1', 'template': base.TEMPLATE})
        self.assertEqual(401, resp.status_int)
        self.assertEqual(0, len(self.engine.stacks))

    def test_the_versions_document_needs_no_token(self):
        self.assertEqual(300, self.call(None, 'GET', '/').status_int)

    def test_the_engine_gets_the_context_of_the_token(self):
        seen = []
        create = self.engine.create_stack

        def recording(ctxt, *args, **kwargs):
            seen.append(ctxt)
            return create(ctxt, *args, **kwargs)
        self.engine.create_stack = recording
        resp = self.create_as(self.member)
        self.assertEqual(201, resp.status_int, resp.body)
        ctx = seen[0]
        self.assertEqual(
            (P, P + '-name', 'alice-id', 'alice', ['member', 'reader'],
             self.member, False, 'default', 'default'),
            (ctx.project_id, ctx.project_name, ctx.user_id, ctx.username,
             sorted(ctx.roles), ctx.auth_token, ctx.is_admin,
             ctx.user_domain_id, ctx.project_domain_id))
        self.assertIn('token', ctx.auth_token_info)
        self.assertTrue(ctx.request_id.startswith('req-'))


class TestTenantIsolation(KeystoneTestCase):

    def test_a_member_of_another_project_is_forbidden(self):
        path = self.create_as(self.member).location[len(base.BASE):]
        for method, url in (('GET', '/v1/%s/stacks' % P), ('GET', path),
                            ('DELETE', path),
                            ('GET', path + '/resources')):
            resp = self.call(self.other, method, url)
            self.assertFault(resp, 403, 'HTTPForbidden')
        self.assertEqual(1, len(self.engine.stacks))

    def test_its_own_project_does_not_see_the_other_projects_stacks(self):
        self.create_as(self.member)
        resp = self.call(self.other, 'GET', '/v1/%s/stacks' % Q)
        self.assertEqual((200, []), (resp.status_int, resp.json['stacks']))

    def test_an_admin_acts_in_the_project_of_its_token(self):
        admin = self.token('root', Q, ['admin', 'member', 'reader'])
        self.create_as(self.member)
        resp = self.call(admin, 'GET', '/v1/%s/stacks' % P)
        self.assertEqual(200, resp.status_int, resp.body)
        self.assertEqual([], resp.json['stacks'])  # Q's, as in Heat


class TestPolicy(KeystoneTestCase):

    def test_a_reader_can_list_but_not_create(self):
        self.assertEqual(200, self.call(self.reader, 'GET',
                                        '/v1/%s/stacks' % P).status_int)
        resp = self.create_as(self.reader)
        self.assertFault(resp, 403, 'Forbidden',
                         'You are not authorized to use stacks:create.')
        self.assertEqual(0, len(self.engine.stacks))

    def test_a_member_creates_and_deletes(self):
        path = self.create_as(self.member).location[len(base.BASE):]
        self.assertEqual(204, self.call(self.member, 'DELETE',
                                        path).status_int)

    def test_actions_are_checked_by_the_action_named_in_the_body(self):
        path = self.create_as(self.member).location[len(base.BASE):]
        resp = self.call(self.reader, 'POST', path + '/actions',
                         {'suspend': None})
        self.assertFault(resp, 403, 'Forbidden',
                         'You are not authorized to use actions:suspend.')
        resp = self.call(self.reader, 'POST', path + '/actions',
                         {'check': None})
        self.assertEqual(200, resp.status_int, resp.body)

    def test_a_stack_user_cannot_list_stacks(self):
        stack_user = self.token('vm', P, ['heat_stack_user'])
        resp = self.call(stack_user, 'GET', '/v1/%s/stacks' % P)
        self.assertFault(resp, 403, 'Forbidden',
                         'You are not authorized to use stacks:index.')

    def test_listing_every_project_is_the_global_index_rule(self):
        resp = self.call(self.member, 'GET',
                         '/v1/%s/stacks?global_tenant=true' % P)
        self.assertFault(resp, 403, 'Forbidden', 'You are not authorized '
                         'to use stacks:global_index.')

    def test_services_are_for_admins(self):
        resp = self.call(self.member, 'GET', '/v1/%s/services' % P)
        self.assertFault(resp, 403, 'Forbidden',
                         'You are not authorized to use service:index.')
        self.engine.list_services = lambda ctxt: []
        admin = self.token('root', P, ['admin', 'member', 'reader'])
        resp = self.call(admin, 'GET', '/v1/%s/services' % P)
        self.assertEqual((200, {'services': []}), (resp.status_int,
                                                   resp.json))


class TestDeprecatedDefaults(KeystoneTestCase):
    """enforce_new_defaults = False: the old ``not role:heat_stack_user``
    defaults still allow, as oslo.policy does for every deprecated rule."""

    extra_conf = '[oslo_policy]\nenforce_new_defaults = false\n'

    def test_any_role_but_stack_user_may_create(self):
        someone = self.token('sam', P, ['anything'])
        self.assertEqual(201, self.create_as(someone).status_int)
        stack_user = self.token('vm', P, ['heat_stack_user'])
        self.assertFault(self.create_as(stack_user), 403, 'Forbidden')


class TestPolicyFile(KeystoneTestCase):

    def setUp(self):
        directory = self.useFixture(fixtures.TempDir()).path
        path = os.path.join(directory, 'policy.yaml')
        with open(path, 'w') as policy_file:
            policy_file.write('"stacks:index": "role:auditor"\n'
                              '"stacks:global_index": "role:auditor"\n')
        self.extra_conf = '[oslo_policy]\npolicy_file = %s\n' % path
        super().setUp()

    def test_an_allowed_global_index_is_refused_as_not_supported(self):
        auditor = self.token('aud', P, ['auditor'])
        resp = self.call(auditor, 'GET',
                         '/v1/%s/stacks?global_tenant=true' % P)
        self.assertFault(resp, 400, 'NotSupported')

    def test_a_policy_file_overrides_a_default(self):
        self.assertFault(self.call(self.member, 'GET', '/v1/%s/stacks' % P),
                         403, 'Forbidden')
        auditor = self.token('aud', P, ['auditor'])
        self.assertEqual(200, self.call(auditor, 'GET',
                                        '/v1/%s/stacks' % P).status_int)


class TestStrategy(base.ApiTestCase):
    """Which authentication a configuration gets, and refusals at start."""

    def build(self, text: str):
        return pipeline.build(self.engine, write_conf(self, text))

    def test_noauth_is_the_default_and_says_so(self):
        logged = self.useFixture(fixtures.FakeLogger(
            name='convergence.api.auth', level='WARNING'))
        app = self.build('')
        self.assertIn('Authentication is noauth', logged.output)
        resp = webob.Request.blank('/v1/x/stacks').get_response(app)
        self.assertEqual(200, resp.status_int)

    def test_an_authtoken_section_without_a_flavor_means_keystone(self):
        self.useFixture(ksm_fixture.AuthTokenFixture())
        app = self.build(AUTHTOKEN)
        resp = webob.Request.blank('/v1/x/stacks').get_response(app)
        self.assertEqual(401, resp.status_int)

    def test_flavor_noauth_wins_over_an_authtoken_section(self):
        conf = write_conf(self, '[paste_deploy]\nflavor = noauth\n'
                          + AUTHTOKEN)
        self.assertEqual(auth.NOAUTH, auth.strategy(conf))

    def test_keystone_without_service_credentials_is_a_startup_error(self):
        err = self.assertRaises(auth.AuthConfigError, self.build,
                                '[paste_deploy]\nflavor = keystone\n')
        self.assertIn('[keystone_authtoken] auth_type is not set', str(err))

    def test_incomplete_credentials_are_named(self):
        text = AUTHTOKEN.replace('auth_url = http://keystone.example:5000\n',
                                 '')
        err = self.assertRaises(auth.AuthConfigError, self.build, text)
        self.assertIn('[keystone_authtoken] is incomplete', str(err))
        self.assertIn('auth_url', str(err))

    def test_keystonemiddleware_missing_is_a_startup_error(self):
        # A module set to None in sys.modules fails to import.
        with mock.patch.dict(sys.modules, {
                'keystonemiddleware': None,
                'keystonemiddleware.auth_token': None}):
            err = self.assertRaises(auth.AuthConfigError, self.build,
                                    AUTHTOKEN)
        self.assertIn('keystonemiddleware cannot be imported', str(err))

    def test_an_unimplemented_flavor_is_a_startup_error(self):
        err = self.assertRaises(auth.AuthConfigError, self.build,
                                '[paste_deploy]\nflavor = standalone\n')
        self.assertEqual('[paste_deploy] flavor = standalone is not '
                         'implemented; use keystone or noauth.', str(err))
