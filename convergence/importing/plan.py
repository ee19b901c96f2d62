"""One tree of Heat's stacks as the rows we would store, or why not.

Pure (it parses templates and runs our plugins' attribute code, but reads
and writes no database).  ``plan_tree`` checks every stack of the tree and
builds every row; the first thing that cannot be brought over refuses the
whole tree (``Refused``), so a tree comes over whole or not at all.
"""

import dataclasses
import datetime

from convergence import definitions
from convergence import exceptions
from convergence import resources
from convergence import traversal as graph_plan
from convergence.engine import views
from convergence.importing import attributes
from convergence.importing import heat_crypt
from convergence.importing import heat_source
from convergence.importing import resource_data
from convergence.importing import rows as row_map
from convergence.importing import trees
from convergence.resources import properties as props_schema
from convergence.template import contains_unresolved

# Heat's stack columns wider than ours (db/models.py), and our width.
COLUMN_LIMITS = (('tenant', 64), ('username', 255))
# heat-manage's command that turns a legacy stack into a convergence one.
MIGRATE_LEGACY = 'heat-manage migrate_convergence_1 %s'


class Refused(Exception):
    """The tree cannot be brought over; the message says why."""


@dataclasses.dataclass
class ImportedTree:
    """Our rows for one tree, with Heat's ids as keys.

    ``templates`` and ``resources`` carry Heat's ids in ``id``; stacks'
    template ids and owner resource ids, resources' ``requires``,
    ``replaces``, ``replaced_by`` and ``current_template_id``, and the
    graph in ``current_deps`` name those keys: db/imports.py turns them
    into our ids as it inserts.
    """

    root_id: str
    stacks: list[dict]
    templates: list[dict]
    resources: list[dict]
    events: list[dict]
    snapshots: list[dict]
    # Stack ids the import turns from IN_PROGRESS to FAILED.
    repaired: list[str]


def plan_tree(tree: trees.Tree, dump: heat_source.HeatDump,
              encryption_key: str, now: datetime.datetime) -> ImportedTree:
    """Our rows for ``tree``.

    Raises:
        Refused: naming the stack and what of it cannot come over.
    """
    planner = _Planner(dump, encryption_key)
    for stack in tree.stacks:
        planner.check_stack(stack)
    for stack in tree.stacks:
        planner.map_stack(stack, tree.root['id'])
    for stack in reversed(tree.stacks):
        planner.compute_caches(stack)
    repaired = [s['id'] for s in tree.stacks if row_map.repaired(s)]
    events = [row_map.event(e, planner.event_properties(e))
              for s in tree.stacks for e in dump.events.get(s['id'], [])]
    for stack_id in repaired:
        events += row_map.repair_events(
            planner.stacks[stack_id], planner.rows[stack_id],
            {r['id'] for r in dump.resources.get(stack_id, [])
             if row_map.repaired(r)}, now)
    return ImportedTree(
        root_id=tree.root['id'], stacks=list(planner.stacks.values()),
        templates=list(planner.templates.values()),
        resources=[r for rs in planner.rows.values() for r in rs],
        events=events,
        snapshots=[_snapshot(s) for st in tree.stacks
                   for s in dump.snapshots.get(st['id'], [])],
        repaired=repaired)


def _snapshot(heat: dict) -> dict:
    """Our snapshot row for Heat's (the same document: the stack as
    abandon shows it); one a dead engine was taking comes over FAILED."""
    action, status, reason = row_map.state(
        heat['action'], heat['status'], heat['status_reason'], 'SNAPSHOT')
    return dict({k: heat[k] for k in ('id', 'stack_id', 'tenant', 'name',
                                      'data', 'created_at', 'updated_at')},
                action=action, status=status, status_reason=reason)


class _Planner:
    """The rows of one tree as they are built, per Heat stack id."""

    def __init__(self, dump: heat_source.HeatDump, key: str):
        self.dump = dump
        self.key = key
        self.stacks: dict[str, dict] = {}
        self.templates: dict[int, dict] = {}
        self.rows: dict[str, list[dict]] = {}
        self.outputs: dict[str, dict] = {}
        self._definitions: dict[int, object] = {}
        self._heat_rows = {r['id']: r for rs in dump.resources.values()
                           for r in rs}

    # --- checks that need no mapping ---

    def check_stack(self, stack: dict) -> None:
        where = _name(stack)
        if not stack['convergence']:
            raise Refused(
                '%s is a legacy (non-convergence) stack: convert it first '
                'with "%s"' % (where, MIGRATE_LEGACY % stack['id']))
        if stack['backup']:
            raise Refused('%s is a backup stack of a legacy update' % where)
        for column, limit in COLUMN_LIMITS:
            if len(stack[column] or '') > limit:
                raise Refused('%s: its %s is longer than the %d characters '
                              'we store' % (where, column, limit))

    # --- mapping ---

    def map_stack(self, stack: dict, root_id: str) -> None:
        owner_key, facade = self._owner(stack)
        self.stacks[stack['id']] = row_map.stack(
            stack, self.dump.tags.get(stack['id'], []), root_id, owner_key)
        heat_rows = [r for r in self.dump.resources.get(stack['id'], [])
                     if not row_map.is_gone(r)]
        template_ids = {stack['raw_template_id'],
                        stack['prev_raw_template_id']} | {
            r['current_template_id'] for r in heat_rows}
        for template_id in sorted(t for t in template_ids if t):
            self._template(stack, template_id, facade)
        goal = self._definition(stack, stack['raw_template_id'])
        self.rows[stack['id']] = [self._resource(stack, r) for r in heat_rows]
        self._graph(stack, goal)

    def _owner(self, stack: dict) -> tuple[int | None, dict | None]:
        """The owning resource's key and what resource_facade reads of it."""
        if stack['owner_id'] is None:
            return None, None
        owner = self.stacks[stack['owner_id']]
        candidates = [r for r in self.rows[owner['id']]
                      if r['name'] == stack['parent_resource_name']]
        chosen = [r for r in candidates
                  if r['physical_resource_id'] == stack['id']] or candidates
        if not chosen:
            raise Refused('%s: its owner %s has no resource %s' % (
                _name(stack), owner['id'], stack['parent_resource_name']))
        row = chosen[-1]
        owner_defn = self._definition(owner, row['current_template_id'])
        facade = owner_defn.resource_definition(row['name']).facade()
        facade['metadata'] = self._heat_rows[row['id']]['rsrc_metadata'] or {}
        return row['id'], facade

    def _template(self, stack: dict, template_id: int,
                  facade: dict | None) -> None:
        heat = self.dump.templates.get(template_id)
        if heat is None:
            raise Refused('%s: its template %s is missing' % (
                _name(stack), template_id))
        environment = heat['environment'] or {}
        if environment.get('encrypted_param_names'):
            raise Refused(
                '%s: parameters %s are encrypted (heat.conf '
                'encrypt_parameters_and_properties), which this engine '
                'does not do' % (_name(stack), ', '.join(
                    environment['encrypted_param_names'])))
        self.templates[template_id] = row_map.template(heat, stack['id'],
                                                       facade)
        self._definition(stack, template_id)

    def _definition(self, stack: dict, template_id: int):
        found = self._definitions.get(template_id)
        if found is None:
            raw = self.templates[template_id]
            try:
                found = definitions.build_definition(raw, stack)
                found.dependencies()
            except (exceptions.ConvergenceError, ValueError, TypeError) as exc:
                raise Refused('%s: its template cannot be used here: %s' % (
                    _name(stack), getattr(exc, 'message', exc)))
            self._definitions[template_id] = found
        return found

    def _resource(self, stack: dict, heat: dict) -> dict:
        where = '%s, resource %s' % (_name(stack), heat['name'])
        defn = self._definition(stack, heat['current_template_id'])
        if heat['name'] not in defn.resource_names():
            raise Refused('%s is not in its own template' % where)
        rdefn = defn.resource_definition(heat['name'])
        cls = self._plugin_class(where, rdefn.type, defn)
        try:
            data = resource_data.decrypted(
                self.dump.resource_data.get(heat['id'], []), self.key)
        except heat_crypt.DecryptionFailed as exc:
            raise Refused('%s: %s' % (where, exc))
        properties = self._properties(where, cls, heat)
        self._check_metadata(where, heat, rdefn)
        return row_map.resource(heat, stack, (rdefn.type, rdefn.declared_type),
                                properties, data)

    def _plugin_class(self, where: str, type_name: str, defn):
        try:
            cls = resources.get_class(type_name, defn.template.files)
        except exceptions.ResourceTypeNotFound:
            raise Refused(
                '%s: type %s has no plugin here (the types this engine has: '
                '%s, and provider templates)' % (
                    where, type_name, ', '.join(resources.type_names())))
        if type_name in resource_data.UNMAPPED:
            raise Refused('%s: a %s cannot be brought over: %s' % (
                where, type_name, resource_data.UNMAPPED[type_name]))
        return cls

    def _properties(self, where: str, cls, heat: dict) -> dict:
        if heat['action'] == 'INIT':
            return {}
        stored = self.dump.properties.get(heat['rsrc_prop_data_id'])
        if stored is not None and stored['encrypted']:
            raise Refused('%s: its properties are encrypted (heat.conf '
                          'encrypt_parameters_and_properties)' % where)
        if heat['properties_data_encrypted']:
            raise Refused('%s: its properties are encrypted' % where)
        data = stored['data'] if stored is not None else heat['properties_data']
        try:
            return props_schema.validate_properties(cls, heat['name'],
                                                    data or {})
        except exceptions.ConvergenceError as exc:
            raise Refused('%s: %s' % (where, exc.message))

    def _check_metadata(self, where: str, heat: dict, rdefn) -> None:
        """Our metadata is the template's; a row whose metadata a signal
        changed would lose it.  Metadata that reads other resources is
        resolved by our engine from the same data Heat's was: not judged."""
        stored = heat['rsrc_metadata'] or {}
        try:
            expected = rdefn.resolved_metadata() or {}
        except exceptions.ConvergenceError:
            expected = None
        if expected is not None and contains_unresolved(expected):
            return
        if stored and stored != expected:
            raise Refused('%s: its metadata was changed after the template '
                          'set it (by a signal?), which this engine does '
                          'not keep' % where)

    def _graph(self, stack: dict, goal) -> None:
        """The traversal graph of the stack's last operation, as ours
        would have stored it."""
        rows = self.rows[stack['id']]
        names = goal.resource_names()
        chosen = graph_plan.choose_rows(names, rows, stack['raw_template_id'],
                                        stack['raw_template_id'])
        missing = set(names) - set(chosen)
        deps = goal.dependencies()
        if missing and stack['action'] == 'DELETE':
            # A delete cut short: the rows it deleted are gone; the next
            # delete goes on from those left.
            deps = {n: {r for r in required if r in chosen}
                    for n, required in deps.items() if n in chosen}
        elif missing:
            raise Refused('%s: resources %s of its template have no row' % (
                _name(stack), ', '.join(sorted(missing))))
        graph = graph_plan.build_graph(
            deps, {n: r['id'] for n, r in chosen.items()}, rows)
        self.stacks[stack['id']]['current_deps'] = dict(
            graph_plan.graph_to_json(graph),
            traversal=stack['current_traversal'])

    # --- caches, children first ---

    def compute_caches(self, stack: dict) -> None:
        ours = self.stacks[stack['id']]
        goal = self._definitions[stack['raw_template_id']]
        rows = self.rows[stack['id']]
        for row in rows:
            if row['type'] == resource_data.GROUP_TYPE:
                row['rsrc_data'] = resource_data.group_data(
                    row['rsrc_data'], self._member_refs(row))
        heat_attrs = {}
        for heat in self.dump.resources.get(stack['id'], []):
            cached = self.dump.properties.get(heat['attr_data_id'])
            if cached is not None and not cached['encrypted']:
                heat_attrs[heat['id']] = cached['data']
        attributes.fill(ours, goal, rows, heat_attrs, self.outputs)
        self.outputs[stack['id']] = attributes.stack_outputs(ours, goal, rows)

    def _member_refs(self, row: dict) -> dict[str, str]:
        child = self.stacks.get(row['physical_resource_id'])
        if child is None:
            return {}
        shown = views.displayed_rows(self.rows[child['id']], child)
        return {name: (r['attr_data'] or {}).get('ref', r['physical_resource_id'])
                for name, r in shown.items()}

    def event_properties(self, event: dict) -> dict | None:
        stored = self.dump.properties.get(event['rsrc_prop_data_id'])
        if stored is None or stored['encrypted']:
            return None
        return stored['data']


def _name(stack: dict) -> str:
    return 'stack %s (%s)' % (stack['name'], stack['id'])
