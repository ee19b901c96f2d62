"""Upstream heat-api in front of two convergence-engines, and no heat-engine.

heat-api (openstack-heat 27.0.1, noauth, under uwsgi from the Heat venv)
and convergence-api share the engines' RabbitMQ vhost; the engines run on
MariaDB.  A user's stack goes through heat-api as through our API, and each
error heat-api answers has the status and body heat-api gives for
heat-engine's error of that kind (the messages are upstream Heat's, as
tools/reference-heat answers them), the same as convergence-api's.  Skipped
without the Heat venv (functional_tests/stock_heat_api.py says where).
"""

import json
import os
import tempfile
import uuid

import requests
import testtools

from functional_tests import base
from functional_tests import cli
from functional_tests import deployment
from functional_tests import stock_heat_api
from functional_tests import templates

NOT_HEAT_TEMPLATE = 'heat_template_version: 2018-08-31\nresources: [1, 2\n'
UNKNOWN_TYPE = {'heat_template_version': '2018-08-31',
                'resources': {'r': {'type': 'OS::No::Such'}}}
OUTPUTS = """
heat_template_version: 2018-08-31
resources:
  a:
    type: OS::Heat::TestResource
    properties:
      value: v1
  b:
    type: OS::Heat::TestResource
    properties:
      value: {get_attr: [a, output]}
outputs:
  out:
    value: {get_attr: [a, output]}
"""
HEADERS = {'X-Auth-Token': 'x', 'Content-Type': 'application/json'}


@testtools.skipIf(stock_heat_api.unavailable_reason(),
                  stock_heat_api.unavailable_reason())
class StockHeatApiTest(cli.ConvergenceCliMixin, base.FunctionalTestCase):

    @classmethod
    def _start_server(cls):
        cls.server = base.set_up(deployment.Deployment(
            backend='mariadb', engines=stock_heat_api.ENGINES,
            front='heat-api'))

    def both(self, method: str, path: str, **kwargs) -> list:
        """The same request to heat-api and to convergence-api."""
        return [requests.request(method, endpoint + path, headers=HEADERS,
                                 timeout=base.STACK_TIMEOUT, **kwargs)
                for endpoint in (self.server.endpoint,
                                 self.server.convergence_endpoint)]

    def assertAlike(self, status: int, error_type: str, responses) -> dict:
        """Both APIs answered ``status`` with one body naming the type."""
        heat_api, ours = responses
        self.assertEqual((status, status),
                         (heat_api.status_code, ours.status_code),
                         heat_api.text)
        self.assertEqual(heat_api.json(), ours.json())
        self.assertEqual(error_type, heat_api.json()['error']['type'])
        return heat_api.json()

    def assertSameAnswers(self, path: str) -> None:
        """Both APIs answer ``path`` alike, links aside (hosts differ)."""
        heat_api, ours = self.both('GET', path)
        self.assertEqual((200, 200), (heat_api.status_code, ours.status_code),
                         path)
        theirs = heat_api.text.replace(self.server.heat_api_base_url, 'API')
        ours = ours.text.replace(self.server.convergence_base_url, 'API')
        self.assertEqual(json.loads(theirs), json.loads(ours), path)

    def test_stack_lifecycle_through_heat_api(self):
        stack = self.create_stack(OUTPUTS)
        self.update_stack(stack, OUTPUTS.replace('v1', 'v2'))
        self.assertEqual({'out': 'v2'}, self.outputs(stack))
        for path in ('', '/resources', '/resources/a', '/events',
                     '/outputs', '/outputs/out', '/template',
                     '/environment'):
            self.assertSameAnswers('/stacks/%s%s' % (stack, path))
        self.assertSameAnswers('/stacks')
        self.delete_stack(stack)

    def test_convergence_cli_through_heat_api(self):
        # heat-api has no .../graph: the CLI builds the graph itself from
        # the stack and its resources, and draws what ours serves.
        with tempfile.TemporaryDirectory(prefix='conv-w-') as here:
            path = os.path.join(here, 't.yaml')
            with open(path, 'w') as out:
                out.write(OUTPUTS)
            name = self.stack_name()
            applied = self.convergence('apply', '-t', path, name)
            self.assertEqual(0, applied.returncode, applied.stderr)
            self.assertIn('b: CREATE_COMPLETE', applied.stdout)
            with open(path, 'w') as out:
                out.write(OUTPUTS.replace('v1', 'v2'))
            updated = self.convergence('apply', '-t', path, name)
        self.assertEqual(0, updated.returncode, updated.stderr)
        self.assertIn('    -    value: v1\n    +    value: v2\n',
                      updated.stdout)
        self.assertIn('%s UPDATE_COMPLETE after' % name, updated.stdout)
        self.assertEqual(404, requests.get(
            '%s/stacks/%s/graph' % (self.server.endpoint, name),
            headers=HEADERS, timeout=base.STACK_TIMEOUT).status_code)
        drawn = [self.convergence('graph', name, endpoint=endpoint).stdout
                 for endpoint in (self.server.endpoint,
                                  self.server.convergence_endpoint)]
        self.assertIn('-> ', drawn[0])
        self.assertEqual(drawn[0], drawn[1])

    def test_show_after_delete_is_404(self):
        stack = self.create_stack(templates.test_resources('a'))
        self.delete_stack(stack)
        name = stack.split('/')[0]
        body = self.assertAlike(404, 'EntityNotFound',
                                self.both('GET', '/stacks/%s' % name))
        self.assertEqual('The Stack (%s) could not be found.' % name,
                         body['error']['message'])

    def test_template_the_engine_refuses_is_400(self):
        body = self.assertAlike(400, 'StackValidationFailed', self.both(
            'POST', '/stacks', json={'stack_name': self.stack_name(),
                                     'template': UNKNOWN_TYPE}))
        self.assertEqual('The Resource Type (OS::No::Such) could not be '
                         'found.', body['error']['message'])

    def test_template_that_does_not_parse_is_400(self):
        heat_api, ours = self.both(
            'POST', '/stacks', json={'stack_name': self.stack_name(),
                                     'template': NOT_HEAT_TEMPLATE})
        self.assertEqual((400, 400), (heat_api.status_code, ours.status_code))
        self.assertEqual('HTTPBadRequest', heat_api.json()['error']['type'])

    def test_name_taken_is_409(self):
        stack = self.create_stack(templates.test_resources('a'))
        name = stack.split('/')[0]
        body = self.assertAlike(409, 'StackExists', self.both(
            'POST', '/stacks', json={'stack_name': name,
                                     'template': templates.test_resources(
                                         'a')}))
        self.assertEqual('The Stack (%s) already exists.' % name,
                         body['error']['message'])

    def test_refused_operation_is_400(self):
        stack = self.create_stack(templates.test_resources('a'))
        body = self.assertAlike(400, 'NotSupported', self.both(
            'POST', '/stacks/%s/actions' % stack,
            json={'cancel_update': None}))
        self.assertEqual('Cancelling update when stack is CREATE_COMPLETE '
                         'is not supported.', body['error']['message'])

    def test_unknown_software_config_is_404(self):
        # heat-engine's software-config methods are answered now (every
        # heat-api route reaches one the engines offer; the NotSupported of
        # a method they lack is unit-tested in rpc/test_remote_errors.py).
        missing = str(uuid.uuid4())
        self.assertAlike(404, 'NotFound', self.both(
            'GET', '/software_configs/%s' % missing))
