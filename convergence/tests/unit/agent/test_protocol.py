"""The heat-config protocol as the agent reads and writes it: collected
documents, deployments, inputs as environment, signal targets and bodies."""

import json

import testtools

from convergence.agent import protocol


def derived(id='c1', group='script', config='#!/bin/sh\n', inputs=(),
            outputs=(), **more):
    """A derived config as Heat's metadata_software_deployments gives it."""
    return dict(id=id, name='dep-' + id, group=group, config=config,
                options=None, inputs=list(inputs), outputs=list(outputs),
                **more)


def deployment(**kwargs) -> protocol.Deployment:
    [found], [] = protocol.deployments({'deployments': [derived(**kwargs)]})
    return found


def inp(name, value):
    return {'name': name, 'value': value, 'type': 'String',
            'description': ''}


class CollectedDocumentsTest(testtools.TestCase):

    def test_later_documents_win_per_key_and_non_objects_are_ignored(self):
        merged = protocol.read_config_files([
            json.dumps({'deployments': [1], 'a': 1}),
            json.dumps('#!/bin/sh\n'),   # an ungrouped config on its own
            'not json',
            json.dumps({'deployments': [2]})])
        self.assertEqual({'deployments': [2], 'a': 1}, merged)

    def test_deployments_are_taken_in_order(self):
        found, errors = protocol.deployments({'deployments': [
            derived('b', inputs=[inp('deploy_action', 'UPDATE')]),
            derived('a')]})
        self.assertEqual([('b', 'UPDATE'), ('a', 'CREATE')],
                         [(d.id, d.action) for d in found])
        self.assertEqual(('dep-b', []), (found[0].name, errors))

    def test_no_deployments_key_is_no_deployments(self):
        self.assertEqual(([], []),
                         protocol.deployments({'os-collect-config': {}}))

    def test_a_group_defaults_to_heats_ungrouped(self):
        [found], _ = protocol.deployments({'deployments': [{'id': 'x'}]})
        self.assertEqual('Heat::Ungrouped', found.group)

    def test_deployments_not_a_list(self):
        e = self.assertRaises(protocol.ProtocolError, protocol.deployments,
                              {'deployments': {'id': 'x'}})
        self.assertEqual('"deployments" is dict, not a list', str(e))

    def test_malformed_entries_are_named_and_the_others_kept(self):
        found, errors = protocol.deployments({'deployments': [
            {'name': 'n'}, derived('good'), {'id': 'y', 'inputs': 'v'},
            {'id': 'z', 'outputs': [{'x': 1}]}, 'text']})
        self.assertEqual(['good'], [d.id for d in found])
        self.assertEqual([
            'deployment #0 has no id',
            'deployment #2 inputs are not a list of {name, ...} maps',
            'deployment #3 outputs are not a list of {name, ...} maps',
            'deployment #4 has no id'], errors)


class InputEnvironmentTest(testtools.TestCase):

    def test_every_input_is_a_string_variable(self):
        d = deployment(inputs=[inp('s', 'x'), inp('n', 3), inp('b', True),
                               inp('none', None), inp('l', [1, 'a']),
                               inp('m', {'k': 'v'}),
                               inp('deploy_action', 'CREATE')])
        self.assertEqual(
            {'s': 'x', 'n': '3', 'b': 'True', 'none': '', 'l': '[1, "a"]',
             'm': '{"k": "v"}', 'deploy_action': 'CREATE'},
            protocol.input_environment(d))


HEAT_SIGNAL_INPUTS = [
    inp('deploy_signal_transport', 'HEAT_SIGNAL'),
    inp('deploy_auth_url', 'http://ks/v3'),
    inp('deploy_stack_id', 's/1'), inp('deploy_resource_name', 'r'),
    inp('deploy_user_id', 'u'), inp('deploy_password', 'p'),
    inp('deploy_project_id', 'pr')]


class SignalTargetTest(testtools.TestCase):

    def target(self, *inputs):
        return protocol.signal_target(deployment(inputs=inputs))

    def test_temp_url_signal_is_a_put(self):
        self.assertEqual(
            protocol.SignalTarget('TEMP_URL_SIGNAL', 'http://h/s', 'PUT'),
            self.target(inp('deploy_signal_transport', 'TEMP_URL_SIGNAL'),
                        inp('deploy_signal_id', 'http://h/s')))

    def test_cfn_signal_is_a_post(self):
        self.assertEqual(
            protocol.SignalTarget('CFN_SIGNAL', 'http://h/s', 'POST'),
            self.target(inp('deploy_signal_transport', 'CFN_SIGNAL'),
                        inp('deploy_signal_id', 'http://h/s')))

    def test_the_deployments_verb_wins(self):
        self.assertEqual('PUT', self.target(
            inp('deploy_signal_transport', 'CFN_SIGNAL'),
            inp('deploy_signal_id', 'http://h/s'),
            inp('deploy_signal_verb', 'put')).verb)

    def test_without_a_transport_a_signal_id_means_a_post(self):
        self.assertEqual(
            protocol.SignalTarget('CFN_SIGNAL', 'http://h/s', 'POST'),
            self.target(inp('deploy_signal_id', 'http://h/s')))

    def test_no_signal(self):
        self.assertEqual(protocol.SignalTarget('NO_SIGNAL'), self.target(
            inp('deploy_signal_transport', 'NO_SIGNAL')))
        self.assertEqual(protocol.SignalTarget('NO_SIGNAL'), self.target())

    def test_unsupported_transports_are_named(self):
        for transport in ('ZAQAR_SIGNAL', 'CARRIER_PIGEON'):
            e = self.assertRaises(
                protocol.UnsupportedTransport, self.target,
                inp('deploy_signal_transport', transport))
            self.assertIn('signal transport %s is not supported' % transport,
                          str(e))

    def test_heat_signal_takes_the_keystone_inputs(self):
        self.assertEqual(
            protocol.SignalTarget('HEAT_SIGNAL', verb='POST', auth={
                'auth_url': 'http://ks/v3', 'user_id': 'u', 'password': 'p',
                'project_id': 'pr', 'stack_id': 's/1', 'resource_name': 'r',
                'region_name': 'Region2'}),
            self.target(*HEAT_SIGNAL_INPUTS,
                        inp('deploy_region_name', 'Region2')))

    def test_heat_signal_names_the_inputs_it_lacks(self):
        e = self.assertRaises(protocol.ProtocolError, self.target,
                              *HEAT_SIGNAL_INPUTS[:4])
        self.assertIn('signal transport HEAT_SIGNAL lacks the inputs '
                      'deploy_user_id, deploy_password, deploy_project_id',
                      str(e))

    def test_a_url_transport_needs_its_url(self):
        e = self.assertRaises(protocol.ProtocolError, self.target,
                              inp('deploy_signal_transport',
                                  'TEMP_URL_SIGNAL'))
        self.assertIn('no deploy_signal_id input', str(e))


class SignalBodyTest(testtools.TestCase):

    def test_the_result_and_its_outputs(self):
        body = protocol.result('out', 'err', 3, {'ip': '10.0.0.1'})
        self.assertEqual({'deploy_stdout': 'out', 'deploy_stderr': 'err',
                          'deploy_status_code': 3, 'ip': '10.0.0.1'},
                         json.loads(protocol.signal_body(body)))

    def test_a_small_body_is_sent_whole(self):
        body = protocol.result('o' * 50, 'e' * 50, 0)
        self.assertEqual(body, json.loads(protocol.signal_body(body, 200)))

    def test_a_large_body_loses_the_start_of_its_logs(self):
        stdout = ''.join('line %d\n' % i for i in range(2000))
        stderr = 'é' * 3000 + 'the end'
        body = protocol.result(stdout, stderr, 1, {'out': 'kept'})
        sent = protocol.signal_body(body, 5000)
        self.assertLessEqual(len(sent), 5000)
        trimmed = json.loads(sent)
        self.assertEqual((1, 'kept'), (trimmed['deploy_status_code'],
                                       trimmed['out']))
        self.assertTrue(stdout.endswith(trimmed['deploy_stdout']))
        self.assertTrue(trimmed['deploy_stderr'].endswith('the end'))
        self.assertIn('line 1999', trimmed['deploy_stdout'])
