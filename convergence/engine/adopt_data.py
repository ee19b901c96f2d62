"""What an adopt request carries: abandon data, read and checked.

An adopt creates a stack whose nodes take each resource over from its
entry (``resource_id``, ``resource_data``) instead of creating it.  The
entries are checked against the template before anything is stored, so a
request that could only adopt part of what it names is refused.
"""

import json

from convergence import exceptions
from convergence import states


def parse(raw) -> dict:
    """The adopt data, from the JSON text (or object) the client sent.

    Raises:
        BadRequest: it is not a JSON object whose ``resources`` is one.
    """
    try:
        data = json.loads(raw) if isinstance(raw, str) else raw
    except ValueError as exc:
        raise exceptions.BadRequest(reason='Invalid adopt data: %s' % exc)
    if not isinstance(data, dict) or not isinstance(
            data.get('resources', {}), dict):
        raise exceptions.BadRequest(
            reason='Invalid adopt data: it must be an object whose '
                   '"resources" is an object')
    return data


def with_parameters(params: dict, adopt: dict) -> dict:
    """The environment of the create: the adopt data's parameters, those
    the request gives over them (as Heat)."""
    params = dict(params or {})
    merged = dict(((adopt.get('environment') or {}).get('parameters')) or {})
    merged.update(params.get('parameters') or {})
    params['parameters'] = merged
    return params


def check(stack_def, adopt: dict) -> None:
    """Every entry names a resource of the template, of the same type.

    Raises:
        StackValidationFailed: an entry names a resource the template does
            not have or gives another type.
    """
    names = set(stack_def.resource_names())
    entries = adopt.get('resources') or {}
    unknown = sorted(set(entries) - names)
    if unknown:
        raise exceptions.StackValidationFailed(
            message='Adopt data names resources that are not in the '
                    'template: %s' % ', '.join(unknown))
    for name in sorted(names):
        defn = stack_def.resource_definition(name)
        entry = entries.get(name)
        given = entry.get('type') if isinstance(entry, dict) else None
        if given is not None and given not in (defn.type, defn.declared_type):
            raise exceptions.StackValidationFailed(
                message='Adopt data gives resource %s the type %s, the '
                        'template %s' % (name, given, defn.declared_type))


def seeded_rows(stack_def, adopt: dict, stack: dict) -> list[dict]:
    """The stack's first rows, each holding its resource's entry for its
    ADOPT node to take over (a nested stack resource's entry is its
    child's adopt data)."""
    entries = adopt.get('resources') or {}
    rows = []
    for name in stack_def.resource_names():
        defn = stack_def.resource_definition(name)
        entry = entries.get(name)
        rows.append(dict(
            states.fresh(), name=name, stack_id=stack['id'], type=defn.type,
            declared_type=defn.declared_type,
            current_template_id=stack['raw_template_id'], requires=[],
            adopt_data=entry if isinstance(entry, dict) else {}))
    return rows


def child_adopt(entry: dict | None) -> dict:
    """The adopt data of a nested stack resource's child, from the
    resource's entry (Heat's abandon data nests the child's document)."""
    entry = entry or {}
    return {'resources': entry.get('resources') or {}}
