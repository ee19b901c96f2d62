"""CloudClients, the real cloud_ports.Clouds, where it decides without a cloud:
which catalog a request has, when a stack gets a trust, what a stack
without credentials says."""

import fixtures
from oslo_config import cfg
import testtools

from convergence import config
from convergence.clients import clouds
from convergence.clients import errors
from convergence.rpc.context import RequestContext
from convergence.tests.unit.clients.test_catalog_retry_options import token
from db import api as db_api


class CloudClientsTest(testtools.TestCase):

    def clients(self, trustee: bool = True) -> clouds.CloudClients:
        conf = config.register(cfg.ConfigOpts())
        path = self.useFixture(fixtures.TempDir()).join('c.conf')
        with open(path, 'w') as f:
            f.write('[trustee]\nauth_type = password\n'
                    'auth_url = http://keystone/v3\nusername = heat\n'
                    'password = p\nuser_domain_name = Default\n'
                    if trustee else '')
        conf(['--config-file', path], project='convergence',
             default_config_files=[])
        db = db_api.Database('sqlite://')
        db.create_schema()
        return clouds.CloudClients(conf, db)

    def user(self, **kwargs) -> RequestContext:
        return RequestContext(project_id='p', user_id='u', auth_token='t',
                              auth_token_info=token(
                                  ('network', 'public', 'RegionOne'),
                                  ('compute', 'internal', 'RegionOne')),
                              **kwargs)

    def test_the_catalog_is_the_tokens_in_its_region(self):
        clients = self.clients()
        self.assertEqual({'network'}, clients.catalog(self.user()))
        self.assertEqual(frozenset(), clients.catalog(self.user(
            region_name='RegionTwo')))

    def test_noauth_has_no_catalog_and_gets_no_trust(self):
        clients = self.clients()
        noauth = RequestContext(project_id='p', is_admin=True)
        self.assertIsNone(clients.catalog(noauth))
        self.assertIsNone(clients.stack_creds_create(noauth, 's'))

    def test_without_a_trustee_no_cloud_type_is_usable_and_says_why(self):
        clients = self.clients(trustee=False)
        exc = self.assertRaises(errors.CloudUnavailable, clients.catalog,
                                self.user())
        self.assertIn('no [trustee] service user', str(exc))
        self.assertIsNone(clients.stack_creds_create(self.user(), 's'))

    def test_a_stack_without_credentials_has_no_cloud(self):
        clients = self.clients()
        exc = self.assertRaises(errors.CloudUnavailable, clients.for_stack,
                                {'name': 's', 'user_creds_id': None})
        self.assertIn('stack s has no credentials', str(exc))
        exc = self.assertRaises(errors.CloudUnavailable, clients.for_stack,
                                {'name': 's', 'user_creds_id': 'gone'})
        self.assertIn('the credentials of stack s are gone', str(exc))

    def test_a_trust_stored_gives_a_trust_scoped_cloud_kept_per_creds(self):
        clients = self.clients()
        clients.db.user_creds_create({'id': 'c1', 'trust_id': 'tr1',
                                      'tenant': 'p', 'region_name': 'R1'})
        cloud = clients.for_stack({'name': 's', 'user_creds_id': 'c1'})
        elements = cloud.auth.get_cache_id_elements()
        self.assertEqual(('tr1', 'heat', 'R1'), (
            elements['trust_id'], elements['username'], cloud.region))
        self.assertIs(cloud, clients.for_stack({'name': 's2',
                                                'user_creds_id': 'c1'}))

    def test_a_trust_scoped_token_lends_its_trust_and_keeps_it(self):
        clients = self.clients()
        info = token(('orchestration', 'public', 'RegionOne'))
        info['token']['OS-TRUST:trust'] = {'id': 'parent-trust',
                                           'impersonation': True}
        remote = RequestContext(project_id='p', user_id='u',
                                auth_token='t', auth_token_info=info)
        clients.db.user_creds_create({'id': 'parent', 'tenant': 'p',
                                      'trust_id': 'parent-trust'})
        creds_id = clients.stack_creds_create(remote, 'remote')
        self.assertEqual('parent-trust', clients.db.user_creds_get(
            creds_id)['trust_id'])
        deleted = []
        self.patch(clients, '_delete_trust',
                   lambda stack, trust: deleted.append(trust))
        clients.stack_creds_delete({'id': 'r', 'user_creds_id': creds_id})
        self.assertEqual(([], None), (deleted,
                                      clients.db.user_creds_get(creds_id)))
        clients.stack_creds_delete({'id': 'p', 'user_creds_id': 'parent'})
        self.assertEqual(['parent-trust'], deleted)
