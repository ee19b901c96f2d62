"""A deployment's derived config, input merging, structured substitution
and signal outcome (software_config/deployment_rules.py), and the agents'
URL tokens (software_config/agent_urls.py): pure, as Heat 27 does them."""

import testtools

from convergence import exceptions
from convergence.software_config import agent_urls
from convergence.software_config import deployment_rules as rules

DEPLOY = rules.Deploy(server_id='srv', action='CREATE', stack_path='s/id',
                      resource_name='d', signal_transport='TEMP_URL_SIGNAL',
                      signal_id='http://x/agent/v1/signal/t',
                      signal_verb='PUT')


class DerivedInputsTest(testtools.TestCase):

    def test_declared_values_defaults_extras_then_deploy_inputs(self):
        inputs = rules.derived_inputs(
            [{'name': 'a', 'type': 'String', 'default': 'da'},
             {'name': 'b', 'type': 'Number', 'default': 1}],
            {'b': 2, 'extra': 'e'}, DEPLOY)
        self.assertEqual(
            [('a', 'da'), ('b', 2), ('extra', 'e'),
             ('deploy_server_id', 'srv'), ('deploy_action', 'CREATE'),
             ('deploy_stack_id', 's/id'), ('deploy_resource_name', 'd'),
             ('deploy_signal_transport', 'TEMP_URL_SIGNAL'),
             ('deploy_signal_id', 'http://x/agent/v1/signal/t'),
             ('deploy_signal_verb', 'PUT')],
            [(i['name'], i['value']) for i in inputs])
        self.assertEqual('Number', inputs[1]['type'])

    def test_no_signal_id_without_a_url_transport(self):
        deploy = rules.Deploy('srv', 'CREATE', 's/id', 'd', 'HEAT_SIGNAL')
        names = [i['name'] for i in rules.derived_inputs([], None, deploy)]
        self.assertNotIn('deploy_signal_id', names)
        self.assertNotIn('deploy_signal_verb', names)


class DerivedConfigTest(testtools.TestCase):

    def test_heat_s_defaults(self):
        derived = rules.derived_config({'inputs': [], 'outputs': []}, [],
                                       None)
        self.assertEqual(('Heat::Ungrouped', '', None, []), (
            derived['group'], derived['config'], derived['name'],
            derived['outputs']))

    def test_the_name_property_wins(self):
        source = {'name': 'src', 'group': 'script', 'config': 'x',
                  'outputs': [{'name': 'o'}], 'inputs': []}
        derived = rules.derived_config(source, [], 'mine')
        self.assertEqual(('mine', 'script', 'x', [{'name': 'o'}]), (
            derived['name'], derived['group'], derived['config'],
            derived['outputs']))

    def test_structured_substitutes_its_inputs(self):
        source = {'config': {'a': {'get_input': 'x'},
                             'b': [{'get_input': 'y'}, 'plain'],
                             'c': {'get_input': 'x', 'other': 1}}}
        derived = rules.derived_config(
            source, [{'name': 'x', 'value': 1}, {'name': 'y', 'value': 2}],
            None, {'input_key': 'get_input', 'validate': rules.LAX})
        self.assertEqual({'a': 1, 'b': [2, 'plain'],
                          'c': {'get_input': 'x', 'other': 1}},
                         derived['config'])

    def test_structured_strict_wants_every_input(self):
        self.assertRaises(exceptions.UserParameterMissing, rules.substitute,
                          {'a': {'get_input': 'missing'}}, {}, 'get_input',
                          rules.STRICT)
        self.assertEqual({'a': None}, rules.substitute(
            {'a': {'get_input': 'missing'}}, {}))

    def test_another_input_key(self):
        self.assertEqual({'a': {'get_input': 'x'}, 'b': 1}, rules.substitute(
            {'a': {'get_input': 'x'}, 'b': {'my_input': 'x'}}, {'x': 1},
            'my_input'))


class RunsForTest(testtools.TestCase):

    def test_actions_property(self):
        self.assertTrue(rules.runs_for({}, 'CREATE', ['CREATE', 'UPDATE']))
        self.assertFalse(rules.runs_for({}, 'DELETE', ['CREATE', 'UPDATE']))

    def test_a_component_s_own_actions(self):
        source = {'group': 'component', 'config': {'configs': [
            {'actions': ['DELETE'], 'config': 'x', 'tool': 'script'}]}}
        self.assertTrue(rules.runs_for(source, 'DELETE', ['CREATE']))
        self.assertFalse(rules.runs_for(source, 'CREATE', ['CREATE']))


class SignalledTest(testtools.TestCase):

    def test_outputs_received(self):
        result = rules.signalled('d1', [{'name': 'out'}], {
            'deploy_stdout': 'o', 'deploy_status_code': 0, 'out': 1,
            'other': 2}, None)
        self.assertEqual(('COMPLETE', 'Outputs received',
                          'deployment d1 succeeded'),
                         (result.status, result.status_reason,
                          result.event_reason))
        self.assertEqual({'out': 1, 'deploy_stdout': 'o',
                          'deploy_stderr': None, 'deploy_status_code': 0},
                         result.output_values)

    def test_a_non_zero_status_code_fails_with_the_stderr(self):
        result = rules.signalled('d1', [], {
            'deploy_status_code': '3', 'deploy_stderr': 'boom'}, None)
        self.assertEqual('FAILED', result.status)
        self.assertEqual('deploy_status_code : Deployment exited with '
                         'non-zero status code: 3, deploy_stderr : boom',
                         result.status_reason)
        self.assertEqual('deployment d1 failed (3)', result.event_reason)
        self.assertEqual(
            'Deployment to server failed: ' + result.status_reason,
            rules.failure_reason(result.status_reason))

    def test_an_error_output_fails(self):
        result = rules.signalled('d1', [{'name': 'err',
                                         'error_output': True}],
                                 {'err': 'bad'}, None)
        self.assertEqual(('FAILED', 'err : bad'),
                         (result.status, result.status_reason))

    def test_undeclared_keys(self):
        self.assertEqual(['x'], rules.undeclared(
            [{'name': 'o'}], {'o': 1, 'x': 2, 'deploy_stdout': ''}))
        self.assertEqual([], rules.undeclared([], 'not a map'))


class AgentUrlsTest(testtools.TestCase):

    def test_tokens_are_random_and_stored_hashed(self):
        token, digest = agent_urls.new_token()
        other, _ = agent_urls.new_token()
        self.assertNotEqual(token, other)
        self.assertEqual(43, len(token))
        self.assertEqual(64, len(digest))
        self.assertNotIn(token, digest)
        self.assertEqual(digest, agent_urls.token_hash(token))
        self.assertTrue(agent_urls.plausible(token))

    def test_implausible_tokens(self):
        for token in ('', 'short', 'a/b' * 10, 'x' * 65, None, 'é' * 30):
            self.assertFalse(agent_urls.plausible(token), token)

    def test_urls_and_os_collect_config(self):
        url = agent_urls.url('https://h:1/', agent_urls.METADATA, 'tok')
        self.assertEqual('https://h:1/agent/v1/metadata/tok', url)
        self.assertEqual({'collectors': ['request', 'local'],
                          'request': {'metadata_url': url}},
                         agent_urls.os_collect_config(url))
