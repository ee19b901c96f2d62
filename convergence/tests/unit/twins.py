"""One node at a time on the scenario framework's in-memory twins.

The scenario framework gives a SQLite memory database, a stepped queue and
a fake cloud; here a test starts a stack operation, lets the worker run up
to the node it wants, and then runs that one node itself to look at its
``Outcome``.  ``Hooked`` resources run a test's hook as an action starts.
"""

from convergence import resources
from convergence.tests.scenarios import framework
from convergence.worker import check_resource
from convergence.worker.node import Node

HOOKED = 'Unit::Hooked'


class Hooked(framework.ScenarioResource):
    """A scenario resource that runs ``hooks[(name, action)]`` first."""

    hooks: dict = {}

    def _hook(self, action: str) -> None:
        hook = self.hooks.get((self.name, action))
        if hook is not None:
            hook(self)

    def handle_create(self):
        self._hook('CREATE')
        super().handle_create()

    def handle_update(self, new_properties, prop_diff):
        self._hook('UPDATE')
        super().handle_update(new_properties, prop_diff)

    def handle_delete(self):
        self._hook('DELETE')
        super().handle_delete()


def hot(resources_: dict) -> dict:
    """A HOT template of Hooked resources: {name: properties}."""
    return {'heat_template_version': '2015-10-15',
            'resources': {name: {'type': HOOKED, 'properties': props}
                          for name, props in resources_.items()}}


class NodeTestCase(framework.ScenarioTestCase):
    """Given a stack operation started, when one node runs, then..."""

    def setUp(self):
        super().setUp()
        resources.register(HOOKED, Hooked)
        self.addCleanup(resources.unregister, HOOKED)
        Hooked.hooks = {}
        self.sc = self.scenario
        self.db, self.rt = self.sc.db, self.sc.rt

    # --- given ---------------------------------------------------------------

    def create(self, resources_: dict) -> None:
        """Start creating the stack; its leaves' messages stay queued."""
        self.sc.engine_service.create_stack(
            self.sc.context, framework.STACK_NAME, hot(resources_),
            {'parameters': {}}, {}, {})

    def update(self, resources_: dict, registry: dict | None = None) -> None:
        """Start updating the stack; its leaves' messages stay queued."""
        env = {'parameters': {}}
        if registry is not None:
            env['resource_registry'] = registry
        self.sc.engine_service.update_stack(
            self.sc.context, self.sc._identity(framework.STACK_NAME),
            hot(resources_), env, {}, {})

    def converged(self, resources_: dict) -> None:
        """The stack was created and every message ran."""
        self.create(resources_)
        self.sc.run()
        self.sc.assert_state('CREATE_COMPLETE')

    def hook(self, name: str, action: str, hook) -> None:
        Hooked.hooks[(name, action)] = hook

    def message_of(self, name: str, is_update: bool = True) -> tuple:
        """Run queued messages until the one of ``name``'s node is next;
        take it off the queue and return it."""
        queue = self.sc.messenger.queue
        while queue:
            message = queue.popleft()
            row = self.db.resource_get(message[0])
            if row['name'] == name and message[3] == is_update:
                return message
            check_resource.check_resource(self.rt, *message)
        self.fail('no message for %s (is_update=%s)' % (name, is_update))

    def node(self, message: tuple) -> Node:
        resource_id, traversal_id, data, is_update = message
        row, stack = self.db.resource_and_stack(resource_id)
        return Node(self.rt, row, stack, traversal_id, data, is_update)

    # --- then ----------------------------------------------------------------

    def stack(self) -> dict:
        return self.db.stack_get_by_name('test', framework.STACK_NAME)

    def row(self, name: str) -> dict:
        """The row of ``name`` that no other replaces yet (the newest)."""
        return self.sc.rows(name)[-1]

    def events(self, name: str) -> list[tuple[str, str]]:
        return [(e['resource_action'], e['resource_status'])
                for e in self.db.events_list(self.stack()['id'], name)]

    def queued(self) -> list[tuple[int, bool]]:
        return [(m[0], m[3]) for m in self.sc.messenger.queue]
