"""RequestContext: what crosses the bus and what a heat-api would send."""

import testtools

from convergence.rpc import context


class RequestContextTest(testtools.TestCase):

    def test_round_trip_keeps_identity(self):
        ctx = context.RequestContext(project_id='t1', user_id='u1',
                                     username='alice', is_admin=True,
                                     show_deleted=True, request_id='req-1')
        back = context.RequestContext.from_dict(ctx.to_dict())
        self.assertEqual(('t1', 'u1', 'alice', True, True, 'req-1'),
                         (back.project_id, back.user_id, back.username,
                          back.is_admin, back.show_deleted, back.request_id))

    def test_heat_names_are_aliases(self):
        ctx = context.RequestContext(project_id='t1', username='alice')
        self.assertEqual('t1', ctx.tenant)
        self.assertEqual('alice', ctx.user)
        self.assertEqual('t1', ctx.to_dict()['tenant_id'])

    def test_reads_a_heat_api_context_dict(self):
        heat_dict = {'tenant_id': 'admin', 'username': 'admin',
                     'user_id': 'uid', 'is_admin': True,
                     'request_id': 'req-9', 'auth_token': 'x',
                     'roles': ['admin'], 'trust_id': None}
        ctx = context.RequestContext.from_dict(heat_dict)
        self.assertEqual(('admin', 'uid', 'admin', True),
                         (ctx.project_id, ctx.user_id, ctx.username,
                          ctx.is_admin))

    def test_heats_extra_fields_cross_the_bus_both_ways(self):
        heat_dict = {'tenant_id': 'p1', 'project_name': 'demo',
                     'user_id': 'uid', 'username': 'alice',
                     'auth_token': 'tok', 'roles': ['member', 'reader'],
                     'user_domain': 'default', 'project_domain': 'default',
                     'region_name': 'RegionOne', 'auth_url': 'http://ks/v3',
                     'auth_token_info': {'token': {'methods': ['password']}},
                     'trust_id': 'tr1', 'trustor_user_id': 'u0',
                     'password': None, 'aws_creds': None, 'is_admin': False}
        ctx = context.RequestContext.from_dict(heat_dict)
        again = ctx.to_dict()
        for key, value in heat_dict.items():
            self.assertEqual(value, again[key], key)
        self.assertEqual(('member', 'reader'), tuple(ctx.roles))

    def test_policy_values_carry_heats_older_names(self):
        ctx = context.RequestContext(project_id='p1', user_id='u1',
                                     roles=['reader'])
        values = ctx.to_policy_values()
        self.assertEqual(('p1', 'u1', ['reader'], False),
                         (values['tenant'], values['user'], values['roles'],
                          values['is_admin']))

    def test_admin_context(self):
        ctx = context.admin_context('t2')
        self.assertTrue(ctx.is_admin)
        self.assertEqual('t2', ctx.project_id)
