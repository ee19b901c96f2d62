"""Events in the order they happened, per resource, on one or three engines.

Three updates overlap: each is submitted while the previous one is still
running, and each adds a resource, removes one, replaces some (``swap<i>``,
``update_replace``), updates some in place (``steady<i>``, for two seconds)
and some that read the replaced ones (``tail<i>``); ``flip`` leaves and
comes back.
Afterwards no resource name may show an action starting before its
previous action ended, the stack's final event must come last (clients
waiting on it must have seen everything), and the stack must be the last
template's.
"""

import json
import os

from heatclient import client as heat_client
import testtools

from functional_tests import deployment
from functional_tests import event_order
from functional_tests import server as server_mod
from functional_tests import stack_views
from functional_tests import templates
from functional_tests import waiting

UPDATES = 3
# Resources of each kind (steady, swap, tail): more rows, more chances.
WIDTH = 6
# Seconds the event list must stay unchanged to count as complete: other
# engines' buffered events reach the database within their flush interval.
EVENTS_SETTLE = 1.0
# Seconds a whole scenario's wait may take on a loaded machine.
TIMEOUT = 120


def _test_resource(name: str, value: str, create: float = 0,
                   update: float = 0, delete: float = 0,
                   replace: bool = False) -> str:
    waits = json.dumps({'create': create, 'update': update, 'delete': delete})
    return f"""
  {name}:
    type: OS::Heat::TestResource
    properties:
      value: {value}
      update_replace: {json.dumps(replace)}
      action_wait_secs: {waits}"""


def overlap_template(version: int) -> str:
    """Version 0 is the create; each later one adds ``added<version>``,
    drops ``added<version - 2>``, replaces every ``swap<i>`` and updates
    the rest."""
    value = 'v%d' % version
    body = ''
    for i in range(WIDTH):
        body += (_test_resource('steady%d' % i, value, create=1, update=2)
                 + _test_resource('swap%d' % i, value, create=1, delete=1,
                                  replace=True)
                 + _test_resource('tail%d' % i,
                                  '{get_attr: [swap%d, output]}' % i,
                                  update=1))
    for added in sorted({max(version - 1, 0), version}):
        body += _test_resource('added%d' % added, value, create=1, delete=1)
    if version % 2 == 0:
        body += _test_resource('flip', value, create=1, delete=1)
    outputs = ''.join('\n  %s: {value: {get_attr: [%s, output]}}' % (n, n)
                      for n in sorted(_outputs(version)))
    return templates.HOT + 'resources:' + body + '\noutputs:' + outputs + '\n'


def _outputs(version: int) -> dict[str, str]:
    """The outputs a converged stack of ``version`` shows."""
    return {'%s%d' % (kind, i): 'v%d' % version
            for kind in ('steady', 'swap', 'tail') for i in range(WIDTH)}


def final_names(version: int) -> set[str]:
    names = set(_outputs(version)) | {'added%d' % max(version - 1, 0),
                                      'added%d' % version}
    return names | ({'flip'} if version % 2 == 0 else set())


class OverlapsTest(testtools.TestCase):
    """The checker itself (no server)."""

    def test_actions_one_after_the_other_are_in_order(self):
        self.assertEqual([], event_order.overlaps([
            ('a', 'CREATE_IN_PROGRESS'), ('b', 'CREATE_IN_PROGRESS'),
            ('a', 'CREATE_COMPLETE'), ('a', 'UPDATE_IN_PROGRESS'),
            ('a', 'UPDATE_FAILED'), ('b', 'CREATE_COMPLETE'),
            ('a', 'DELETE_IN_PROGRESS'), ('a', 'DELETE_COMPLETE')]))

    def test_a_start_while_the_name_is_busy_is_an_overlap(self):
        found = event_order.overlaps([
            ('a', 'UPDATE_IN_PROGRESS'), ('b', 'CREATE_IN_PROGRESS'),
            ('a', 'CREATE_IN_PROGRESS'), ('a', 'DELETE_IN_PROGRESS'),
            ('a', 'UPDATE_COMPLETE')])
        self.assertEqual(
            ['a: #2 CREATE_IN_PROGRESS while #0 UPDATE_IN_PROGRESS is still '
             'open', 'a: #3 DELETE_IN_PROGRESS while #2 CREATE_IN_PROGRESS is '
             'still open'], found)

    def test_an_end_without_a_start_opens_nothing(self):
        self.assertEqual([], event_order.overlaps([
            ('a', 'UPDATE_FAILED'), ('a', 'DELETE_IN_PROGRESS')]))


class EventOrderTest(testtools.TestCase, stack_views.HeatHelpers):
    """The overlap scenario on three engines (per database) and on
    convergence-all."""

    def _three_engines(self, backend: str) -> None:
        executor = os.environ.get(deployment.EXECUTOR_ENV) or 'eventlet'
        fixture = self.useFixture(deployment.Deployment(
            backend=backend, engines=3, config={'executor': executor}))
        self.heat = fixture.client_for(self)

    def test_three_engines_over_mariadb(self):
        self._three_engines('mariadb')
        self._overlapping_updates_keep_events_in_order()

    def test_three_engines_over_postgresql(self):
        self._three_engines('postgresql')
        self._overlapping_updates_keep_events_in_order()

    def test_convergence_all(self):
        server = self.useFixture(server_mod.ServerFixture())
        self.heat = heat_client.Client('1', endpoint=server.endpoint,
                                       token='x')
        self._overlapping_updates_keep_events_in_order()

    def _overlapping_updates_keep_events_in_order(self):
        name = 'order'
        self.heat.stacks.create(stack_name=name, template=overlap_template(0),
                                disable_rollback=True)
        self.wait_status(name, 'CREATE_COMPLETE', TIMEOUT)
        for version in range(1, UPDATES + 1):
            self.heat.stacks.update(name, template=overlap_template(version))
            if version < UPDATES:
                self._wait_creating('added%d' % version)
        self.wait_status(name, 'UPDATE_COMPLETE', TIMEOUT)

        events = self._settled_events(name)
        listed = [(e.resource_name, e.resource_status) for e in events]
        described = '\n'.join('%s %s %s %s' % (
            e.event_time, e.resource_name, e.resource_status,
            e.resource_status_reason) for e in events)
        self.assertEqual([], event_order.overlaps(
            (n, s) for n, s in listed if n != name), described)
        self.assertEqual((name, 'UPDATE_COMPLETE'), listed[-1], described)
        statuses = self.resource_statuses(name)
        self.assertEqual(final_names(UPDATES), set(statuses))
        self.assertEqual([], [n for n, s in statuses.items()
                              if not s.endswith('_COMPLETE')], statuses)
        self.assertEqual(_outputs(UPDATES),
                         {o['output_key']: o['output_value']
                          for o in self.heat.stacks.get(name).outputs})

    def _wait_creating(self, resource: str) -> None:
        """The update runs: its new resource is being created."""
        name = 'order'
        waiting.wait_until(
            lambda: self.resource_statuses(name).get(resource)
            == 'CREATE_IN_PROGRESS', TIMEOUT, '%s being created' % resource)
        self.assertEqual('UPDATE_IN_PROGRESS',
                         self.heat.stacks.get(name).stack_status)

    def _settled_events(self, name: str) -> list:
        """Every event, oldest first, once none has arrived for a while."""
        seen = []

        def unchanged():
            events = list(self.heat.events.list(name, sort_dir='asc'))
            settled = [e.id for e in events] == [e.id for e in seen]
            seen[:] = events
            return settled
        waiting.wait_until(unchanged, TIMEOUT, 'the event list to settle',
                           interval=EVENTS_SETTLE)
        return seen
