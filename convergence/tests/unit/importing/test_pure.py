"""The import's pure pieces: Heat's encryption, trees, row and data maps."""

import base64
import datetime

from cryptography import fernet
import testtools

from convergence.importing import heat_crypt
from convergence.importing import resource_data
from convergence.importing import rows
from convergence.importing import trees
from convergence.tests.unit.importing import heat_db

# A RandomString's value as upstream Heat 27.0.1 stored it (resource_data,
# redact, cryptography_decrypt_v1) with its default auth_encryption_key.
HEAT_TOKEN = ('gAAAAABrFpMKO1jnmw3xpC2QlqwpULAjuKUZ0I7NIGnwVD6qO5lMO6ziTYnsE'
              'KoPurIH54oyMRbUk2clBcrtubQ6v34aB0mv2w==')
HEAT_CLEAR = 'liWsJRcULhVj'


class TestHeatCrypt(testtools.TestCase):

    def test_reads_what_heat_encrypted(self):
        self.assertEqual(HEAT_CLEAR, heat_crypt.decrypt(
            heat_crypt.FERNET_METHOD, HEAT_TOKEN, heat_crypt.HEAT_DEFAULT_KEY))

    def test_a_wrong_key_is_named(self):
        err = self.assertRaises(
            heat_crypt.DecryptionFailed, heat_crypt.decrypt,
            heat_crypt.FERNET_METHOD, HEAT_TOKEN, 'x' * 32)
        self.assertIn('--heat-auth-encryption-key', str(err))

    def test_the_old_aes_method_is_refused_by_name(self):
        err = self.assertRaises(heat_crypt.DecryptionFailed,
                                heat_crypt.decrypt, 'oslo_decrypt_v1', 'abc',
                                heat_crypt.HEAT_DEFAULT_KEY)
        self.assertIn('oslo_decrypt_v1', str(err))

    def test_a_short_key_is_doubled_as_heat_does(self):
        heats_key = base64.b64encode(b'sixteen chars oksixteen chars ok')
        token = fernet.Fernet(heats_key).encrypt(b'v').decode()
        self.assertEqual('v', heat_crypt.decrypt(
            heat_crypt.FERNET_METHOD, token, 'sixteen chars ok'))


def _stack(stack_id, owner=None, at=0):
    return {'id': stack_id, 'owner_id': owner, 'name': stack_id,
            'created_at': datetime.datetime(2026, 1, 1, 0, 0, at)}


class TestTrees(testtools.TestCase):

    def test_roots_by_age_each_with_its_descendants_parents_first(self):
        stacks = [_stack('b', at=2), _stack('a', at=1), _stack('a1', 'a'),
                  _stack('a11', 'a1'), _stack('a2', 'a'), _stack('b1', 'b')]
        found, orphans = trees.group(stacks)
        self.assertEqual([['a', 'a1', 'a2', 'a11'], ['b', 'b1']],
                         [t.ids for t in found])
        self.assertEqual([], orphans)

    def test_a_nested_stack_without_its_owner_is_an_orphan(self):
        found, orphans = trees.group([_stack('a'), _stack('x1', 'x')])
        self.assertEqual([['a']], [t.ids for t in found])
        self.assertEqual(['x1'], [s['id'] for s in orphans])


class TestStates(testtools.TestCase):

    def test_in_progress_becomes_failed_with_heats_reason(self):
        self.assertEqual(
            ('UPDATE', 'FAILED', 'Engine went down during stack UPDATE'),
            rows.state('UPDATE', 'IN_PROGRESS', 'Stack UPDATE started',
                       'UPDATE'))

    def test_a_resource_gets_the_stacks_action_in_its_reason(self):
        self.assertEqual(
            ('DELETE', 'FAILED', 'Engine went down during stack UPDATE'),
            rows.state('DELETE', 'IN_PROGRESS', '', 'UPDATE'))

    def test_other_states_stay(self):
        for status in ('COMPLETE', 'FAILED'):
            self.assertEqual(('CREATE', status, 'why'),
                             rows.state('CREATE', status, 'why', 'CREATE'))


def _heat_stack(**values):
    stack = {'id': 's1', 'name': 'n', 'tenant': 't', 'username': 'u',
             'raw_template_id': 4, 'prev_raw_template_id': None,
             'current_traversal': 'trav', 'action': 'CREATE',
             'status': 'COMPLETE', 'status_reason': 'done', 'timeout': 5,
             'disable_rollback': False, 'owner_id': None,
             'parent_resource_name': None, 'nested_depth': 0,
             'created_at': heat_db.T0, 'updated_at': None}
    stack.update(values)
    return stack


class TestStackRow(testtools.TestCase):

    def test_a_complete_stack_keeps_its_traversal_and_fields(self):
        ours = rows.stack(_heat_stack(), ['a', 'b'], 's1', None)
        self.assertEqual(
            ('trav', 'CREATE', 'COMPLETE', 'done', 5, False, ['a', 'b'], None,
             4),
            (ours['current_traversal'], ours['action'], ours['status'],
             ours['status_reason'], ours['timeout'], ours['disable_rollback'],
             ours['tags'], ours['root_stack_id'], ours['raw_template_id']))

    def test_a_stack_left_in_progress_comes_failed_without_a_traversal(self):
        ours = rows.stack(_heat_stack(status='IN_PROGRESS'), [], 's1', None)
        self.assertEqual(('FAILED', '', 'Engine went down during stack '
                          'CREATE', None),
                         (ours['status'], ours['current_traversal'],
                          ours['status_reason'], ours['tags']))

    def test_a_nested_stack_names_its_root_and_owner(self):
        ours = rows.stack(_heat_stack(id='c', owner_id='s1', nested_depth=1,
                                      parent_resource_name='child'),
                          [], 's1', 17)
        self.assertEqual(('s1', 17, 'child', 's1', 1),
                         (ours['owner_id'], ours['owner_resource_id'],
                          ours['parent_resource'], ours['root_stack_id'],
                          ours['nested_depth']))

    def test_repair_events_resources_then_stack_same_on_every_run(self):
        stack = rows.stack(_heat_stack(status='IN_PROGRESS'), [], 's1', None)
        resource = {'id': 3, 'uuid': 'u3', 'name': 'slow',
                    'physical_resource_id': 'p', 'type': 'T',
                    'declared_type': 'D', 'action': 'CREATE',
                    'status': 'FAILED', 'status_reason': 'why'}
        first = rows.repair_events(stack, [resource], {3}, heat_db.T0)
        self.assertEqual([('slow', 'D', 'FAILED'),
                          ('n', 'OS::Heat::Stack', 'FAILED')],
                         [(e['resource_name'], e['resource_type'],
                           e['resource_status']) for e in first])
        self.assertEqual([e['uuid'] for e in first], [
            e['uuid'] for e in rows.repair_events(stack, [resource], {3},
                                                  heat_db.T0)])


class TestResourceData(testtools.TestCase):

    def test_redacted_values_are_decrypted_others_kept(self):
        data = resource_data.decrypted([
            {'key': 'value', 'value': HEAT_TOKEN, 'redact': True,
             'decrypt_method': heat_crypt.FERNET_METHOD},
            {'key': 'plain', 'value': 'x', 'redact': False,
             'decrypt_method': None}], heat_crypt.HEAT_DEFAULT_KEY)
        self.assertEqual({'value': HEAT_CLEAR, 'plain': 'x'}, data)

    def test_a_group_keeps_its_members_in_number_order_and_their_refs(self):
        data = resource_data.group_data({'name_blacklist': '1'},
                                        {'10': 'r10', '2': 'r2', '0': 'r0'})
        self.assertEqual({'name_blacklist': '1', 'members': ['0', '2', '10'],
                          'refs_map': {'0': 'r0', '2': 'r2', '10': 'r10'}},
                         data)
