"""``NestedParameters``: what ``POST /validate`` with ``show_nested`` adds.

As Heat's ``Stack.get_nested_parameters``: each resource that makes a
child stack (a provider template, a group, a chain) shows the child's
``Type`` (as the template declares it), ``Description``, ``Parameters``
(with the values the parent passes) and ``ParameterGroups``, and its own
``NestedParameters`` below it.  A child that cannot be known before its
parent's resources exist (its template follows from their values) is left
out, as is anything deeper than ``max_nested_stack_depth``.
"""

from convergence import exceptions
from convergence import resources
from convergence import template as tmpl
from convergence.engine import nested_validation
from convergence.resources import properties as props_schema
from convergence.template import summary


def nested_parameters(stack_def: tmpl.StackDefinition,
                      max_depth: int) -> dict:
    """The ``NestedParameters`` of ``stack_def`` by resource name (empty
    when no resource makes a child), for a tree validated already."""
    found = {}
    if max_depth <= 0:
        return found
    for name in stack_def.resource_names():
        child = _child(stack_def, name)
        if child is None:
            continue
        entry = {'Type': stack_def.resource_definition(name).declared_type}
        entry.update(summary.template_summary(child))
        below = nested_parameters(child, max_depth - 1)
        if below:
            entry['NestedParameters'] = below
        found[name] = entry
    return found


def _child(stack_def: tmpl.StackDefinition, name: str):
    try:
        return nested_validation.child_definition(
            stack_def, name, _properties(stack_def, name))
    except exceptions.ConvergenceError:
        # Validation let the tree through: what fails here depends on
        # values not known before the stack exists.
        return None


def _properties(stack_def: tmpl.StackDefinition, name: str) -> dict:
    """The resource's properties as far as they resolve now, keeping only
    those its type has (Heat passes a child only the parameters it
    declares; the validate API checks no property of a nested stack)."""
    defn = stack_def.resource_definition(name)
    cls = resources.get_class(defn.type, stack_def.template.files)
    schema = cls.properties_schema or {}
    try:
        raw = defn.properties()
    except exceptions.ConvergenceError:
        return {}
    known = {k: v for k, v in raw.items() if k in schema}
    try:
        return props_schema.validate_properties(cls, name, known)
    except exceptions.ConvergenceError:
        return known
