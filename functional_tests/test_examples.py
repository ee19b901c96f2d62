"""The templates in examples/ run as documented.

fine_grained.yaml and coarse.yaml deploy the same six components on two
"VMs"; fine-grained ordering lets vmB's work overlap vmA's, so its makespan
(stack create until CREATE_COMPLETE) must be shorter.  coarse_cycle.yaml
orders per VM *and* keeps a3's need of b2: a cycle, refused up front.
"""

import os
import sys
import time

from testtools import content

from functional_tests import base
from functional_tests import waiting

EXAMPLES = os.path.join(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))), 'examples')
# How often the makespan clock looks at the stack.
MAKESPAN_POLL = 0.1


def read_example(name: str) -> str:
    with open(os.path.join(EXAMPLES, name)) as f:
        return f.read()


class ExamplesTest(base.FunctionalTestCase):

    def makespan(self, example: str) -> tuple[str, float]:
        """Create ``example``; seconds from the POST to CREATE_COMPLETE."""
        name = self.stack_name(example.split('.')[0].replace('_', '-'))
        start = time.monotonic()
        body = self.client.stacks.create(
            stack_name=name, template=read_example(example),
            disable_rollback=True)
        identifier = '%s/%s' % (name, body['stack']['id'])
        waiting.wait_until(
            lambda: self.stack_status(identifier) in (
                'CREATE_COMPLETE', 'CREATE_FAILED'),
            base.STACK_TIMEOUT, '%s created' % example,
            interval=MAKESPAN_POLL)
        seconds = round(time.monotonic() - start, 2)
        self.assertEqual('CREATE_COMPLETE', self.stack_status(identifier))
        return identifier, seconds

    def test_fine_grained_is_faster_than_coarse(self):
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
        for name in ('base-vmB', 'a3', 'b2', 'b1'):
            self.assertIn(name, error['message'])
        self.assertEqual(before, {s.id for s in self.client.stacks.list(
            show_deleted=True)})
