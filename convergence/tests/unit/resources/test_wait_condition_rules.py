"""Heat's rules for a wait condition handle's signals and a condition's
verdict (resources/wait_condition_rules.py)."""

import json

import testtools

from convergence.resources import wait_condition_rules as rules


class Normalised(testtools.TestCase):

    def test_an_empty_signal_gets_every_default(self):
        self.assertEqual({'status': 'SUCCESS', 'reason': 'Signal 1 received',
                          'data': None, 'id': 1},
                         rules.normalised(None, {}))

    def test_the_number_counts_the_stored_signals(self):
        stored = {'a': {}, 'b': {}}
        self.assertEqual({'status': 'FAILURE', 'reason': 'Signal 3 received',
                          'data': None, 'id': 3},
                         rules.normalised({'status': 'FAILURE'}, stored))

    def test_given_values_stay(self):
        signal = {'status': 'SUCCESS', 'reason': 'r', 'data': {'k': 1},
                  'id': 'x'}
        self.assertEqual(signal, rules.normalised(signal, {}))


class Merge(testtools.TestCase):

    def test_a_signal_is_stored_under_its_id_as_a_string(self):
        merged, (status, reason) = rules.merge(
            {'status': 'SUCCESS', 'reason': 'r', 'data': 'd', 'id': 7}, {})
        self.assertEqual({'7': {'status': 'SUCCESS', 'reason': 'r',
                                'data': 'd'}}, merged)
        self.assertEqual(('SUCCESS', 'r'), (status, reason))

    def test_a_repeated_id_replaces_its_entry(self):
        stored = {'7': {'status': 'SUCCESS', 'reason': 'r', 'data': 'old'}}
        merged, _ = rules.merge(
            {'status': 'FAILURE', 'reason': 'q', 'data': 'new', 'id': '7'},
            stored)
        self.assertEqual({'7': {'status': 'FAILURE', 'reason': 'q',
                                'data': 'new'}}, merged)
        self.assertEqual('old', stored['7']['data'])

    def test_a_bad_status_is_refused(self):
        error = self.assertRaises(ValueError, rules.merge, {
            'status': 'DONE', 'reason': 'r', 'data': None, 'id': 1}, {})
        self.assertEqual('Metadata format invalid', str(error))

    def test_an_extra_or_missing_key_is_refused(self):
        for signal in ({'status': 'SUCCESS', 'reason': 'r', 'data': None,
                        'id': 1, 'extra': 1},
                       {'status': 'SUCCESS', 'reason': 'r', 'id': 1},
                       'SUCCESS', None):
            self.assertRaises(ValueError, rules.merge, signal, {})

    def test_the_cfn_format(self):
        merged, _ = rules.merge({'Status': 'SUCCESS', 'Reason': 'r',
                                 'Data': 'd', 'UniqueId': 'u'}, {},
                                rules.CFN_KEYS)
        self.assertEqual({'u': {'Status': 'SUCCESS', 'Reason': 'r',
                                'Data': 'd'}}, merged)
        # The CFN format has no defaults.
        self.assertRaises(ValueError, rules.merge, {'Status': 'SUCCESS'}, {},
                          rules.CFN_KEYS)


def _signals(*statuses):
    return rules.entries({
        str(i): {'status': s, 'reason': 'reason %d' % i, 'data': i}
        for i, s in enumerate(statuses, 1)})


class Verdict(testtools.TestCase):

    def test_not_enough_signals(self):
        self.assertEqual((None, False), rules.verdict(_signals('SUCCESS'), 2))

    def test_count_reached(self):
        self.assertEqual((None, True),
                         rules.verdict(_signals('SUCCESS', 'SUCCESS'), 2))

    def test_any_failure_fails_with_the_failure_reasons(self):
        self.assertEqual(
            ('reason 2;reason 3', True),
            rules.verdict(_signals('SUCCESS', 'FAILURE', 'FAILURE'), 5))

    def test_timed_out_wording(self):
        self.assertEqual('0 of 2 received', rules.timed_out([], 2))
        self.assertEqual('1 of 2 received - reason 1',
                         rules.timed_out(_signals('SUCCESS'), 2))

    def test_data_attribute(self):
        self.assertEqual({'1': 1, '2': 2}, json.loads(
            rules.data_attribute(_signals('SUCCESS', 'FAILURE'))))
        self.assertEqual('{}', rules.data_attribute([]))
