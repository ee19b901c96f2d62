"""Views of a stack definition for the API: validate output, masked
environment, and the immutable-parameter check of an update."""

from convergence import exceptions
from convergence.template.environment import (PARAMETER_DEFAULTS,
                                              PARAMETERS, RESOURCE_REGISTRY)
from convergence.template.parameters import API_TYPES, ParamSchema

MASK = '******'


def parameter_summary(schema: ParamSchema, default, user_value) -> dict:
    """One parameter as ``POST /validate`` describes it (Heat's keys)."""
    entry = {'Type': API_TYPES[schema.type],
             'Description': schema.description or '',
             'NoEcho': 'true' if schema.hidden else 'false',
             'Label': schema.label or schema.name}
    if default is not None:
        entry['Default'] = default
    if user_value:
        entry['Value'] = user_value
    if schema.tags:
        entry['Tags'] = schema.tags
    descriptions = []
    for constraint in schema.constraints:
        entry.update(constraint.summary())
        if constraint.description:
            descriptions.append(constraint.description)
    if descriptions:
        entry['ConstraintDescription'] = ' '.join(descriptions)
    return entry


# The resource types that name a template (Heat's registry registers
# each one used, as ``{type: type}``, in the stack's own environment).
TEMPLATE_TYPE_SUFFIXES = ('.yaml', '.template')


def template_summary(stack_defn) -> dict:
    """``{"Description", "Parameters", "ParameterGroups"?}`` of a stack
    definition, as ``POST /validate`` shows it and each of its nested
    stacks with ``show_nested``."""
    params = stack_defn.parameters
    result = {
        'Description': stack_defn.template.description,
        'Parameters': {
            name: parameter_summary(schema, params.default(name),
                                    params.user_values.get(name))
            for name, schema in params.schemas.items()},
    }
    groups = stack_defn.template.t.get('parameter_groups')
    if groups:
        result['ParameterGroups'] = groups
    return result


def validation_summary(stack_defn, nested: dict | None = None) -> dict:
    """``{"Description", "Parameters", "ParameterGroups"?,
    "NestedParameters"?, "Environment"}``; ``nested``: the nested stacks'
    summaries by resource name, when they are asked for."""
    result = template_summary(stack_defn)
    if nested:
        result['NestedParameters'] = nested
    env = stack_defn.environment.user_dict()
    env[PARAMETERS] = dict(stack_defn.user_params)
    registry = env.setdefault(RESOURCE_REGISTRY, {})
    for name in stack_defn.resource_names():
        declared = stack_defn.resource_definition(name).declared_type
        if declared.endswith(TEMPLATE_TYPE_SUFFIXES):
            registry.setdefault(declared, declared)
    result['Environment'] = env
    return result


def masked_environment(stack_defn) -> dict:
    """The stored environment with values of hidden parameters masked."""
    env = stack_defn.environment.to_dict()
    schemas = stack_defn.parameters.schemas
    for section in (PARAMETERS, PARAMETER_DEFAULTS):
        for name in env[section]:
            if name in schemas and schemas[name].hidden:
                env[section][name] = MASK
    return env


def changed_immutable(old_defn, new_defn) -> list[str]:
    """Parameters immutable in the new template whose value changes."""
    old, new = old_defn.parameters, new_defn.parameters
    changed = []
    for name, schema in new.schemas.items():
        if not schema.immutable or name not in old.schemas:
            continue
        try:
            if old.value(name) != new.value(name):
                changed.append(name)
        except exceptions.ConvergenceError:
            # A missing or invalid value is reported by validation instead.
            continue
    return changed
