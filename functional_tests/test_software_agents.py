"""Software deployments end to end: a real engine, real agents.

Each stack's OS::Heat::DeployedServer gets a real agent (os-collect-config
from PyPI running convergence-heat-config; functional_tests/agents.py)
polling the metadata URL the server's ``os_collect_config`` attribute
names; the agent runs the script deployments and signals their outputs to
the URLs the engine serves.  Nothing is played by the test: it changes
templates and kills agents, and counts what ran from the agents' records.
"""

import json
import os

import fixtures

from functional_tests import agents
from functional_tests import base
from functional_tests import cli
from functional_tests import waiting

# One server, one script deployment; the script's stdout, stderr and status
# code and its output come from parameters.
ONE = '''heat_template_version: 2018-08-31
parameters:
  word: {type: string, default: hello}
  status: {type: number, default: 0}
resources:
  server:
    type: OS::Heat::DeployedServer
  config:
    type: OS::Heat::SoftwareConfig
    properties:
      group: script
      inputs: [{name: word}, {name: status}]
      outputs: [{name: greeting}]
      config: |
        #!/bin/sh
        echo "saying $word"
        if [ "$status" != 0 ]; then
          echo "cannot say $word" >&2
          exit "$status"
        fi
        printf '%s world' "$word" > "$heat_outputs_path.greeting"
  deploy:
    type: OS::Heat::SoftwareDeployment
    properties:
      config: {get_resource: config}
      server: {get_resource: server}
      input_values:
        word: {get_param: word}
        status: {get_param: status}
outputs:
  greeting: {value: {get_attr: [deploy, greeting]}}
  stdout: {value: {get_attr: [deploy, deploy_stdout]}}
  status_code: {value: {get_attr: [deploy, deploy_status_code]}}
'''

# Two configs on two servers: ``shared`` (its script names the ``tag``
# parameter) deployed by d1 on vmA and d2 on vmB; ``other`` by d3, d4 and
# d5; d4's input is d1's output, d5's is d3's.  Changing ``tag`` changes
# shared's script only.
TWO_CONFIGS = '''heat_template_version: 2018-08-31
parameters:
  tag: {type: string, default: one}
resources:
  vmA:
    type: OS::Heat::DeployedServer
  vmB:
    type: OS::Heat::DeployedServer
  shared:
    type: OS::Heat::SoftwareConfig
    properties:
      group: script
      inputs: [{name: name}]
      outputs: [{name: result}]
      config:
        str_replace:
          template: |
            #!/bin/sh
            printf '%s TAG' "$name" > "$heat_outputs_path.result"
          params: {TAG: {get_param: tag}}
  other:
    type: OS::Heat::SoftwareConfig
    properties:
      group: script
      inputs: [{name: name}, {name: uses, default: ''}]
      outputs: [{name: result}]
      config: |
        #!/bin/sh
        printf '%s after %s' "$name" "$uses" > "$heat_outputs_path.result"
  d1:
    type: OS::Heat::SoftwareDeployment
    properties:
      config: {get_resource: shared}
      server: {get_resource: vmA}
      input_values: {name: d1}
  d2:
    type: OS::Heat::SoftwareDeployment
    properties:
      config: {get_resource: shared}
      server: {get_resource: vmB}
      input_values: {name: d2}
  d3:
    type: OS::Heat::SoftwareDeployment
    properties:
      config: {get_resource: other}
      server: {get_resource: vmA}
      input_values: {name: d3}
  d4:
    type: OS::Heat::SoftwareDeployment
    properties:
      config: {get_resource: other}
      server: {get_resource: vmB}
      input_values: {name: d4, uses: {get_attr: [d1, result]}}
  d5:
    type: OS::Heat::SoftwareDeployment
    properties:
      config: {get_resource: other}
      server: {get_resource: vmB}
      input_values: {name: d5, uses: {get_attr: [d3, result]}}
outputs:
  d4: {value: {get_attr: [d4, result]}}
  d5: {value: {get_attr: [d5, result]}}
'''

# A deployment that asks for DELETE (its script runs on the stack's delete)
# and one that does not.
WITH_DELETE = '''heat_template_version: 2018-08-31
resources:
  server:
    type: OS::Heat::DeployedServer
  config:
    type: OS::Heat::SoftwareConfig
    properties:
      group: script
      config: |
        #!/bin/sh
        echo "$deploy_action"
  teardown:
    type: OS::Heat::SoftwareDeployment
    properties:
      config: {get_resource: config}
      server: {get_resource: server}
      actions: [CREATE, DELETE]
  plain:
    type: OS::Heat::SoftwareDeployment
    properties:
      config: {get_resource: config}
      server: {get_resource: server}
'''

# A script that marks its start in a file and then works ``pause`` seconds.
SLOW = '''heat_template_version: 2018-08-31
parameters:
  word: {type: string, default: v1}
  marker: {type: string}
  pause: {type: number, default: 3}
resources:
  server:
    type: OS::Heat::DeployedServer
  config:
    type: OS::Heat::SoftwareConfig
    properties:
      group: script
      inputs: [{name: word}, {name: marker}, {name: pause}]
      outputs: [{name: result}]
      config: |
        #!/bin/sh
        echo "$deploy_action $word" >> "$marker"
        sleep "$pause"
        printf '%s' "$word" > "$heat_outputs_path.result"
  deploy:
    type: OS::Heat::SoftwareDeployment
    properties:
      config: {get_resource: config}
      server: {get_resource: server}
      input_values:
        word: {get_param: word}
        marker: {get_param: marker}
        pause: {get_param: pause}
outputs:
  result: {value: {get_attr: [deploy, result]}}
'''
# Seconds a stack may take here: a few agent polls and short scripts each.
TIMEOUT = base.STACK_TIMEOUT


class AgentsTestCase(agents.ServerAgentsMixin, base.FunctionalTestCase):

    def setUp(self):
        super().setUp()
        self.skip_without_agent_urls()

    def create_with_agents(self, template: str, servers=('server',),
                           expected: str = 'CREATE_COMPLETE', **parameters):
        identifier = self.create_stack(template, parameters, expected=None)
        running = self.start_agents(identifier, servers)
        self.wait_for_status(identifier, expected, timeout=TIMEOUT)
        return identifier, running

    def marker_lines(self, path: str) -> list[str]:
        if not os.path.exists(path):
            return []
        with open(path) as f:
            return f.read().splitlines()


class ScriptDeploymentTest(cli.CliMixin, AgentsTestCase):

    def test_the_scripts_output_is_the_stacks_output(self):
        identifier, running = self.create_with_agents(ONE, word='hi')
        self.assertEqual({'greeting': 'hi world', 'stdout': 'saying hi\n',
                          'status_code': 0}, self.outputs(identifier))
        self.assertEqual({'deploy': ['CREATE']},
                         self.runs_by_deployment(*running.values()))
        # What the agent did, through `openstack software deployment ...`.
        ids = self.physical_ids(identifier)
        listed = json.loads(self.openstack(
            'software', 'deployment', 'list', '--server', ids['server'],
            '-f', 'json'))
        self.assertEqual([(ids['deploy'], ids['server'], 'CREATE',
                           'COMPLETE')],
                         [(d['id'], d['server_id'], d['action'], d['status'])
                          for d in listed])
        shown = json.loads(self.openstack(
            'software', 'deployment', 'show', ids['deploy'], '-f', 'json'))
        self.assertEqual(('COMPLETE', 'Outputs received'),
                         (shown['status'], shown['status_reason']))
        self.assertEqual({'greeting': 'hi world',
                          'deploy_stdout': 'saying hi\n',
                          'deploy_stderr': '', 'deploy_status_code': 0},
                         self.client.software_deployments.get(
                             ids['deploy']).output_values)

    def test_a_failing_script_fails_the_stack_with_stderr_and_status(self):
        identifier, _ = self.create_with_agents(
            ONE, expected='CREATE_FAILED', word='boo', status=3)
        reason = self.client.resources.get(identifier,
                                           'deploy').resource_status_reason
        self.assertEqual(
            'Error: resources.deploy: Deployment to server failed: '
            'deploy_status_code : Deployment exited with non-zero status '
            'code: 3, deploy_stderr : cannot say boo\n', reason)
        self.assertIn('deploy_stderr : cannot say boo',
                      self.stack(identifier).stack_status_reason)


class UpdateTest(AgentsTestCase):

    def test_a_changed_script_reruns_its_deployments_and_their_dependants(
            self):
        identifier, running = self.create_with_agents(
            TWO_CONFIGS, servers=('vmA', 'vmB'))
        self.assertEqual({'d4': 'd4 after d1 one', 'd5': 'd5 after d3 after '},
                         self.outputs(identifier))

        self.update_stack(identifier, TWO_CONFIGS, {'tag': 'two'})

        self.assertEqual({'d4': 'd4 after d1 two', 'd5': 'd5 after d3 after '},
                         self.outputs(identifier))
        self.assertEqual({'d1': ['CREATE', 'UPDATE'],
                          'd2': ['CREATE', 'UPDATE'],
                          'd3': ['CREATE'],
                          'd4': ['CREATE', 'UPDATE'],
                          'd5': ['CREATE']},
                         self.runs_by_deployment(*running.values()))

    def test_an_update_during_an_update_ends_in_the_last_template(self):
        marker = os.path.join(self.useFixture(
            fixtures.TempDir()).path, 'runs')
        identifier, running = self.create_with_agents(
            SLOW, marker=marker, pause=1)
        self.client.stacks.update(identifier, template=SLOW, parameters={
            'word': 'v2', 'marker': marker, 'pause': 3})
        waiting.wait_until(lambda: 'UPDATE v2' in self.marker_lines(marker),
                           TIMEOUT, 'the v2 script started')

        self.update_stack(identifier, SLOW, {'word': 'v3', 'marker': marker,
                                             'pause': 1})

        self.assertEqual({'result': 'v3'}, self.outputs(identifier))
        self.assertEqual(['CREATE v1', 'UPDATE v2', 'UPDATE v3'],
                         self.marker_lines(marker))
        self.assertEqual('COMPLETE', self.client.software_deployments.get(
            self.physical_ids(identifier)['deploy']).status)


class DeleteTest(AgentsTestCase):

    def test_a_stack_delete_runs_the_delete_actions_asked_for(self):
        identifier, running = self.create_with_agents(WITH_DELETE)
        self.assertEqual({'teardown': ['CREATE'], 'plain': ['CREATE']},
                         self.runs_by_deployment(*running.values()))

        self.delete_stack(identifier)

        self.assertEqual({'teardown': ['CREATE', 'DELETE'],
                          'plain': ['CREATE']},
                         self.runs_by_deployment(*running.values()))


class AgentKilledTest(AgentsTestCase):

    def test_an_agent_killed_mid_deployment_and_restarted_finishes(self):
        marker = os.path.join(self.useFixture(
            fixtures.TempDir()).path, 'runs')
        identifier = self.create_stack(SLOW, {'marker': marker, 'pause': 4},
                                       expected=None)
        agent = self.start_agents(identifier, ('server',))['server']
        waiting.wait_until(lambda: self.marker_lines(marker) == ['CREATE v1'],
                           TIMEOUT, 'the script started')

        agent.kill()
        waiting.stays(lambda: self.stack_status(identifier) ==
                      'CREATE_IN_PROGRESS', 5, 'the deployment waits')
        agent.start()

        self.wait_for_status(identifier, 'CREATE_COMPLETE', timeout=TIMEOUT)
        self.assertEqual({'result': 'v1'}, self.outputs(identifier))
        # the run cut short, then the one that finished
        self.assertEqual(['CREATE v1', 'CREATE v1'], self.marker_lines(marker))
        self.assertEqual({'deploy': ['CREATE', 'CREATE']},
                         self.runs_by_deployment(agent))
