"""AWS::CloudFormation::WaitCondition on its handle's URL, stepped
(resources/aws/cfn_wait_condition.py, decision 31).

The handle's reference is an engine-served URL; a CFN signal at it (what
the API hands the engine's ``agent_signal``) is the handle's signal and
wakes the condition: SUCCESS completes it (``Data`` by UniqueId), FAILURE
fails it with the reason, its Timeout with Heat's "0 of 1 received".  The
URL answers 404 once the stack is deleted.
"""

import json

from convergence import exceptions
from convergence.software_config import agent_urls
from convergence.tests.scenarios import framework
from convergence.worker import signal_wait


def _template(count=1, timeout=60, handle=None):
    return {
        'AWSTemplateFormatVersion': '2010-09-09',
        'Resources': {
            'handle': {'Type': 'AWS::CloudFormation::WaitConditionHandle'},
            'wait': {'Type': 'AWS::CloudFormation::WaitCondition',
                     'Properties': {'Handle': handle or {'Ref': 'handle'},
                                    'Count': count, 'Timeout': timeout}}},
        'Outputs': {'url': {'Value': {'Ref': 'handle'}},
                    'data': {'Value': {'Fn::GetAtt': ['wait', 'Data']}}}}


class CfnWaitConditionScenario(framework.ScenarioTestCase):

    def setUp(self):
        super().setUp()
        self.s = self.scenario

    def create(self, template):
        s = self.s
        s.call(lambda: s.engine_service.create_stack(
            s.context, 'foo', template, {'parameters': {}}, {}, {}))
        s.run()

    def url(self) -> str:
        return self.row('handle')['rsrc_data']['url']

    def post(self, body: dict, url: str | None = None):
        """What the API does with a PUT or POST at the URL."""
        token = agent_urls.token_in(url or self.url())
        return self.s.engine_service.agent_signal(self.s.context, token, body)

    def row(self, name='wait'):
        return [r for r in self.s.rows(name) if r['action'] != 'INIT'][-1]

    def outputs(self) -> dict:
        s = self.s
        [shown] = s.engine_service.show_stack(s.context, s._identity('foo'))
        return {o['output_key']: o['output_value'] for o in shown['outputs']}

    def fire_timeouts(self):
        s = self.s
        due = [t for t in s.timers if t[1] is signal_wait.deliver]
        s.timers = [t for t in s.timers if t not in due]
        for _, func, args in due:
            func(*args)

    def test_a_success_at_the_url_completes_the_condition(self):
        s = self.s
        self.create(_template())
        self.assertIsNotNone(signal_wait.waiting(self.row()))
        url = self.url()
        self.assertTrue(url.startswith('http://127.0.0.1:8004/agent/v1/'
                                       'signal/'), url)
        self.post({'Status': 'SUCCESS', 'Reason': 'done', 'UniqueId': '1',
                   'Data': 'hello'})
        s.run()
        s.assert_state('CREATE_COMPLETE')
        self.assertEqual({'url': url, 'data': json.dumps({'1': 'hello'})},
                         self.outputs())

    def test_a_failure_at_the_url_fails_the_condition(self):
        s = self.s
        self.create(_template(count=2))
        self.post({'Status': 'FAILURE', 'Reason': 'it broke',
                   'UniqueId': 'a', 'Data': ''})
        s.run()
        s.assert_state('CREATE_FAILED')
        self.assertEqual('WaitConditionFailure: resources.wait: it broke',
                         self.row()['status_reason'])

    def test_a_body_not_in_the_cfn_format_is_refused(self):
        s = self.s
        self.create(_template())
        error = self.assertRaises(exceptions.ResourceFailure, self.post,
                                  {'status': 'SUCCESS'})
        self.assertEqual('ValueError: resources.handle: Metadata format '
                         'invalid', error.message)
        self.assertIsNotNone(signal_wait.waiting(self.row()))
        s.assert_state('CREATE_IN_PROGRESS')

    def test_the_timeout_fails_with_heats_reason(self):
        s = self.s
        self.create(_template(timeout=1))
        self.fire_timeouts()
        s.run()
        s.assert_state('CREATE_FAILED')
        self.assertEqual('WaitConditionTimeout: resources.wait: 0 of 1 '
                         'received', self.row()['status_reason'])

    def test_a_handle_that_is_no_url_of_ours_is_refused(self):
        s = self.s
        tmpl = _template(handle='http://elsewhere/v1/waitcondition/x')
        del tmpl['Outputs']
        self.create(tmpl)
        s.assert_state('CREATE_FAILED')
        self.assertEqual('ValueError: resources.wait: WaitCondition invalid '
                         'Handle http://elsewhere/v1/waitcondition/x',
                         self.row()['status_reason'])

    def test_the_url_of_a_deleted_stack_is_not_found(self):
        s = self.s
        self.create(_template())
        url = self.url()
        self.post({'Status': 'SUCCESS', 'Reason': 'r', 'UniqueId': '1',
                   'Data': None})
        s.run()
        s.call(lambda: s.engine_service.delete_stack(s.context,
                                                     s._identity('foo')))
        s.run()
        self.assertRaises(exceptions.NotFound, self.post,
                          {'Status': 'SUCCESS', 'Reason': 'r',
                           'UniqueId': '2', 'Data': None}, url)

    def test_an_os_condition_takes_an_aws_handle(self):
        """OS::Heat::WaitCondition finds an AWS handle by its URL, as
        Heat's finds it by its reference."""
        s = self.s
        tmpl = {'heat_template_version': '2015-10-15', 'resources': {
            'handle': {'type': 'AWS::CloudFormation::WaitConditionHandle'},
            'wait': {'type': 'OS::Heat::WaitCondition', 'properties': {
                'handle': {'get_resource': 'handle'}, 'timeout': 60}}}}
        self.create(tmpl)
        self.post({'Status': 'SUCCESS', 'Reason': 'r', 'UniqueId': '1',
                   'Data': 'd'})
        s.run()
        s.assert_state('CREATE_COMPLETE')
