"""Property schemas and the validation that turns template values into inputs.

A resource type declares ``properties_schema``: property name -> ``Schema``.
``validate_properties`` checks a resource's properties against it and returns
the values a plugin works with: every declared property present (None when
unset and without default), defaults filled in, strings converted where Heat
converts them ("5" for a number, "TRUE" for a boolean).  Errors read exactly as
Heat's, e.g. ``Property error: resources.r.properties.p: Value 'x' is not an
integer``.

A value that is, or contains, UNRESOLVED is not known yet and is accepted as
it stands; maps and lists with a nested schema still have their known parts
checked.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from convergence.exceptions import InvalidSchemaError, StackValidationFailed
from convergence.resources.clock import Clock, WallClock
from convergence.resources.failures import resource_failure
from convergence.template import constraints as constr
from convergence.template.constraints import (ANY, BOOLEAN, INTEGER, LIST,
                                              MAP, NUMBER, STRING)
from convergence.template.constraints import PROPERTY_TYPES as TYPES
from convergence.template.unresolved import UNRESOLVED, contains_unresolved

# What an explicit null (or an unset property with a default) starts from.
_EMPTY = {STRING: '', NUMBER: 0, INTEGER: 0, BOOLEAN: False,
          LIST: [], MAP: {}, ANY: None}


@dataclass(frozen=True)
class Schema:
    """The declaration of one property (or of a list item / map entry).

    ``schema`` is a single Schema for the items of a list, or a dict of
    Schemas for the entries of a map.  ``update_allowed`` properties change in
    place; a change to any other property means replacement; a change to an
    ``immutable`` one is refused.
    """

    type: str
    description: str = ''
    default: Any = None
    required: bool = False
    update_allowed: bool = False
    immutable: bool = False
    constraints: tuple = field(default=())
    schema: 'Schema | dict[str, Schema] | None' = None
    hidden: bool = False
    implemented: bool = True

    def __post_init__(self):
        object.__setattr__(self, 'constraints', tuple(self.constraints))
        if self.type not in TYPES:
            raise InvalidSchemaError('Invalid type (%s)' % self.type)
        if self.update_allowed and self.immutable:
            raise InvalidSchemaError('Options update_allowed and immutable '
                                     'cannot both be True')
        for c in self.constraints:
            if self.type not in c.valid_types:
                raise InvalidSchemaError('%s constraint invalid for %s' % (
                    c.heat_name, self.type))
        self._check_nested()

    def _check_nested(self) -> None:
        if self.schema is None:
            return
        if self.type == LIST and isinstance(self.schema, Schema):
            return
        if self.type == MAP and isinstance(self.schema, dict):
            return
        raise InvalidSchemaError('Schema valid only for list (one item '
                                 'schema) or map (entry schemas), not %s'
                                 % self.type)


class _Invalid(Exception):
    """A property value is wrong; ``path`` leads to it from ``properties``.

    ``conversion``: the value is not of the property's type (rather than
    outside its constraints, missing or unknown).
    """

    def __init__(self, path: list, message: str, conversion: bool = False):
        super().__init__(message)
        self.path = path
        self.message = message
        self.conversion = conversion


def format_path(path: Sequence) -> str:
    """Heat's rendering of a value's location: ``a.b[0].c``."""
    text = ''
    for item in path:
        if isinstance(item, int) or str(item).isdigit():
            text += '[%s]' % item
        else:
            text += ('.%s' % item) if text else str(item)
    return text


# --- conversion of one value to its declared type ---

def _to_string(schema: Schema, value, path, clock) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, (bool, int)):
        return str(value)
    raise ValueError('Value must be a string; got %r' % (value,))


def _to_integer(schema: Schema, value, path, clock) -> int:
    if isinstance(value, float) and not value.is_integer():
        raise ValueError("Value '%s' is not an integer" % value)
    try:
        return int(value)
    except ValueError:
        raise ValueError("Value '%s' is not an integer" % value)


def _to_number(schema: Schema, value, path, clock) -> int | float:
    return constr.str_to_num(value)


def _to_boolean(schema: Schema, value, path, clock) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        lowered = value.lower()
        if lowered not in ('true', 'false'):
            raise ValueError('"%s" is not a valid boolean' % lowered)
        return lowered == 'true'
    raise TypeError('"%s" is not a valid boolean' % (value,))


def _to_map(schema: Schema, value, path, clock) -> dict:
    if not isinstance(value, Mapping):
        raise TypeError('"%s" is not a map' % (value,))
    if schema.schema is None:
        return dict(value)
    return _validate_entries(schema.schema, value, path, clock)


def _to_list(schema: Schema, value, path, clock) -> list:
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise TypeError('"%s" is not a list' % repr(value))
    if schema.schema is None:
        return list(value)
    return [_value(schema.schema, item, path + [i], clock)
            for i, item in enumerate(value)]


def _to_any(schema: Schema, value, path, clock):
    return value


_CONVERTERS = {STRING: _to_string, INTEGER: _to_integer, NUMBER: _to_number,
               BOOLEAN: _to_boolean, MAP: _to_map, LIST: _to_list,
               ANY: _to_any}


def _checkable_children(schema: Schema, value) -> bool:
    """True if a partly unknown value still has known parts worth checking."""
    if schema.type == MAP and isinstance(schema.schema, dict):
        return isinstance(value, Mapping)
    if schema.type == LIST and isinstance(schema.schema, Schema):
        return isinstance(value, Sequence) and not isinstance(value, str)
    return False


def _value(schema: Schema, value, path: list, clock: Clock):
    """Convert ``value`` (None: use the default) and apply the constraints."""
    if value is UNRESOLVED or (contains_unresolved(value) and
                               not _checkable_children(schema, value)):
        return value
    if value is None:
        value = schema.default if schema.default is not None else (
            _EMPTY[schema.type])
    try:
        converted = _CONVERTERS[schema.type](schema, value, path, clock)
    except (ValueError, TypeError) as exc:
        raise _Invalid(path, str(exc), conversion=True)
    try:
        if not contains_unresolved(converted):
            for constraint in schema.constraints:
                constraint.validate(converted, schema.type, clock)
    except (ValueError, TypeError) as exc:
        raise _Invalid(path, str(exc))
    return converted


def _entry(key: str, schema: Schema, data: Mapping, path: list, clock):
    """The value of one property: given, defaulted, or missing."""
    if key in data:
        return _value(schema, data[key], path + [key], clock)
    if schema.default is not None:
        return _value(schema, None, path + [key], clock)
    if schema.required:
        raise _Invalid(path, 'Property %s not assigned' % key)
    return None


def _validate_entries(schemas: dict, data: Mapping, path: list, clock) -> dict:
    for key in data:
        if key not in schemas:
            raise _Invalid(path, 'Unknown Property %s' % key)
    for key in data:
        if not schemas[key].implemented:
            raise _Invalid(path, 'Property %s not implemented yet' % key)
    return {key: _entry(key, schema, data, path, clock)
            for key, schema in schemas.items()}


# --- the entry points ---

def _normalize(resource_class, resource_name: str, props: dict | None,
               clock: Clock | None) -> dict:
    """Run the class's hooks around schema validation; raises _Invalid."""
    props = dict(props or {})
    if resource_class.properties_schema is None:
        return props
    if clock is None:
        # Outside an action (the API validating a template) a custom check
        # that takes time takes it for real, as in Heat.
        clock = WallClock()
    props = resource_class.translate_properties(props)
    schemas = resource_class.schema_for(props)
    values = _validate_entries(schemas, props, [], clock)
    resource_class.check_properties(resource_name, values)
    return values


def validate_properties(resource_class, resource_name: str, props: dict | None,
                        *, clock: Clock | None = None) -> dict:
    """Check a resource's ``props``; return them normalized.

    Parameters:
        resource_class: a Resource subclass (its ``properties_schema`` and
            validation hooks are used).
        resource_name: the logical name, for error messages.
        props: the resolved property values (UNRESOLVED where not yet known).
        clock: used by custom constraints that take time (``test_constr``).

    Raises:
        StackValidationFailed: ``Property error: resources.<name>.properties
            [.<prop>]: <reason>``, or a type-specific message from the class.
    """
    try:
        return _normalize(resource_class, resource_name, props, clock)
    except _Invalid as exc:
        where = format_path(['resources', resource_name, 'properties'] +
                            exc.path)
        failure = StackValidationFailed('Property error: %s: %s' % (
            where, exc.message))
        if exc.conversion:
            # How a child stack's validation words it instead
            # (engine/nested_validation.nested_error).
            failure.conversion_error = (resource_name, exc.message)
        raise failure


def validate_map(schemas: dict, data: Mapping, where: str) -> dict:
    """``data`` checked and normalized against ``schemas`` as a resource's
    properties are (defaults filled in, unknown keys refused), for maps that
    are not a resource's properties (a software config's inputs).

    Raises:
        StackValidationFailed: ``Property error: <where>.<key>: <reason>``.
    """
    try:
        return _validate_entries(schemas, data, [], WallClock())
    except _Invalid as exc:
        raise StackValidationFailed('Property error: %s: %s' % (
            format_path([where] + exc.path), exc.message))


def properties_for_action(resource_class, resource_name: str,
                          props: dict | None, *,
                          clock: Clock | None = None) -> dict:
    """Like validate_properties, for the moment an action starts.

    All values are known by then; a bad one fails the resource (not the
    request), worded as Heat words it:
    ``StackValidationFailed: resources.<name>: Property error:
    <name>.properties.<prop>: <reason>``.

    Raises:
        ResourceFailure: a property value is invalid.
    """
    try:
        return _normalize(resource_class, resource_name, props, clock)
    except _Invalid as exc:
        where = format_path([resource_name, 'properties'] + exc.path)
        message = 'Property error: %s: %s' % (where, exc.message)
    except StackValidationFailed as exc:
        message = exc.message
    raise resource_failure(resource_name, 'StackValidationFailed', message)


def update_policy_values(resource_class, where: str,
                         policy: Mapping | None) -> dict:
    """A resource's ``update_policy`` checked against its type's
    ``update_policy_schema`` and normalized like properties.

    ``where``: the policy's path as errors name it
    (``resources.<name>.update_policy``).

    Raises:
        StackValidationFailed: ``Property error: <where>[.<key>...]:
            <reason>``; any key the type does not carry out is an
            ``Unknown Property``; or the type's ``check_update_policy
            (values)`` refused the values together.
    """
    schemas = getattr(resource_class, 'update_policy_schema', None) or {}
    try:
        values = _validate_entries(schemas, policy or {}, [], WallClock())
    except _Invalid as exc:
        raise StackValidationFailed('Property error: %s: %s' % (
            format_path([where] + exc.path), exc.message))
    check = getattr(resource_class, 'check_update_policy', None)
    if check is not None and not contains_unresolved(values):
        check(values)
    return values
