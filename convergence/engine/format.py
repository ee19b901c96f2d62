"""The result shapes heat-engine returns over RPC, built from our rows.

Pure functions: rows come in as plain dicts with the column names of
``db/models.py``, plus what only the engine knows (display parameters,
template description, resolved outputs, ``required_by`` names, attribute
values).  The keys are Heat's (``heat/rpc/api.py``), so heat-api's views and
ours render them alike.  Action and status stay separate here; the API view
joins them into ``<ACTION>_<STATUS>``.

Signatures (see docs/engine-rpc.md for which RPC call returns which):

* ``isotime(value) -> str | None``
* ``stack_identity(stack) -> dict``;
  ``resource_identity(stack, resource_name) -> dict``;
  ``event_identity(stack, resource_name, event_uuid) -> dict``
* ``format_stack(stack, parameters, description, outputs=None, parent=None,
  preview=False)`` (show_stack item; ``outputs=None`` leaves the key out)
* ``format_stack_summary(stack, parent=None)`` (list_stacks item)
* ``format_stack_output(key, description=None, value=None, error=None,
  resolve_value=True)`` and ``format_stack_outputs(outputs,
  resolve_value=False)``
* ``format_stack_resource(resource, stack, required_by, detail=False,
  description='', metadata=None, attributes=None, properties=None,
  nested_stack=None, parent_resource=None)``
* ``format_event(event, stack, include_properties=False, root_stack=None)``
* ``format_validate_parameter(name, schema, user_value=None)`` and
  ``format_validate_result(description, parameters, environment,
  parameter_groups=None, user_values=None)``
"""

import datetime
from typing import Any, Iterable, Mapping

Row = Mapping[str, Any]

NO_OUTPUT_DESCRIPTION = 'No description given'
NO_TEMPLATE_DESCRIPTION = 'No description'


def isotime(value: datetime.datetime | str | None) -> str | None:
    """Heat's timestamp text, ``YYYY-MM-DDTHH:MM:SSZ``, for a UTC time."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value.rstrip('Z'))
    return value.strftime('%Y-%m-%dT%H:%M:%SZ')


# --- identities ---

def stack_identity(stack: Row, path: str = '') -> dict:
    """A stack's HeatIdentifier as a dict (``path`` selects a sub-entity)."""
    return {'tenant': stack['tenant'], 'stack_name': stack['name'],
            'stack_id': stack['id'], 'path': path}


def resource_identity(stack: Row, resource_name: str) -> dict:
    """The identity of a resource: its stack's plus ``/resources/<name>``."""
    return stack_identity(stack, '/resources/%s' % resource_name)


def event_identity(stack: Row, resource_name: str, event_uuid: str) -> dict:
    """The identity of an event, filed under the resource it is about."""
    return stack_identity(
        stack, '/resources/%s/events/%s' % (resource_name, event_uuid))


# --- stacks ---

def _common_stack_keys(stack: Row, parent: str | None) -> dict:
    return {
        'stack_owner': stack.get('username'),
        'parent': parent,
        'stack_user_project_id': stack['tenant'],
    }


def _state(stack: Row) -> dict:
    return {'stack_action': stack['action'] or '',
            'stack_status': stack['status'] or '',
            'stack_status_reason': stack.get('status_reason')}


def format_stack(stack: Row, parameters: Mapping[str, str],
                 description: str | None,
                 outputs: list[dict] | None = None,
                 parent: str | None = None, preview: bool = False) -> dict:
    """The detailed view of one stack (an item of ``show_stack``'s list).

    ``parameters`` are display strings (pseudo-parameters included, hidden
    ones masked). ``outputs`` is the list of ``format_stack_output`` dicts
    or None to leave the key out (``resolve_outputs=False`` or a
    DELETE_COMPLETE stack).  A ``preview`` (of a stack not created) has no
    state and no stack user project, as in Heat.
    """
    description = description or NO_TEMPLATE_DESCRIPTION
    info = {
        'stack_name': stack['name'],
        'stack_identity': stack_identity(stack),
        'creation_time': isotime(stack['created_at']),
        'updated_time': isotime(stack.get('updated_at')),
        'deletion_time': isotime(stack.get('deleted_at')),
        'notification_topics': [],
        'parameters': dict(parameters),
        'description': description,
        'template_description': description,
        'capabilities': [],
        'disable_rollback': bool(stack.get('disable_rollback', True)),
        'timeout_mins': stack.get('timeout'),
    }
    info.update(_common_stack_keys(stack, parent))
    info['tags'] = list(stack.get('tags') or [])
    if preview:
        info['stack_user_project_id'] = None
    else:
        info.update(_state(stack))
    if outputs is not None:
        info['outputs'] = list(outputs)
    return info


def format_stack_summary(stack: Row, parent: str | None = None) -> dict:
    """One item of ``list_stacks``: the stack row only, no template needed."""
    info = {
        'stack_identity': stack_identity(stack),
        'stack_name': stack['name'],
        'description': '',
    }
    info.update(_state(stack))
    info.update({
        'creation_time': isotime(stack['created_at']),
        'updated_time': isotime(stack.get('updated_at')),
        'deletion_time': isotime(stack.get('deleted_at')),
    })
    info.update(_common_stack_keys(stack, parent))
    info['tags'] = list(stack['tags']) if stack.get('tags') else None
    return info


# --- outputs ---

def format_stack_output(key: str, description: str | None = None,
                        value: Any = None, error: str | None = None,
                        resolve_value: bool = True) -> dict:
    """One output; with ``resolve_value`` it carries its value (or error)."""
    result = {'output_key': key,
              'description': description or NO_OUTPUT_DESCRIPTION}
    if resolve_value:
        if error is not None:
            result['output_error'] = str(error)
            value = None
        result['output_value'] = value
    return result


def format_stack_outputs(outputs: Iterable[Mapping[str, Any]],
                         resolve_value: bool = False) -> list[dict]:
    """Outputs given as dicts ``{key, description?, value?, error?}``."""
    return [format_stack_output(o['key'], o.get('description'),
                                o.get('value'), o.get('error'), resolve_value)
            for o in outputs]


# --- resources ---

def format_stack_resource(resource: Row, stack: Row,
                          required_by: Iterable[str], detail: bool = False,
                          description: str = '',
                          metadata: Mapping | None = None,
                          attributes: Mapping | None = None,
                          properties: Mapping | None = None,
                          nested_stack: Row | None = None,
                          parent_resource: str | None = None) -> dict:
    """One resource row as heat-engine shows it.

    ``detail`` adds ``description``, ``metadata`` and, unless
    ``attributes`` is None, ``attributes`` (describe_stack_resource and
    ``with_detail`` lists). ``properties`` (if given) is added as is.
    ``nested_stack`` is the row of the stack this resource owns, if any.
    """
    name = resource['name']
    created = resource['created_at']
    res = {
        'updated_time': isotime(resource.get('updated_at') or created),
        'creation_time': isotime(created),
        'resource_name': name,
        'physical_resource_id': resource.get('physical_resource_id') or '',
        'resource_action': resource['action'],
        'resource_status': resource['status'],
        'resource_status_reason': resource.get('status_reason') or '',
        'resource_type': resource.get('declared_type') or resource['type'],
        'resource_identity': resource_identity(stack, name),
        'stack_identity': stack_identity(stack),
        'stack_name': stack['name'],
        'required_by': list(required_by),
    }
    if nested_stack is not None:
        res['nested_stack_id'] = stack_identity(nested_stack)
    if parent_resource:
        res['parent_resource'] = parent_resource
    if detail:
        res['description'] = description or ''
        res['metadata'] = dict(metadata or {})
        if attributes is not None:
            res['attributes'] = dict(attributes)
    if properties is not None:
        res['properties'] = dict(properties)
    return res


# --- events ---

def format_snapshot(snapshot: Row) -> dict:
    """heat-engine's ``format_snapshot``: a snapshot row as the API shows
    it (``action`` CREATE while it is taken, DELETE while deleted)."""
    return {'id': snapshot['id'], 'name': snapshot['name'],
            'action': snapshot['action'], 'status': snapshot['status'],
            'status_reason': snapshot['status_reason'],
            'data': snapshot['data'],
            'creation_time': isotime(snapshot['created_at'])}


def format_event(event: Row, stack: Row, include_properties: bool = False,
                 root_stack: Row | None = None) -> dict:
    """One event row; ``include_properties`` for the single-event view."""
    result = {
        'event_identity': event_identity(stack, event['resource_name'],
                                         event['uuid']),
        'stack_identity': stack_identity(stack),
        'stack_name': stack['name'],
        'event_time': isotime(event['created_at']),
        'resource_name': event['resource_name'],
        'physical_resource_id': event.get('physical_resource_id'),
        'resource_action': event.get('resource_action'),
        'resource_status': event.get('resource_status'),
        'resource_status_reason': event.get('resource_status_reason'),
        'resource_type': event.get('resource_type'),
    }
    if root_stack is not None:
        result['root_stack_id'] = stack_identity(root_stack)
    if include_properties:
        result['resource_properties'] = event.get('resource_properties') or {}
    return result


# --- validate ---

_API_TYPES = {
    'string': 'String', 'number': 'Number', 'json': 'Json',
    'comma_delimited_list': 'CommaDelimitedList', 'boolean': 'Boolean',
}
# HOT constraint -> the validate keys its bounds fill.
_RANGE_KEYS = {
    'length': ('MinLength', 'MaxLength', 'min', 'max'),
    'range': ('MinValue', 'MaxValue', 'min', 'max'),
    'modulo': ('Step', 'Offset', 'step', 'offset'),
}
# CFN parameter key -> HOT constraint it stands for.
_CFN_CONSTRAINTS = (
    ('AllowedValues', 'allowed_values'), ('AllowedPattern', 'allowed_pattern'),
    ('MinLength', 'length', 'min'), ('MaxLength', 'length', 'max'),
    ('MinValue', 'range', 'min'), ('MaxValue', 'range', 'max'),
)


def _hot_schema(schema: Mapping[str, Any]) -> dict:
    """A CFN parameter schema (``Type``, ``NoEcho``…) in HOT spelling."""
    if 'Type' not in schema:
        return dict(schema)
    desc = schema.get('ConstraintDescription')
    constraints = []
    for key, kind, *bound in _CFN_CONSTRAINTS:
        if key in schema:
            value = {bound[0]: schema[key]} if bound else schema[key]
            constraints.append({kind: value, 'description': desc})
    hot = {'type': schema['Type'], 'description': schema.get('Description'),
           'label': schema.get('Label'),
           'hidden': str(schema.get('NoEcho', 'false')).lower() == 'true',
           'constraints': constraints}
    if 'Default' in schema:
        hot['default'] = schema['Default']
    return hot


def _constraint_keys(constraint: Mapping[str, Any]) -> dict:
    res = {}
    for kind, value in constraint.items():
        if kind in _RANGE_KEYS:
            lo_key, hi_key, lo, hi = _RANGE_KEYS[kind]
            res.update({k: value[b] for k, b in ((lo_key, lo), (hi_key, hi))
                        if value.get(b) is not None})
        elif kind == 'allowed_values':
            res['AllowedValues'] = list(value)
        elif kind == 'allowed_pattern':
            res['AllowedPattern'] = value
        elif kind == 'custom_constraint':
            res['CustomConstraint'] = value
    return res


def format_validate_parameter(name: str, schema: Mapping[str, Any],
                              user_value: Any = None) -> dict:
    """One entry of validate_template's ``Parameters``.

    ``schema`` is the parameter's definition from the template, HOT
    (``type``, ``constraints``…) or CFN (``Type``, ``AllowedValues``…)
    spelling; ``user_value`` the value the user gave, if any.
    """
    hot = _hot_schema(schema)
    ptype = hot.get('type', 'string')
    res = {'Type': _API_TYPES.get(ptype, ptype),
           'Description': hot.get('description') or '',
           'NoEcho': 'true' if hot.get('hidden') else 'false',
           'Label': hot.get('label') or name}
    if 'default' in hot:
        res['Default'] = hot['default']
    if user_value:
        res['Value'] = user_value
    if hot.get('tags'):
        res['Tags'] = list(hot['tags'])
    descriptions = []
    for constraint in hot.get('constraints') or []:
        res.update(_constraint_keys(constraint))
        if constraint.get('description'):
            descriptions.append(constraint['description'])
    if descriptions:
        res['ConstraintDescription'] = ' '.join(descriptions)
    return res


def format_validate_result(description: str | None,
                           parameters: Mapping[str, Mapping[str, Any]],
                           environment: Mapping[str, Any] | None = None,
                           parameter_groups: list | None = None,
                           user_values: Mapping[str, Any] | None = None
                           ) -> dict:
    """validate_template's answer for a valid template.

    ``parameters`` maps names to their template definitions, in template
    order; ``environment`` is the stored-form environment (sections
    ``parameters``, ``parameter_defaults``, ``resource_registry``,
    ``event_sinks``).
    """
    user_values = user_values or {}
    result = {
        'Description': description or NO_TEMPLATE_DESCRIPTION,
        'Parameters': {n: format_validate_parameter(n, s, user_values.get(n))
                       for n, s in parameters.items()},
    }
    if parameter_groups:
        result['ParameterGroups'] = list(parameter_groups)
    result['Environment'] = dict(environment or {
        'resource_registry': {'resources': {}}, 'parameters': {},
        'parameter_defaults': {}, 'event_sinks': []})
    return result
