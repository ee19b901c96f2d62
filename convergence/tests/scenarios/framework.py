"""The scenario DSL of the convergence prototypes, on the real engine code.

A scenario queues engine operations (``create_stack``, ``update_stack``,
``noop(n)``, ``call(f)``...) and then runs an event loop in which each step
the engine handles one operation and the worker handles one
``check_resource`` message, strictly FIFO.  So "update while the third
resource is in flight" is written, and replayed, exactly.  Every worker
message is also recorded as a ``Step`` (its node, its traversal, whether it
was stale, what it did to the cloud) so a scenario can say that stale
messages did no work.

Resources are ``Scenario::Resource`` plugins acting on a fake cloud
(``Reality``); ``verify(template)`` checks the cloud, never the database.
A property whose name contains ``!`` forces replacement when it changes;
a true ``fail`` property fails the create or update; attributes are the
properties.
"""

import collections
import dataclasses
import datetime
import itertools

from oslo_config import cfg
import testtools
from testtools import content

from convergence import config
from convergence import definitions
from convergence import events
from convergence import resources
from convergence import runtime
from convergence import stack as stack_ops
from convergence.engine import service
from convergence.recovery import sweeper
from convergence.resources import base
from convergence.resources import clock
from convergence.rpc import context as rpc_context
from convergence.worker import check_resource
from db import api as db_api

RESOURCE_TYPE = 'Scenario::Resource'
# Seconds without a heartbeat after which a scenario's engine counts as gone.
RECOVERY_DOWN_TIME = 30
STACK_NAME = 'foo'

# One worker message as the event loop ran it.  ``node`` is the trace entry
# ('U:A#1'); ``traversal`` numbers the stack's traversals in the order they
# started ('T1', 'T2'...); ``stale`` says the message's traversal was no
# longer the stack's current one; ``effect`` is what it did to the cloud,
# e.g. ('create A',) or () for nothing.
Step = collections.namedtuple('Step', 'node traversal stale effect')


# --- template construction ---------------------------------------------------

class GetRes:
    def __init__(self, name):
        self.name = name


class GetAtt:
    def __init__(self, name, attr):
        self.name, self.attr = name, attr


class RsrcDef:
    def __init__(self, props=None, depends_on=None):
        self.props = dict(props or {})
        self.depends_on = list(depends_on or [])


class Template:
    def __init__(self, resources=None):
        self.resources = dict(resources or {})

    def to_hot(self) -> dict:
        return {'heat_template_version': '2015-10-15',
                'resources': {name: _hot_resource(defn)
                              for name, defn in self.resources.items()}}


def _hot_resource(defn: RsrcDef) -> dict:
    hot = {'type': RESOURCE_TYPE,
           'properties': {k: _hot_value(v) for k, v in defn.props.items()}}
    if defn.depends_on:
        hot['depends_on'] = list(defn.depends_on)
    return hot


def _hot_value(value):
    if isinstance(value, GetRes):
        return {'get_resource': value.name}
    if isinstance(value, GetAtt):
        return {'get_attr': [value.name, value.attr]}
    return value


# --- the fake cloud ----------------------------------------------------------

class Reality:
    """Physical resources by id: what the cloud really holds."""

    def __init__(self):
        self.resources: dict[str, dict] = {}
        # The physical ids whose snapshots were deleted, in order.
        self.snapshots_deleted: list[str] = []
        self._ids = itertools.count(1)

    def create(self, logical_name: str, props: dict) -> str:
        physical_id = 'phys-%d' % next(self._ids)
        self.resources[physical_id] = {'name': logical_name,
                                       'props': dict(props)}
        return physical_id

    def update(self, physical_id: str, props: dict) -> None:
        self.resources[physical_id]['props'] = dict(props)

    def delete(self, physical_id: str) -> None:
        self.resources.pop(physical_id, None)

    def all_resources(self) -> dict:
        return dict(self.resources)

    def resources_by_logical_name(self, name: str) -> dict:
        return {pid: r for pid, r in self.resources.items()
                if r['name'] == name}


class SimulatedDeath(BaseException):
    """The engine running a node dies on the spot: nothing after runs.

    A BaseException, so no ``except Exception`` of the engine catches it.
    """


class ScenarioResource(base.Resource):
    """Acts on the Reality given by the running scenario."""

    properties_schema = None
    retry_safe = True
    reality: Reality = None
    # (logical name, action) whose next start kills its engine.
    deaths: set = set()

    def _maybe_die(self, action: str, properties: dict) -> None:
        if (self.name, action) in self.deaths:
            self.deaths.discard((self.name, action))
            raise SimulatedDeath('%s %s' % (action, self.name))
        if properties.get('fail'):
            raise ValueError('%s of %s failed as asked' % (action, self.name))

    def handle_create(self):
        self._maybe_die('CREATE', self.properties)
        self.context.resource_id = self.reality.create(self.name,
                                                       self.properties)

    def check_create_complete(self, token):
        return True

    def handle_update(self, new_properties, prop_diff):
        self._maybe_die('UPDATE', new_properties)
        self.reality.update(self.context.resource_id, new_properties)

    def check_update_complete(self, token):
        return True

    def handle_delete(self):
        self._maybe_die('DELETE', {})
        if self.context.resource_id:
            self.reality.delete(self.context.resource_id)

    def check_delete_complete(self, token):
        return True

    def handle_snapshot(self):
        """Saves the properties the resource has in the cloud now."""
        self._maybe_die('SNAPSHOT', {})
        found = self.reality.all_resources().get(self.context.resource_id)
        self.data_set('saved', dict(found or {}))

    def handle_delete_snapshot(self, entry):
        self.reality.snapshots_deleted.append(entry['resource_id'])

    def plan_update(self, new: dict, *, failed=False) -> base.UpdatePlan:
        diff = base.diff_properties(self.properties, new)
        if not diff:
            return base.UpdatePlan(base.NO_CHANGE, {})
        if any('!' in name for name in diff):
            return base.UpdatePlan(base.REPLACE, diff)
        return base.UpdatePlan(base.IN_PLACE, diff)

    def get_attribute(self, name):
        return self.properties.get(name)

    @classmethod
    def has_attribute(cls, name):
        return True


def _effect(before: dict, reality: Reality) -> tuple[str, ...]:
    """What one message did to the cloud, e.g. ('create C', 'delete C')."""
    after = reality.all_resources()
    changes = []
    for pid in sorted(set(before) - set(after)):
        changes.append('delete %s' % before[pid]['name'])
    for pid in sorted(set(after) - set(before)):
        changes.append('create %s' % after[pid]['name'])
    for pid in sorted(set(before) & set(after)):
        if before[pid]['props'] != after[pid]['props']:
            changes.append('update %s' % after[pid]['name'])
    return tuple(changes)


# --- the two queues ------------------------------------------------------------

class SteppedMessenger:
    """check_resource casts go to a FIFO the event loop drains one by one."""

    def __init__(self):
        self.queue = collections.deque()

    def cast_check_resource(self, resource_id, traversal_id, data, is_update):
        self.queue.append((resource_id, traversal_id, data, is_update))

    def cancel_remote(self, stack_id, engine_ids):
        pass


def _action_clock(deadline, cancelled) -> clock.FakeClock:
    """An action's clock as ``runtime.ActionClock`` is made, on fake time.

    Scenario resources finish at once: time only moves when they wait.  The
    stack's stored (wall-time) deadline is placed on the fake scale, which
    starts at 0, and a cancel stops the next wait.
    """
    return clock.FakeClock(deadline=clock.monotonic_deadline(deadline, 0.0),
                           cancelled=cancelled)


def _run_inline(func, *args, **kwargs):
    return func(*args, **kwargs)


def _no_sleep(seconds):
    raise AssertionError('a scenario step would block: a row is still locked')


class Scenario:
    """One scenario run: database, engine, worker queue, reality."""

    def __init__(self, test):
        self.test = test
        self.reality = Reality()
        ScenarioResource.reality = self.reality
        ScenarioResource.deaths = set()
        resources.register(RESOURCE_TYPE, ScenarioResource)
        test.addCleanup(resources.unregister, RESOURCE_TYPE)
        self.db = db_api.Database('sqlite://')
        self.db.create_schema()
        self.messenger = SteppedMessenger()
        self.rt = runtime.Runtime(
            db=self.db, messenger=self.messenger, engine_id='engine-1',
            events=events.EventLog(self.db),
            definitions=definitions.DefinitionCache(self.db),
            clock_factory=_action_clock, spawn=_run_inline, sleep=_no_sleep,
            call_later=self._later)
        # The engine's real options (oslo.policy's too, for the resource
        # type rules), no stack limit per tenant.
        conf = config.register(cfg.ConfigOpts())
        conf([], project='convergence', default_config_files=[])
        conf.set_override('max_stacks_per_tenant', -1)
        self.engine_service = service.EngineService(self.rt, conf)
        self.context = rpc_context.RequestContext(project_id='test',
                                                  is_admin=True)
        self.engine_queue = collections.deque()
        # Timers set with call_later: (seconds, func, args), fired only by
        # ``fire_timers`` (time stands still otherwise).
        self.timers: list[tuple] = []
        self.trace: list[str] = []
        self.dead_engines: list[str] = []
        self.sweeps: list[sweeper.Pass] = []
        self.steps: list[Step] = []
        self.snapshot_ids: list[str] = []
        self._traversal_labels: dict[str, str] = {}

    # --- engine operations, queued --------------------------------------------

    def create_stack(self, name, tmpl):
        self.engine_queue.append(lambda: self._create(name, tmpl))

    def update_stack(self, name, tmpl):
        self.engine_queue.append(lambda: self._update(name, tmpl))

    def delete_stack(self, name):
        self.engine_queue.append(lambda: self.engine_service.delete_stack(
            self.context, self._identity(name)))

    def snapshot_stack(self, name, snapshot_name='snap'):
        """Queue a snapshot of the stack; its id goes to ``snapshot_ids``."""
        self.engine_queue.append(lambda: self.snapshot_ids.append(
            self.engine_service.stack_snapshot(
                self.context, self._identity(name), snapshot_name)['id']))

    def restore_stack(self, name, index=-1):
        """Queue a restore of the stack's ``index``-th snapshot taken."""
        self.engine_queue.append(lambda: self.engine_service.stack_restore(
            self.context, self._identity(name), self.snapshot_ids[index]))

    def rollback_stack(self, name):
        self.engine_queue.append(lambda: stack_ops.rollback(
            self.rt, self._stack(name)))

    def fire_timers(self):
        """Queue a step in which every timer set so far fires (as if their
        time had come), in the order they were set."""
        self.engine_queue.append(self._fire_timers)

    def _later(self, seconds, func, *args):
        self.timers.append((seconds, func, args))

    def _fire_timers(self):
        due, self.timers = self.timers, []
        for _, func, args in due:
            func(*args)

    def noop(self, count):
        for _ in range(count):
            self.engine_queue.append(lambda: None)

    def call(self, func, *args):
        self.engine_queue.append(lambda: func(*args))

    def also(self, func, *args):
        """Run ``func`` in the same step as the last queued operation, after
        it: an extra check that does not shift the scenario's timing."""
        previous = self.engine_queue.pop()

        def both():
            previous()
            func(*args)
        self.engine_queue.append(both)

    def _create(self, name, tmpl):
        self.engine_service.create_stack(
            self.context, name, tmpl.to_hot(), {'parameters': {}}, {}, {})

    def _update(self, name, tmpl):
        self.engine_service.update_stack(
            self.context, self._identity(name), tmpl.to_hot(),
            {'parameters': {}}, {}, {})

    def _stack(self, name) -> dict:
        stack = self.db.stack_get_by_name('test', name)
        self.test.assertIsNotNone(stack, 'stack %s does not exist' % name)
        return stack

    def _identity(self, name) -> dict:
        stack = self._stack(name)
        return {'stack_name': name, 'stack_id': stack['id'],
                'tenant': 'test', 'path': ''}

    # --- the event loop --------------------------------------------------------

    def run(self, max_steps: int = 1000) -> None:
        """Engine one operation, worker one message, until both are empty."""
        for _ in range(max_steps):
            engine_busy = bool(self.engine_queue)
            if engine_busy:
                self.engine_queue.popleft()()
                self._label_current_traversal()
            worker_busy = bool(self.messenger.queue)
            if worker_busy:
                message = self.messenger.queue.popleft()
                self.trace.append(self._describe(message))
                self._run_message(message)
            if not engine_busy and not worker_busy:
                return
        self.test.fail('scenario did not settle in %d steps' % max_steps)

    def _run_message(self, message) -> None:
        _, traversal_id, _, _ = message
        stack = self.db.stack_get_by_name('test', STACK_NAME)
        stale = stack is None or stack['current_traversal'] != traversal_id
        before = {pid: dict(found) for pid, found
                  in self.reality.all_resources().items()}
        try:
            check_resource.check_resource(self.rt, *message)
        except SimulatedDeath:
            self._engine_died()
        self.steps.append(Step(self.trace[-1], self._label(traversal_id),
                               stale, _effect(before, self.reality)))

    # --- faults and recovery ---------------------------------------------------

    def die_during(self, logical_name: str, action: str) -> None:
        """The engine dies when it starts ``action`` on ``logical_name``:
        the row stays locked by it and later messages go to a new engine."""
        ScenarioResource.deaths.add((logical_name, action))

    def _engine_died(self) -> None:
        self.dead_engines.append(self.rt.engine_id)
        self.rt.engine_id = 'engine-%d' % (len(self.dead_engines) + 1)

    def lose_messages(self) -> None:
        """Queue a step that loses every message not yet delivered."""
        self.call(self.messenger.queue.clear)

    def recover(self, engine_id: str | None = None, seconds_later: float = 0,
                down_after: float = RECOVERY_DOWN_TIME) -> None:
        """Queue a recovery pass by a live engine, as if a whole down time
        (plus ``seconds_later``) had passed since the last write."""
        self.call(self.sweep, engine_id, seconds_later, down_after)

    def sweep(self, engine_id=None, seconds_later=0,
              down_after=RECOVERY_DOWN_TIME):
        """Run one recovery pass now; returns what it did."""
        engine_id = engine_id or self.rt.engine_id
        self.db.service_report(engine_id, {'host': 'scenario'})
        beat = next(s['updated_at'] for s in self.db.service_list()
                    if s['engine_id'] == engine_id)
        rt = dataclasses.replace(self.rt, engine_id=engine_id)
        keeper = sweeper.Sweeper(rt, 1, down_after,
                                 healthy_since=datetime.datetime.min)
        now = beat + datetime.timedelta(seconds=down_after + seconds_later,
                                        microseconds=-1)
        done = keeper.sweep(now=now)
        self.sweeps.append(done)
        return done

    def _label_current_traversal(self) -> None:
        stack = self.db.stack_get_by_name('test', STACK_NAME)
        if stack is not None and stack['current_traversal']:
            self._label(stack['current_traversal'])

    def _label(self, traversal_id: str) -> str:
        return self._traversal_labels.setdefault(
            traversal_id, 'T%d' % (len(self._traversal_labels) + 1))

    def _describe(self, message) -> str:
        resource_id, traversal_id, _, is_update = message
        row = self.db.resource_get(resource_id)
        name = row['name'] if row else '?'
        return '%s:%s#%d' % ('U' if is_update else 'C', name, resource_id)

    # --- checks ------------------------------------------------------------------

    def verify(self, tmpl: Template) -> None:
        """The cloud holds exactly the template, with the right values."""
        live = self.reality.all_resources()
        by_name = {}
        for physical_id, found in live.items():
            by_name.setdefault(found['name'], []).append(
                (physical_id, found['props']))
        self.test.assertEqual(sorted(tmpl.resources), sorted(by_name),
                              'live resources differ from the template')
        for name, defn in tmpl.resources.items():
            self.test.assertEqual(
                1, len(by_name[name]),
                'resource %s has %d physical resources' % (
                    name, len(by_name[name])))
            _, props = by_name[name][0]
            expected = {k: self._expected_value(v, by_name)
                        for k, v in defn.props.items()}
            self.test.assertEqual(expected, props,
                                  'properties of %s differ' % name)

    def _expected_value(self, value, by_name):
        if isinstance(value, GetRes):
            return by_name[value.name][0][0]
        if isinstance(value, GetAtt):
            return by_name[value.name][0][1].get(value.attr)
        return value

    def count(self, name: str) -> int:
        """How many physical resources the cloud holds for a logical name."""
        return len(self.reality.resources_by_logical_name(name))

    def physical_ids(self, name: str) -> set[str]:
        """The physical ids the cloud holds for a logical name."""
        return set(self.reality.resources_by_logical_name(name))

    def props(self, name: str) -> dict:
        """The properties of the single physical resource of a name."""
        found = list(self.reality.resources_by_logical_name(name).values())
        self.test.assertEqual(1, len(found), 'physical resources of %s' % name)
        return found[0]['props']

    def assert_total(self, expected: int) -> None:
        """The cloud holds ``expected`` physical resources in all."""
        self.test.assertEqual(expected, len(self.reality.all_resources()),
                              'physical resources in the cloud')

    def assert_counts(self, expected: dict[str, int]) -> None:
        """The cloud holds so many physical resources for each name."""
        self.test.assertEqual(expected,
                              {name: self.count(name) for name in expected})

    def note_ids(self, *names: str, same_step: bool = False
                 ) -> dict[str, set[str]]:
        """Queue a note of the physical ids of ``names``: a step of its own
        (as Heat's ``store_c_uuid``) or, with ``same_step``, added to the
        last queued operation.

        Returns the dict the note fills in when its turn comes.
        """
        noted: dict[str, set[str]] = {}
        queue = self.also if same_step else self.call
        queue(lambda: noted.update(
            {name: self.physical_ids(name) for name in names}))
        return noted

    def note_rows(self, *names: str) -> dict[str, int]:
        """Queue a note (added to the last queued step) of the row id of
        each of ``names``; returns the dict it fills in."""
        noted: dict[str, int] = {}
        self.also(lambda: noted.update(
            {name: self.rows(name)[0]['id'] for name in names}))
        return noted

    def first_step(self, effect: str) -> int:
        """The index in ``steps`` of the first message that did ``effect``
        (e.g. 'delete C'); fails the test if none did."""
        for index, step in enumerate(self.steps):
            if effect in step.effect:
                return index
        self.test.fail('no message did %r' % effect)

    def stale_steps(self) -> list[Step]:
        """The messages that arrived after their traversal was superseded."""
        return [step for step in self.steps if step.stale]

    def assert_stale_did_nothing(self, expected_count: int | None = None):
        """Stale messages touched nothing in the cloud (and, if given, that
        exactly ``expected_count`` of them arrived)."""
        stale = self.stale_steps()
        if expected_count is not None:
            self.test.assertEqual(expected_count, len(stale),
                                  'stale messages: %s' % (stale,))
        self.test.assertEqual([], [s for s in stale if s.effect],
                              'stale messages that acted on the cloud')

    def stack_state(self, name: str = STACK_NAME):
        stack = self.db.stack_get_by_name('test', name)
        if stack is None:
            return None
        return '%s_%s' % (stack['action'], stack['status'])

    def assert_state(self, expected: str, name: str = STACK_NAME) -> None:
        """The stack reports ``expected``, e.g. 'UPDATE_COMPLETE'."""
        self.test.assertEqual(expected, self.stack_state(name))

    def assert_deleted(self, name: str = STACK_NAME) -> None:
        """The stack finished DELETE_COMPLETE, is soft-deleted and has no
        resource rows left."""
        stacks = [s for s in self.db.stack_list('test', show_deleted=True)
                  if s['name'] == name]
        self.test.assertEqual(1, len(stacks), 'stacks named %s' % name)
        stack = stacks[0]
        self.test.assertEqual(
            'DELETE_COMPLETE', '%s_%s' % (stack['action'], stack['status']))
        self.test.assertIsNotNone(stack['deleted_at'])
        self.test.assertEqual(
            [], self.db.resources_of_stack(stack['id'], active_only=False))

    def rows(self, logical_name: str, name: str = STACK_NAME) -> list[dict]:
        """The stack's database rows for a logical name, deleted ones too."""
        stack = self._stack(name)
        return [r for r in self.db.resources_of_stack(stack['id'],
                                                      active_only=False)
                if r['name'] == logical_name]

    def describe(self) -> str:
        """The steps so far, one per line, for failure reports."""
        return '\n'.join('%3d %s/%s%s %s' % (
            i + 1, step.node, step.traversal, ' stale' if step.stale else '',
            ', '.join(step.effect) or '-')
            for i, step in enumerate(self.steps))


class ScenarioTestCase(testtools.TestCase):
    """A test with ``self.scenario``; a failure report carries its steps."""

    def setUp(self):
        super().setUp()
        self.scenario = Scenario(self)
        self.addOnException(lambda exc_info: self.addDetail(
            'steps', content.text_content(self.scenario.describe())))
