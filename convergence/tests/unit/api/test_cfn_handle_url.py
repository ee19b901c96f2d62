"""An AWS::CloudFormation::WaitConditionHandle's URL over HTTP (api/agent.py
to engine/deployment_signals.py, decision 31): curl's PUT of a CFN signal at
the handle's reference completes its condition without a Keystone token; a
body not in the CFN format is refused and changes nothing."""

import urllib.parse

from convergence.tests.unit.api import test_agent_urls as agent

STACK = {'AWSTemplateFormatVersion': '2010-09-09', 'Resources': {
    'handle': {'Type': 'AWS::CloudFormation::WaitConditionHandle'},
    'wait': {'Type': 'AWS::CloudFormation::WaitCondition', 'Properties': {
        'Handle': {'Ref': 'handle'}, 'Timeout': 600}}},
    'Outputs': {'url': {'Value': {'Ref': 'handle'}},
                'data': {'Value': {'Fn::GetAtt': ['wait', 'Data']}}}}


class CfnHandleUrlTest(agent.AgentUrlCase):

    def setUp(self):
        self.patch(agent, 'STACK', STACK)
        super().setUp()

    def handle_path(self) -> str:
        return urllib.parse.urlsplit(self.outputs()['url']).path

    def test_a_cfn_signal_at_the_url_completes_the_condition(self):
        resp = self.agent('PUT', self.handle_path(), {
            'Status': 'SUCCESS', 'Reason': 'done', 'UniqueId': '1',
            'Data': 'ok'}, 'application/json')
        self.assertEqual(204, resp.status_int, resp.body)
        self.scenario.run()
        shown = self.request('GET', self.stack_path).json['stack']
        self.assertEqual('CREATE_COMPLETE', shown['stack_status'])
        self.assertEqual('{"1": "ok"}', self.outputs()['data'])

    def test_a_body_not_in_the_cfn_format_is_refused(self):
        resp = self.agent('POST', self.handle_path(), {'status': 'SUCCESS'})
        # As heat-api answers the same refusal of a resource signal.
        self.assertFault(resp, 500, 'ResourceFailure')
        self.assertEqual('ValueError: resources.handle: Metadata format '
                         'invalid', resp.json['error']['message'])
        shown = self.request('GET', self.stack_path).json['stack']
        self.assertEqual('CREATE_IN_PROGRESS', shown['stack_status'])
