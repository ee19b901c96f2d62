"""MariaDB or RabbitMQ restarted in the middle of a traversal.

The engines lose their connections (and, with RabbitMQ, every queued
message: the queues are not durable); each traversal must still reach its
COMPLETE status unattended, with nothing created twice and nothing left
after the delete.  Each test restarts its service once during the create
and once during the delete; the deployment's clean-up starts the service
again if a test failed with it down.
"""

import os
import time
import uuid

from functional_tests.faults import base

# Seconds into a traversal at which the service goes down, and for how long.
OUTAGE_AT = 2.0
OUTAGE_SECONDS = 3.0
# Seconds a traversal with an outage has to complete, from its request.
CONVERGE_BOUND = 90


class OutageTestCase(base.FaultTestCase):
    """Create and delete the workload, restarting a service during each."""

    def _through_outage(self, restart, identifier, expected, stale,
                        request=None):
        started = time.monotonic()
        if request is not None:
            request()
        time.sleep(max(0.0, started + OUTAGE_AT - time.monotonic()))
        self.assertNotIn(self.status(identifier), (expected, base.GONE),
                         'the traversal ended before the outage')
        restart()
        return self.wait_converged(identifier, expected, CONVERGE_BOUND,
                                   started=started, stale=stale)

    def check_create_and_delete_through_outages(self, what: str,
                                                restart) -> None:
        identifier = self.create('%s-%s' % (what, uuid.uuid4().hex[:6]))
        outcome = self._through_outage(restart, identifier, 'CREATE_COMPLETE',
                                       '')
        self.assertConverged(outcome, 'create with a %s restart' % what)
        self.assertClean(self.audit_converged(identifier), 'after create')

        outcome = self._through_outage(restart, identifier, 'DELETE_COMPLETE',
                                       'CREATE_COMPLETE',
                                       lambda: self.delete(identifier))
        self.assertConverged(outcome, 'delete with a %s restart' % what)
        self.assertClean(self.audit_deleted(identifier), 'after delete')


class MariaDBRestartTest(OutageTestCase):

    def setUp(self):
        if (os.environ.get(base.BACKEND_ENV) or 'mariadb') != 'mariadb':
            self.skipTest('the fault deployment is not on MariaDB')
        super().setUp()

    def test_mariadb_restarted_mid_create_and_mid_delete(self):
        self.check_create_and_delete_through_outages(
            'mariadb', lambda: self.deployment.restart_mariadb(
                down_seconds=OUTAGE_SECONDS))


class RabbitMQRestartTest(OutageTestCase):

    def test_rabbitmq_restarted_mid_create_and_mid_delete(self):
        self.check_create_and_delete_through_outages(
            'rabbitmq', lambda: self.deployment.restart_rabbitmq(
                down_seconds=OUTAGE_SECONDS))
