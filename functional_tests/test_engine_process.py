"""The engine process as an operator runs it: forked workers, SIGTERM, executors.

* One ``convergence-engine`` with ``num_engine_workers = 3`` and one
  ``convergence-api`` on RabbitMQ (own vhost) and MariaDB (own database):
  ``convergence-manage service list`` shows three engines up and a stack
  converges; on SIGTERM each worker lets the resource actions it has in
  flight finish, then deletes its service row and exits; the stack's
  remaining messages wait on the bus for the next engine.
* ``convergence-all`` with ``executor = threading`` in its config file
  converges a stack whose update starts while its create is still running.
"""

import subprocess
import time

from heatclient import client as heat_client
import testtools
from testtools import content

from functional_tests import deployment
from functional_tests import processes
from functional_tests import server as server_mod
from functional_tests import stack_views
from functional_tests import templates
from functional_tests import waiting

WORKERS = 3
# Each leaf's create takes this long: long enough to SIGTERM mid-action.
CREATE_WAIT = 4


def _fan_in(width: int, create_wait: float = 1) -> str:
    return templates.fan_in(width, create_wait, update_wait=1)


class ForkedEngineWorkers(testtools.TestCase, stack_views.HeatHelpers):

    def setUp(self):
        super().setUp()
        self.deployment = deployment.Deployment(
            backend='mariadb', engines=1,
            config={'num_engine_workers': WORKERS, 'periodic_interval': 2,
                    'graceful_shutdown_timeout': 30})
        self.useFixture(self.deployment)
        self.heat = self.deployment.client_for(self)

    def service_list(self) -> list[list[str]]:
        """``convergence-manage service list`` rows, split into fields."""
        output = subprocess.run(
            [processes.console_script('convergence-manage'), '--config-file',
             self.deployment.config_path, 'service', 'list'], check=True,
            capture_output=True, text=True, timeout=60).stdout
        return [line.split() for line in output.splitlines()[1:] if line]

    def engines_up(self) -> list[list[str]]:
        return [row for row in self.service_list() if row[3] == 'up']

    def test_workers_are_engines_of_their_own_and_converge_a_stack(self):
        up = waiting.wait_until(
            lambda: len(self.engines_up()) == WORKERS and self.engines_up(),
            30, '%d engines up' % WORKERS, describe=self.service_list)
        self.assertEqual(WORKERS, len({row[0] for row in up}), up)
        self.assertEqual({'engine0'}, {row[1] for row in up})
        self.assertEqual({'convergence-engine'}, {row[2] for row in up})

        width = 9
        self.heat.stacks.create(stack_name='forked', template=_fan_in(width),
                                parameters={'foo': 'one'})
        self.wait_status('forked', 'CREATE_COMPLETE')
        self.assertEqual(','.join(['one'] * width), self.joined('forked'))
        self.heat.stacks.update('forked', existing=True,
                                parameters={'foo': 'two'})
        self.wait_status('forked', 'UPDATE_COMPLETE')
        self.assertEqual(','.join(['two'] * width), self.joined('forked'))
        self.assertEqual(WORKERS, len(self.engines_up()))

    def test_sigterm_lets_actions_in_flight_finish_then_leaves(self):
        waiting.wait_until(lambda: len(self.engines_up()) == WORKERS, 30,
                           '%d engines up' % WORKERS,
                           describe=self.service_list)
        width = 6
        self.heat.stacks.create(
            stack_name='drained', template=_fan_in(width, CREATE_WAIT),
            parameters={'foo': 'one'})
        waiting.wait_until(
            lambda: list(self.resource_statuses('drained').values()).count(
                'CREATE_IN_PROGRESS') == width, 30,
            'every leaf to be creating',
            describe=lambda: str(self.resource_statuses('drained')))
        stack_id = self.heat.stacks.get('drained').id
        signalled = time.monotonic()

        exited = self.deployment.terminate_engine(0, timeout=45)
        took = time.monotonic() - signalled
        self.assertTrue(exited, 'engine still running %.1f s after SIGTERM'
                        % took)
        self.assertEqual(0, self.deployment.engines[0].exit_code())

        # The actions under way were finished, not cut short: the engine
        # took (most of) their remaining wait to exit, and no row is left
        # IN_PROGRESS or locked.  (No engine runs now to answer the API:
        # the rows are read from the database.)
        self.assertGreater(took, CREATE_WAIT / 2,
                           'the engine left before its actions finished')
        rows = {row['name']: row for row in
                self.deployment.db.resources_of_stack(stack_id)}
        self.assertEqual(
            {'leaf%d' % i: ('CREATE', 'COMPLETE', None)
             for i in range(width)},
            {name: (row['action'], row['status'], row['engine_id'])
             for name, row in rows.items() if name.startswith('leaf')})
        # Each worker deleted its service row: gone at once, not "down".
        self.assertEqual([], self.service_list())
        self.assertEqual('IN_PROGRESS',
                         self.deployment.db.stack_get(stack_id)['status'])

        # The join's trigger waited on the bus for the next engine.
        self.deployment.start_engine(0)
        self.wait_status('drained', 'CREATE_COMPLETE')
        self.assertEqual(','.join(['one'] * width), self.joined('drained'))


class ThreadingExecutor(testtools.TestCase, stack_views.HeatHelpers):

    def setUp(self):
        super().setUp()
        self.server = self.useFixture(server_mod.ServerFixture(
            config={'executor': 'threading'}))
        self.addOnException(lambda exc_info: self.addDetail(
            'server-log', content.text_content(self.server.log_tail())))
        self.heat = heat_client.Client('1', endpoint=self.server.endpoint,
                                       token='x')

    def test_convergence_all_converges_an_update_overlapping_a_create(self):
        width = 8
        self.heat.stacks.create(stack_name='overlap',
                                template=_fan_in(width, 2),
                                parameters={'foo': 'one'})
        waiting.wait_until(
            lambda: 'CREATE_IN_PROGRESS' in self.resource_statuses(
                'overlap').values(), 30, 'the create to be under way')
        self.heat.stacks.update('overlap', template=_fan_in(width, 2),
                                parameters={'foo': 'two'})
        self.wait_status('overlap', 'UPDATE_COMPLETE')
        self.assertEqual(','.join(['two'] * width), self.joined('overlap'))
        log = self.server.log_tail(200000)
        self.assertNotIn('Traceback', log)
        # oslo.messaging warns when a server uses its eventlet executor.
        self.assertNotIn('Eventlet executor is deprecated', log)
