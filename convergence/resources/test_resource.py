"""OS::Heat::TestResource: stores a string and can wait, fail or be replaced.

The workhorse of Heat's functional tests.  Its knobs: ``value`` (exposed as
attribute ``output``), ``fail``, ``wait_secs`` (-1 waits forever) and the
per-action ``action_wait_secs``, ``update_replace`` / ``update_replace_value``
to force replacement, and ``attr_wait_secs`` / ``constraint_prop_secs`` to
slow attribute reads and validation.  ``client_name`` / ``entity_name`` are
accepted and have no effect (Heat only polls a client with them, ignoring
every error).
"""

import datetime
import threading
from dataclasses import dataclass

from convergence.resources import constraints as constr
from convergence.resources.base import CREATE, DELETE, UPDATE, Resource
from convergence.resources.properties import (BOOLEAN, MAP, NUMBER, STRING,
                                              Schema)

# Poll interval while a wait has no end (wait_secs -1).
FOREVER_POLL_DELAY = 1.0
# Completion needs strictly more than the wait, so look just after its end.
PAST_END = 0.01
# The longest wait accepted, in seconds (some 290 years).  Heat's resource
# fails any wait a timedelta cannot hold; ours must also fit a thread's
# timeout.  Infinity and NaN are refused too; any negative waits forever.
MAX_WAIT_SECS = min(datetime.timedelta.max.total_seconds(),
                    threading.TIMEOUT_MAX)
_WAIT_RANGE = constr.Range(max=MAX_WAIT_SECS)

VALUE, UPDATE_REPLACE, UPDATE_REPLACE_VALUE, FAIL = (
    'value', 'update_replace', 'update_replace_value', 'fail')
WAIT_SECS, ACTION_WAIT_SECS, ATTR_WAIT_SECS, CONSTRAINT_PROP_SECS = (
    'wait_secs', 'action_wait_secs', 'attr_wait_secs', 'constraint_prop_secs')
CLIENT_NAME, ENTITY_NAME = 'client_name', 'entity_name'
OUTPUT = 'output'


def _seconds(description: str, default=None) -> Schema:
    return Schema(NUMBER, description, default=default, update_allowed=True,
                  constraints=[_WAIT_RANGE])


@dataclass(frozen=True)
class _Wait:
    """The token of an action: when it started and how long it lasts."""

    action: str
    started: float
    secs: float

    @property
    def forever(self) -> bool:
        return self.secs < 0


class TestResource(Resource):
    """A resource that only stores ``value``, after an optional wait."""

    __test__ = False  # not a test case, whatever its name says
    retry_safe = True

    properties_schema = {
        CONSTRAINT_PROP_SECS: Schema(
            NUMBER, 'Seconds that validating this property takes.',
            default=0, update_allowed=True,
            constraints=[_WAIT_RANGE, constr.CustomConstraint('test_constr')]),
        ATTR_WAIT_SECS: _seconds(
            'Seconds that resolving the output attribute takes.', 0),
        VALUE: Schema(STRING, 'The string to store.',
                      default='test_string', update_allowed=True),
        UPDATE_REPLACE_VALUE: Schema(
            STRING, 'A value whose change always replaces the resource.'),
        FAIL: Schema(BOOLEAN, 'Fail the create or update (after the wait).',
                     default=False, update_allowed=True),
        UPDATE_REPLACE: Schema(
            BOOLEAN, 'Replace instead of updating when value changes.',
            default=False, update_allowed=True),
        WAIT_SECS: _seconds('Seconds to wait after an action (-1: forever).',
                            0),
        ACTION_WAIT_SECS: Schema(
            MAP, 'Per-action waits overriding wait_secs.', update_allowed=True,
            schema={a: _seconds('Seconds to wait after %s; default wait_secs.'
                                % a) for a in ('create', 'update', 'delete')}),
        CLIENT_NAME: Schema(STRING, 'Client to poll (no effect).',
                            default='', update_allowed=True),
        ENTITY_NAME: Schema(STRING, 'Client entity to poll (no effect).',
                            default='', update_allowed=True),
    }
    attributes_schema = {OUTPUT: 'The stored string.'}
    support_version = '5.0.0'

    def _wait_secs(self, action: str) -> float:
        """The wait for ``action``: its action_wait_secs entry or wait_secs."""
        per_action = self.properties.get(ACTION_WAIT_SECS) or {}
        secs = per_action.get(action.lower())
        return self.properties[WAIT_SECS] if secs is None else secs

    def _start(self, action: str, secs: float) -> _Wait:
        return _Wait(action, self.context.clock.now(), secs)

    def handle_create(self) -> _Wait:
        if not self.properties[FAIL]:
            self.data_set('value', self.properties[VALUE])
            self.resource_id_set(self.physical_resource_name())
        return self._start(CREATE, self._wait_secs(CREATE))

    def handle_update(self, new_properties: dict, prop_diff: dict) -> _Wait:
        """Store a new non-empty value at once; wait only if it changed."""
        self.properties = new_properties
        value = prop_diff.get(VALUE)
        if not value:
            return self._start(UPDATE, 0)
        if not self.properties[FAIL]:
            self.data_set('value', value)
        return self._start(UPDATE, self._wait_secs(UPDATE))

    def handle_delete(self) -> _Wait:
        return self._start(DELETE, self._wait_secs(DELETE))

    def _complete(self, token: _Wait) -> bool:
        """Done once more than the wait has passed; then maybe fail."""
        waited = self.context.clock.now() - token.started
        if token.forever or waited <= token.secs:
            return False
        if self.properties[FAIL] and token.action != DELETE:
            raise ValueError('Test Resource failed %s' % self.name)
        return True

    check_create_complete = _complete
    check_update_complete = _complete
    check_delete_complete = _complete

    def poll_delay(self, token: _Wait) -> float:
        """Look again just after the wait ends, not on a fixed grid."""
        if token.forever:
            return FOREVER_POLL_DELAY
        remaining = token.started + token.secs - self.context.clock.now()
        return max(remaining, 0.0) + PAST_END

    def handle_check(self) -> None:
        if not self.resource_id:
            raise Exception('Resource not created')

    def needs_replace_with_prop_diff(self, changed: set[str], after: dict,
                                     before: dict) -> bool:
        """A changed value is replaced when the new update_replace says so."""
        return VALUE in changed and bool(after.get(UPDATE_REPLACE))

    def _resolve_attribute(self, name: str) -> object:
        delay = self.properties.get(ATTR_WAIT_SECS) or 0
        if delay > 0:
            self.context.clock.wait(delay)
        if name == OUTPUT:
            return self.data_get('value')
        return None
