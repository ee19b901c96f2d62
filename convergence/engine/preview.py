"""Resources that do not exist yet, as a preview shows them.

A preview builds everything in memory and stores nothing: the resources
of a goal definition with their properties resolved as far as the preview
knows them, and, for a nested stack resource, the child stack its plugin
would make, validated as its node would validate it.  Heat's shapes
(``format_stack_preview``, ``preview_update_stack``): a resource not
created yet is ``INIT``/``COMPLETE`` with no physical id and null
attributes; a stack not created yet has the id ``None``.
"""

import threading
import uuid

from convergence import definitions
from convergence import exceptions
from convergence import resource as rsrc_ops
from convergence import resources
from convergence import runtime
from convergence import states
from convergence import template as tmpl
from convergence.engine import format as fmt
from convergence.engine import nested_validation
from convergence.engine import stack_input
from convergence.engine import views
from convergence.nested import child as nested_child
from convergence.resources import base as plugin_base
from convergence.resources import properties as props_schema
from convergence.worker import sibling_lookup

# The id Heat shows for a stack that is only previewed (``str(None)``).
UNSTORED_ID = 'None'


def unstored_stack(name: str, tenant: str, parent_resource=None) -> dict:
    """The stack fields a preview item shows of a stack not created."""
    return {'id': UNSTORED_ID, 'name': name, 'tenant': tenant,
            'parent_resource': parent_resource}


def plugin_class(defn, goal: tmpl.StackDefinition) -> type:
    return resources.get_class(defn.type, goal.template.files)


def properties(cls: type, defn, resolver) -> dict:
    """The properties the resource's action would start with, normalized.

    Raises:
        StackValidationFailed: a resolved value is invalid (Heat's
            validation words it so too: ``Property error:
            resources.<name>.properties.<prop>: ...``).
    """
    return props_schema.validate_properties(cls, defn.name,
                                            defn.properties(resolver))


def goal_plugin(stack: dict, defn, goal: tmpl.StackDefinition,
                properties: dict, row: dict | None = None,
                rt=None) -> plugin_base.Resource:
    """The plugin of ``defn`` with ``properties``: on ``row`` when the
    resource exists, else as a new resource; with ``rt``, it finds the
    stack's resources by reference (``resource_by_refid``) as a preview
    knows them."""
    if row is None:
        row = {'name': defn.name, 'uuid': str(uuid.uuid4()),
               'physical_resource_id': None, 'rsrc_data': {}}
    clock = runtime.ActionClock(None, threading.Event())
    plugin = rsrc_ops.make_plugin(row, stack, defn.type, properties, clock,
                                  definition=goal)
    if rt is not None:
        plugin.context.resource_by_refid = _by_refid(rt, stack, goal)
    return plugin


def _by_refid(rt, stack: dict, goal: tmpl.StackDefinition):
    """Heat's ``resource_by_refid`` in a preview: a stored resource by its
    reference, else the goal's resource of that name (the reference of a
    resource not created yet, as in Heat)."""
    stored = (sibling_lookup.lookup(rt, stack, goal)
              if stack.get('id') != UNSTORED_ID else None)
    resolver = definitions.TriggerDataResolver({})

    def by_refid(ref: str) -> dict | None:
        found = stored(ref) if stored is not None else None
        if found is not None or ref not in goal.resource_names():
            return found
        defn = goal.resource_definition(ref)
        try:
            return {'name': ref, 'type': defn.type,
                    'properties': properties(plugin_class(defn, goal), defn,
                                             resolver),
                    'metadata': defn.resolved_metadata(resolver)}
        except exceptions.ConvergenceError:
            return None
    return by_refid


def child_goal(rt, plugin: plugin_base.Resource, defn, resolver,
               child: dict, depth: int) -> tmpl.StackDefinition:
    """The child stack ``plugin`` would converge ``child`` (a stack row, or
    an ``unstored_stack``) to, ``depth`` levels below the previewed stack,
    validated as its node validates it.

    Raises:
        StackValidationFailed: the child is invalid or too deep, named
            from the parent resource (``resources.<name><<file>>...``).
    """
    settings = rt.settings
    where = '%s.%s<%s>' % (
        'resources', defn.name,
        type(plugin).registry_template() or nested_validation.BUILT_CHILD)
    try:
        if depth > settings.max_nested_stack_depth:
            raise exceptions.RequestLimitExceeded(
                message='Recursion depth exceeds %d.'
                        % settings.max_nested_stack_depth)
        goal = nested_child.goal_of(
            plugin, (child['id'], child['name'], child['tenant']),
            nested_child.facade_of(defn, resolver))['definition']
        stack_input.validate(goal, settings.max_resources_per_stack,
                             settings.max_nested_stack_depth - depth)
    except exceptions.ConvergenceError as exc:
        raise nested_validation.nested_error(exc, where) from None
    return goal


def new_resource(stack: dict, defn, cls: type, required_by: list,
                 resolver, with_properties: dict | None = None) -> dict:
    """A resource of the goal that has no row yet (or whose row the update
    replaces), as Heat formats it; ``with_properties`` adds those."""
    row = {'name': defn.name, 'created_at': None, 'updated_at': None,
           'physical_resource_id': '', 'action': states.Action.INIT,
           'status': states.Status.COMPLETE, 'status_reason': '',
           'type': defn.type, 'declared_type': defn.declared_type}
    return fmt.format_stack_resource(
        row, stack, required_by, detail=True, description=defn.description,
        metadata=defn.resolved_metadata(resolver),
        attributes={name: None for name in cls.attributes_schema},
        properties=with_properties,
        parent_resource=stack.get('parent_resource'))


def new_stack_resources(rt, goal: tmpl.StackDefinition, stack: dict,
                        depth: int = 0) -> list:
    """Heat's ``preview_resources`` of a stack not created yet: an item
    per resource, with its properties; a nested stack resource stands as
    the list of its child's items, at any depth.

    ``stack``: an ``unstored_stack``; ``depth``: its level below the
    stack previewed.
    """
    resolver = definitions.TriggerDataResolver({})
    needed = views.required_by(goal.dependencies())
    items = []
    for name in goal.resource_names():
        defn = goal.resource_definition(name)
        cls = plugin_class(defn, goal)
        props = properties(cls, defn, resolver)
        if getattr(cls, 'nested', False):
            items.append(new_stack_resources(
                rt, new_child(rt, stack, defn, goal, props, resolver, depth),
                child_stack(stack, name), depth + 1))
        else:
            items.append(new_resource(stack, defn, cls, needed.get(name, []),
                                      resolver, props))
    return items


def new_child(rt, stack: dict, defn, goal: tmpl.StackDefinition,
              props: dict, resolver, depth: int) -> tmpl.StackDefinition:
    """The goal of the child a new nested stack resource would create."""
    plugin = goal_plugin(stack, defn, goal, props, rt=rt)
    return child_goal(rt, plugin, defn, resolver,
                      child_stack(stack, defn.name), depth + 1)


def child_stack(stack: dict, name: str) -> dict:
    """The child of resource ``name`` of ``stack``, not created yet; Heat
    names it ``<stack>-<resource>`` in a preview."""
    return unstored_stack('%s-%s' % (stack['name'], name), stack['tenant'],
                          parent_resource=name)


def flattened(items: list) -> list[dict]:
    """``new_stack_resources`` items with the nested lists spliced in."""
    flat = []
    for item in items:
        flat.extend(flattened(item) if isinstance(item, list) else [item])
    return flat
