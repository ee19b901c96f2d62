"""Convergence::Test::SlowSuspend: an OS::Heat::TestResource whose suspend
and resume take time.

Heat's TestResource has no suspend or resume hooks (both complete at once);
this one waits ``suspend_wait_secs`` / ``resume_wait_secs`` in them, so a
test can kill the engine while a suspend is in flight.  Repeating an
interrupted suspend or resume is harmless: ``retry_safe``.
"""

from convergence.resources.properties import NUMBER, Schema
from convergence.resources.test_resource import TestResource

TYPE_NAME = 'Convergence::Test::SlowSuspend'
SUSPEND_WAIT, RESUME_WAIT = 'suspend_wait_secs', 'resume_wait_secs'


class SlowSuspend(TestResource):
    """A TestResource that takes its time to suspend and resume."""

    retry_safe = True
    properties_schema = dict(
        TestResource.properties_schema,
        **{SUSPEND_WAIT: Schema(NUMBER, 'Seconds a suspend takes.',
                                default=0, update_allowed=True),
           RESUME_WAIT: Schema(NUMBER, 'Seconds a resume takes.',
                               default=0, update_allowed=True)})

    def handle_suspend(self):
        return self._start('SUSPEND', self.properties[SUSPEND_WAIT])

    def handle_resume(self):
        return self._start('RESUME', self.properties[RESUME_WAIT])

    check_suspend_complete = TestResource._complete
    check_resume_complete = TestResource._complete


def resource_mapping():
    return {TYPE_NAME: SlowSuspend}
