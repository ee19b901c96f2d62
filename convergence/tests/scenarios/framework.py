"""The scenario DSL of the convergence prototypes, on the real engine code.

A scenario queues engine operations (``create_stack``, ``update_stack``,
``noop(n)``, ``call(f)``...) and then runs an event loop in which each step
the engine handles one operation and the worker handles one
``check_resource`` message, strictly FIFO.  So "update while the third
resource is in flight" is written, and replayed, exactly.

Resources are ``Scenario::Resource`` plugins acting on a fake cloud
(``Reality``); ``verify(template)`` checks the cloud, never the database.
A property whose name contains ``!`` forces replacement when it changes;
attributes are the properties.
"""

import collections
import itertools
import types

from convergence import definitions
from convergence import events
from convergence import resources
from convergence import runtime
from convergence import stack as stack_ops
from convergence.engine import service
from convergence.resources import base
from convergence.rpc import context as rpc_context
from convergence.worker import check_resource
from db import api as db_api

RESOURCE_TYPE = 'Scenario::Resource'
STACK_NAME = 'foo'


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


class ScenarioResource(base.Resource):
    """Acts on the Reality given by the running scenario."""

    properties_schema = None
    retry_safe = True
    reality: Reality = None

    def handle_create(self):
        self.context.resource_id = self.reality.create(self.name,
                                                       self.properties)

    def check_create_complete(self, token):
        return True

    def handle_update(self, new_properties, prop_diff):
        self.reality.update(self.context.resource_id, new_properties)

    def check_update_complete(self, token):
        return True

    def handle_delete(self):
        if self.context.resource_id:
            self.reality.delete(self.context.resource_id)

    def check_delete_complete(self, token):
        return True

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


# --- the two queues ------------------------------------------------------------

class SteppedMessenger:
    """check_resource casts go to a FIFO the event loop drains one by one."""

    def __init__(self):
        self.queue = collections.deque()

    def cast_check_resource(self, resource_id, traversal_id, data, is_update):
        self.queue.append((resource_id, traversal_id, data, is_update))

    def cancel_remote(self, stack_id, engine_ids):
        pass


class FakeClock:
    """Scenario resources finish at once: time only moves when asked."""

    def __init__(self, deadline, cancelled):
        self._now = 0.0

    def now(self):
        return self._now

    def wait(self, seconds):
        self._now += max(seconds, 0.001)


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
        resources.register(RESOURCE_TYPE, ScenarioResource)
        self.db = db_api.Database('sqlite://')
        self.db.create_schema()
        self.messenger = SteppedMessenger()
        self.rt = runtime.Runtime(
            db=self.db, messenger=self.messenger, engine_id='engine-1',
            events=events.EventLog(self.db),
            definitions=definitions.DefinitionCache(self.db),
            clock_factory=FakeClock, spawn=_run_inline, sleep=_no_sleep)
        conf = types.SimpleNamespace(
            max_template_size=524288, max_resources_per_stack=1000,
            max_stacks_per_tenant=-1)
        self.engine_service = service.EngineService(self.rt, conf)
        self.context = rpc_context.RequestContext(project_id='test',
                                                  is_admin=True)
        self.engine_queue = collections.deque()
        self.trace: list[str] = []

    # --- engine operations, queued --------------------------------------------

    def create_stack(self, name, tmpl):
        self.engine_queue.append(lambda: self._create(name, tmpl))

    def update_stack(self, name, tmpl):
        self.engine_queue.append(lambda: self._update(name, tmpl))

    def delete_stack(self, name):
        self.engine_queue.append(lambda: self.engine_service.delete_stack(
            self.context, self._identity(name)))

    def rollback_stack(self, name):
        self.engine_queue.append(lambda: stack_ops.rollback(
            self.rt, self._stack(name)))

    def noop(self, count):
        for _ in range(count):
            self.engine_queue.append(lambda: None)

    def call(self, func, *args):
        self.engine_queue.append(lambda: func(*args))

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
            worker_busy = bool(self.messenger.queue)
            if worker_busy:
                message = self.messenger.queue.popleft()
                self.trace.append(self._describe(message))
                check_resource.check_resource(self.rt, *message)
            if not engine_busy and not worker_busy:
                return
        self.test.fail('scenario did not settle in %d steps' % max_steps)

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

    def stack_state(self, name: str = STACK_NAME):
        stack = self.db.stack_get_by_name('test', name)
        if stack is None:
            return None
        return '%s_%s' % (stack['action'], stack['status'])

