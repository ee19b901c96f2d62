"""Contract of ports.UserCreds: a stack tree's trust, on every backend."""

import testscenarios

from convergence.tests.unit.db import base

load_tests = testscenarios.load_tests_apply_scenarios


class TestUserCreds(base.DatabaseTestCase):

    def test_a_row_round_trips_and_is_deleted_once_or_twice(self):
        creds_id = base.new_id()
        self.db.user_creds_create({
            'id': creds_id, 'trust_id': 'trust-1', 'trustor_user_id': 'u1',
            'tenant': 'p1', 'region_name': 'RegionOne'})
        got = self.db.user_creds_get(creds_id)
        self.assertEqual(('trust-1', 'u1', 'p1', 'RegionOne'), (
            got['trust_id'], got['trustor_user_id'], got['tenant'],
            got['region_name']))
        self.assertIsNotNone(got['created_at'])
        self.db.user_creds_delete(creds_id)
        self.db.user_creds_delete(creds_id)
        self.assertIsNone(self.db.user_creds_get(creds_id))

    def test_a_stack_names_its_credentials(self):
        creds_id = base.new_id()
        self.db.user_creds_create({'id': creds_id, 'tenant': 'p1'})
        template_id = self.db.raw_template_create(
            None, {'heat_template_version': '2018-08-31'}, {}, {})
        stack = self.db.stack_create({
            'id': base.new_id(), 'name': 's', 'tenant': 'p1',
            'raw_template_id': template_id, 'current_traversal': 't',
            'action': 'CREATE', 'status': 'IN_PROGRESS',
            'user_creds_id': creds_id})
        self.assertEqual(creds_id, stack['user_creds_id'])
        self.assertEqual(creds_id, self.db.stack_get(stack['id'])[
            'user_creds_id'])

    def test_a_trust_named_by_another_row_is_shared(self):
        parent, child, alone = base.new_id(), base.new_id(), base.new_id()
        for creds_id, trust in ((parent, 'trust-p'), (child, 'trust-p'),
                                (alone, 'trust-a')):
            self.db.user_creds_create({'id': creds_id, 'trust_id': trust,
                                       'tenant': 'p1'})
        self.assertTrue(self.db.user_creds_sharing_trust('trust-p', child))
        self.assertFalse(self.db.user_creds_sharing_trust('trust-a', alone))
        self.db.user_creds_delete(child)
        self.assertFalse(self.db.user_creds_sharing_trust('trust-p', parent))
