"""What an update would do to a stack's resources, worked out in memory.

heat-engine's ``preview_update_stack``: each resource of the stack and of
the goal sorted into added, deleted, replaced, updated and unchanged
(``preview_changes``).  A resource both have is decided by the rule its
update node follows (``worker/update_choice``): the row's state first (a
row with no resource yet is created: added; a deleted row or a changed
type: replaced), then the plugin's ``plan_update`` with the goal's
properties, resolved against the stack as it stands.  What the plugin
only finds out while acting (``handle_update`` raising UpdateReplace) a
preview cannot know, nor does Heat's.

With ``show_nested`` the child stacks are previewed too, each item naming
its ``parent_resource``, as Heat 27 does: an updated nested stack
resource's child against the goal its plugin would build now, the whole
child of an added or replaced one as added, and the whole current child of
a deleted or replaced one as deleted.

As in Heat, unchanged, replaced and added items show the goal's resource
(not created yet: ``INIT``/``COMPLETE``); updated and deleted items show
the resource as it is.  Nothing is stored.
"""

from convergence import definitions
from convergence import exceptions
from convergence import resources
from convergence import template as tmpl
from convergence.engine import preview
from convergence.engine import preview_changes as changes_mod
from convergence.engine import views
from convergence.resources import base as plugin_base
from convergence.worker import update_choice

ADDED, DELETED, REPLACED, UPDATED, UNCHANGED = (
    changes_mod.ADDED, changes_mod.DELETED, changes_mod.REPLACED,
    changes_mod.UPDATED, changes_mod.UNCHANGED)
_PLANNED = {plugin_base.NO_CHANGE: UNCHANGED, plugin_base.IN_PLACE: UPDATED,
            plugin_base.REPLACE: REPLACED}


def changes(reader, stack: dict, goal: tmpl.StackDefinition,
            show_nested: bool) -> dict[str, list[dict]]:
    """``{added, deleted, replaced, updated, unchanged}``: lists of
    resources as ``describe_stack_resource`` shows them.

    ``reader``: the engine's queries (rows as shown, live attributes).

    Raises:
        NotSupported: the update would change an immutable property.
        StackValidationFailed: a child stack the update would build is
            invalid.
    """
    found = {change: [] for change in changes_mod.CHANGES}
    _Level(reader, stack, goal, show_nested, 0, found).preview()
    return found


class _Level:
    """One stack of the tree against its goal, adding what it finds to
    ``found``."""

    def __init__(self, reader, stack: dict, goal: tmpl.StackDefinition,
                 show_nested: bool, depth: int, found: dict):
        self.reader, self.rt = reader, reader.rt
        self.stack, self.goal = stack, goal
        self.show_nested, self.depth, self.found = show_nested, depth, found
        self.current = self.rt.definitions.get(stack['raw_template_id'],
                                               stack)
        self.rows = views.displayed_rows(
            self.rt.db.resources_of_stack(stack['id']), stack)
        self.standing = _Standing(reader, stack, self.rows, goal)
        # Nested stack resources updated in place: name -> (plugin with
        # the goal's properties, the resolver they were resolved with).
        self.updated_nested: dict[str, tuple] = {}

    def preview(self) -> None:
        names = self.current.resource_names() + list(self.rows)
        verdicts = changes_mod.classify(names, self.goal.resource_names(),
                                        self.goal.dependencies(),
                                        self._decide)
        self._report(verdicts)
        if self.show_nested:
            self._nested(verdicts)

    # --- deciding ---

    def _decide(self, name: str, renewed: frozenset) -> str:
        row = self.rows.get(name)
        if row is None:
            return ADDED
        defn = self.goal.resource_definition(name)
        cls = preview.plugin_class(defn, self.goal)
        nested = getattr(cls, 'nested', False)
        step = update_choice.by_row(row, defn, None, nested)
        if step == update_choice.CREATE:
            return ADDED
        if step in (update_choice.REPLACE_DELETED,
                    update_choice.REPLACE_TYPE):
            return REPLACED
        resolver = self.standing.resolver(renewed)
        try:
            props = preview.properties(cls, defn, resolver)
        except exceptions.StackValidationFailed:
            # Values only the update will know (a requirement replaced, an
            # attribute that changes): Heat counts properties it cannot
            # compare as an update.
            return UPDATED
        stored = preview.goal_plugin(self.stack, defn, self.goal,
                                     row['properties_data'] or {}, row)
        try:
            child = (self.rt.db.stack_get(stored.resource_id,
                                          show_deleted=False)
                     if getattr(stored, 'nested', False) and stored.resource_id
                     else None)
            verdict = _PLANNED[update_choice.plan(stored, row, props,
                                                  child).decision]
        except exceptions.ResourceFailure as exc:
            raise exceptions.NotSupported(
                message=exc.kwargs.get('reason', exc.message)) from None
        if verdict == UPDATED and nested:
            self.updated_nested[name] = (preview.goal_plugin(
                self.stack, defn, self.goal, props, row, rt=self.rt),
                resolver)
        return verdict

    # --- reporting ---

    def _report(self, verdicts: dict[str, list[str]]) -> None:
        shown_before = views.required_by(self.current.dependencies())
        needed = views.required_by(self.goal.dependencies())
        for change in (UPDATED, DELETED):
            self.found[change].extend(
                self.reader.resource_detail(self.rows[n], self.stack,
                                            required_by=shown_before)
                for n in verdicts[change] if n in self.rows)
        for change in (UNCHANGED, REPLACED, ADDED):
            self.found[change].extend(
                self._goal_item(n, needed) for n in verdicts[change])

    def _goal_item(self, name: str, needed: dict) -> dict:
        defn = self.goal.resource_definition(name)
        return preview.new_resource(
            self.stack, defn, preview.plugin_class(defn, self.goal),
            needed.get(name, []), self.standing.resolver(frozenset()))

    # --- the children ---

    def _nested(self, verdicts: dict[str, list[str]]) -> None:
        for name in verdicts[DELETED] + verdicts[REPLACED]:
            child = self._child_of(self.rows.get(name))
            if child is not None:
                self._all_deleted(child)
        for name in verdicts[ADDED] + verdicts[REPLACED]:
            self._all_added(name)
        for name, (plugin, resolver) in self.updated_nested.items():
            child = self._child_of(self.rows[name])
            if child is None:
                continue
            defn = self.goal.resource_definition(name)
            goal = preview.child_goal(self.rt, plugin, defn, resolver,
                                      child, self.depth + 1)
            _Level(self.reader, child, goal, True, self.depth + 1,
                   self.found).preview()

    def _child_of(self, row: dict | None) -> dict | None:
        """The live child stack of a nested stack resource's row."""
        if row is None or not row['physical_resource_id'] or (
                not resources.is_nested(row['type'])):
            return None
        return self.rt.db.stack_get(row['physical_resource_id'],
                                    show_deleted=False)

    def _all_deleted(self, stack: dict) -> None:
        """Every resource of ``stack`` and of the stacks below it."""
        rows = views.displayed_rows(
            self.rt.db.resources_of_stack(stack['id']), stack)
        needed = self.reader.required_by(stack)
        for row in rows.values():
            self.found[DELETED].append(self.reader.resource_detail(
                row, stack, required_by=needed))
            child = self._child_of(row)
            if child is not None:
                self._all_deleted(child)

    def _all_added(self, name: str) -> None:
        """The child a new nested stack resource would create, all of it."""
        defn = self.goal.resource_definition(name)
        cls = preview.plugin_class(defn, self.goal)
        if not getattr(cls, 'nested', False):
            return
        resolver = self.standing.resolver(frozenset())
        try:
            props = preview.properties(cls, defn, resolver)
        except exceptions.StackValidationFailed:
            return  # the child is known only once the update resolves them
        child = preview.new_child(self.rt, self.stack, defn, self.goal,
                                  props, resolver, self.depth)
        self.found[ADDED].extend(preview.flattened(preview.new_stack_resources(
            self.rt, child, preview.child_stack(self.stack, name),
            self.depth + 1)))


class _Standing:
    """What the goal's properties read of the stack as it stands: each
    resource's reference and attributes as its row stored them (or, for an
    attribute the stack did not read before, as a show resolves it now)."""

    def __init__(self, reader, stack: dict, rows: dict[str, dict],
                 goal: tmpl.StackDefinition):
        self._reader, self._stack, self._rows = reader, stack, rows
        self._goal = goal
        self._data: dict[str, dict | None] = {}

    def resolver(self, renewed: frozenset) -> definitions.TriggerDataResolver:
        """A resolver for a resource whose requirements ``renewed`` get a
        new physical resource: those read as not created yet."""
        return _StandingResolver(self, renewed)

    def node_data(self, name: str) -> dict | None:
        if name not in self._data:
            self._data[name] = self._read(name)
        return self._data[name]

    def _read(self, name: str) -> dict | None:
        row = self._rows.get(name)
        if row is None or not row.get('attr_data'):
            return None
        data = definitions.stored_node_data(row)
        wanted = self._goal.referenced_attributes(name)
        if '*' in wanted or wanted - set(data['attrs']):
            live = self._reader.live_attributes(row, self._stack,
                                                wanted - {'*'})
            data['attrs'] = dict(live, **data['attrs'])
        return data


class _StandingResolver(definitions.TriggerDataResolver):
    def __init__(self, standing: _Standing, renewed: frozenset):
        super().__init__({})
        self._standing, self._renewed = standing, renewed

    def node_data(self, name: str) -> dict | None:
        if name in self._renewed:
            return None
        return self._standing.node_data(name)
