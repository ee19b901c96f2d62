"""A resource waiting for ever (or for years) never holds a delete hostage.

A wait no clock can keep is refused at validation (``test_rejected``).  An
accepted one, however long, is cancelled when the stack is deleted: the
delete does not wait out the create.  (As in Heat, the delete then runs
the resource's own delete wait, and an update waits for actions in
progress to finish: only a delete stops them.)
"""

from functional_tests.hostile import base

# A wait that is accepted and would outlast any test (some 11 days).
LONG_WAIT = 1e6
# Seconds the delete of the waiting stack may take.
PROMPT = 30


class WaitsTest(base.HostileTestCase):

    def test_a_create_waiting_for_years_is_cancelled_by_a_delete(self):
        for secs in (LONG_WAIT, -1):
            identifier = self.create_stack(base.template({'r': {
                'type': 'OS::Heat::TestResource',
                'properties': {'action_wait_secs': {
                    'create': secs, 'delete': 0}}}}), expected=None)
            self.wait_for_resource_status(identifier, 'r',
                                          'CREATE_IN_PROGRESS')
            took, _ = base.timed(lambda: self.delete_stack(identifier))
            print('create waiting %s s: deleted in %.2f s' % (secs, took))
            self.assertLess(took, PROMPT)
