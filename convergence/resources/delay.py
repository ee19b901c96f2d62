"""OS::Heat::Delay: an action that takes a configured time, and nothing else.

During each action named in ``actions`` (CREATE by default; DELETE,
SUSPEND, RESUME) the resource waits ``min_wait`` seconds plus a random
jitter between 0 and ``max_jitter * jitter_multiplier`` seconds, as Heat's.
The wait is a timer, not a sleeping thread: the handler returns
``Await(after=<seconds>)`` (``worker/signal_wait.py``), the row records the
wait and the node ends; the timer (``runtime.call_later``) delivers the
signal that ends the action, and if that timer's engine died, the sweeper
delivers it once it is overdue.  A cancel or the stack's timeout ends the
wait as for any signal wait ("CREATE aborted", "... Timed out").  An update
changes only the properties (Heat's Delay has no update action).  The type
takes no signals of its own (``resource signal`` is refused).

Not done: Heat's strict validation that the longest delay fits the stack's
timeout (the stack's timeout ends a too long delay instead).
"""

import random

from convergence.resources import constraints as constr
from convergence.resources.await_signal import Await
from convergence.resources.base import Resource
from convergence.resources.properties import LIST, NUMBER, Schema

MIN_WAIT, MAX_JITTER, JITTER_MULTIPLIER, ACTIONS = (
    'min_wait', 'max_jitter', 'jitter_multiplier', 'actions')
DELAY_ACTIONS = ('CREATE', 'DELETE', 'SUSPEND', 'RESUME')
# The signal the timer delivers.
DELAY_OVER = {'delay': 'over'}

_random = random.SystemRandom()


def wait_seconds(properties: dict, action: str, draw=_random.random
                 ) -> float:
    """How long ``action`` waits (0: not a delayed action)."""
    if action not in (properties.get(ACTIONS) or ['CREATE']):
        return 0.0
    jitter = (float(properties.get(MAX_JITTER) or 0)
              * float(properties.get(JITTER_MULTIPLIER, 1.0)))
    return float(properties.get(MIN_WAIT) or 0) + jitter * draw()


class Delay(Resource):
    """A resource that pauses for a configurable delay."""

    support_version = '11.0.0'
    retry_safe = True
    properties_schema = {
        MIN_WAIT: Schema(NUMBER, 'Minimum time in seconds to wait during the '
                         'specified actions.', default=0, update_allowed=True,
                         constraints=[constr.Range(min=0)]),
        MAX_JITTER: Schema(NUMBER, 'Maximum jitter to add to the minimum '
                           'wait time.', default=0, update_allowed=True,
                           constraints=[constr.Range(min=0)]),
        JITTER_MULTIPLIER: Schema(NUMBER, 'Number of seconds to multiply the '
                                  'maximum jitter value by.', default=1.0,
                                  update_allowed=True,
                                  constraints=[constr.Range(min=0)]),
        ACTIONS: Schema(LIST, 'Actions during which the delay will occur.',
                        default=['CREATE'], update_allowed=True,
                        constraints=[constr.AllowedValues(
                            list(DELAY_ACTIONS))]),
    }

    def _delay(self, action: str):
        seconds = wait_seconds(self.properties, action)
        if not seconds:
            return None
        return Await({'seconds': seconds}, after=seconds,
                     after_details=DELAY_OVER)

    def handle_create(self):
        self.resource_id_set(self.physical_resource_name())
        return self._delay('CREATE')

    def handle_update(self, new_properties: dict, prop_diff: dict):
        return None

    def handle_delete(self):
        return self._delay('DELETE')

    def handle_suspend(self):
        return self._delay('SUSPEND')

    def handle_resume(self):
        return self._delay('RESUME')

    def handle_awaited_signal(self, token, details):
        if details != DELAY_OVER:
            raise ValueError('unexpected signal for a delay: %r' % (details,))
        return None
