"""A convergence-all SIGKILLed mid-create and restarted converges at once.

Its successor proves it gone (its lock file is free) and, the in-process
bus having died with it, re-sends every running stack's frontier in its
first recovery pass: seconds, not the three ``periodic_interval``s (here
the default, 60 s) a heartbeat takes to age.
"""

import time

from functional_tests.hostile import base

# Seconds the restarted server may take to finish the create: the
# remaining waits of the template (a few seconds) and nothing like 60 s.
CONVERGE_BOUND = 20
WAIT_SECS = 1


class RestartTest(base.HostileTestCase):

    def template(self) -> str:
        resources = {}
        for index in range(6):
            name = 'r%d' % index
            resources[name] = {'type': 'OS::Heat::TestResource',
                               'properties': {'wait_secs': WAIT_SECS,
                                              'value': name}}
            if index:
                resources[name]['depends_on'] = ['r%d' % (index - 1)]
        return base.template(resources)

    def restart(self) -> None:
        self.server.process.kill()
        self.server.process.start()
        self.server._wait_until_answering()

    def test_a_killed_create_converges_seconds_after_the_restart(self):
        identifier = self.create_stack(self.template(), expected=None)
        self.wait_for_resource_status(identifier, 'r1', 'CREATE_IN_PROGRESS')
        self.restart()
        restarted = time.monotonic()
        self.wait_for_status(identifier, 'CREATE_COMPLETE',
                             timeout=CONVERGE_BOUND)
        seconds = time.monotonic() - restarted
        print('restart to CREATE_COMPLETE: %.1f s (bound %d s)'
              % (seconds, CONVERGE_BOUND))
        self.assertEqual(
            {'r%d' % i: 'CREATE_COMPLETE' for i in range(6)},
            self.resource_statuses(identifier))

    def test_a_stack_created_after_the_restart_is_not_disturbed(self):
        self.restart()
        identifier = self.create_stack(self.template())
        self.assertEqual('CREATE_COMPLETE', self.stack_status(identifier))
