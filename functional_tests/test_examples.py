"""The templates in examples/ run as documented.

fine_grained.yaml and coarse.yaml deploy the same six components, script
deployments, on two DeployedServers, each server with a real agent
(os-collect-config from PyPI running convergence-heat-config, see
functional_tests/agents.py) that runs the scripts and signals their outputs
over HTTP.  Fine-grained ordering lets vmB's work overlap vmA's (the
critical path a1, b1, b2, a3 is four scripts deep; coarse's a1..a3, b1..b3
six), so its makespan (stack create until CREATE_COMPLETE) must be shorter.
coarse_cycle.yaml orders per VM *and* keeps a3's need of b2: a cycle,
refused up front.
"""

import os
import sys
import time

from testtools import content

from functional_tests import agents
from functional_tests import base
from functional_tests import waiting

EXAMPLES = os.path.join(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))), 'examples')
# How often the makespan clock looks at the stack.
MAKESPAN_POLL = 0.1
SERVERS = ('vmA', 'vmB')
COMPONENTS = ('a1', 'a2', 'a3', 'b1', 'b2', 'b3')


def read_example(name: str) -> str:
    with open(os.path.join(EXAMPLES, name)) as f:
        return f.read()


class ExamplesTest(agents.ServerAgentsMixin, base.FunctionalTestCase):

    def makespan(self, example: str) -> tuple[str, float]:
        """Create ``example`` with an agent on each of its servers; seconds
        from the POST to CREATE_COMPLETE.  Each component ran once."""
        name = self.stack_name(example.split('.')[0].replace('_', '-'))
        start = time.monotonic()
        body = self.client.stacks.create(
            stack_name=name, template=read_example(example),
            disable_rollback=True)
        identifier = '%s/%s' % (name, body['stack']['id'])
        running = self.start_agents(identifier, SERVERS)
        waiting.wait_until(
            lambda: self.stack_status(identifier) in (
                'CREATE_COMPLETE', 'CREATE_FAILED'),
            base.STACK_TIMEOUT, '%s created' % example,
            interval=MAKESPAN_POLL)
        seconds = round(time.monotonic() - start, 2)
        self.assertEqual('CREATE_COMPLETE', self.stack_status(identifier))
        self.assertEqual({c: ['CREATE'] for c in COMPONENTS},
                         self.runs_by_deployment(*running.values()))
        return identifier, seconds

    def test_fine_grained_is_faster_than_coarse(self):
        self.skip_without_agent_urls()
        fine, fine_secs = self.makespan('fine_grained.yaml')
        coarse, coarse_secs = self.makespan('coarse.yaml')

        report = ('makespan fine_grained.yaml: %.2f s, coarse.yaml: %.2f s'
                  % (fine_secs, coarse_secs))
        self.addDetail('makespans', content.text_content(report))
        print(report, file=sys.stderr, flush=True)
        self.assertLess(fine_secs, coarse_secs, report)
        self.assertEqual({'a3_result': 'a3 uses b2 configured',
                          'b1_result': 'b1 uses a1 configured'},
                         self.outputs(fine))
        self.assertEqual({'b1_result': 'b1 uses a1 configured'},
                         self.outputs(coarse))

    def test_coarse_cycle_is_refused_naming_the_cycle(self):
        before = {s.id for s in self.client.stacks.list(show_deleted=True)}

        response = self.http('POST', '/stacks', json={
            'stack_name': self.stack_name('cycle'),
            'template': read_example('coarse_cycle.yaml')})

        error = self.assertHeatError(response, 400,
                                     'CircularDependencyException',
                                     'Circular Dependency Found')
        for name in ('a3', 'b2', 'b1'):
            self.assertIn(name, error['message'])
        self.assertEqual(before, {s.id for s in self.client.stacks.list(
            show_deleted=True)})
