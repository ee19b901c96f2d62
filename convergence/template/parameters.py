"""Template parameters: schemas, user values, typed values, pseudo parameters.

User values arrive as strings from the CLI (``-P n=5``, ``-P l=a,b``) or
typed from the API; each is coerced to its parameter's type as Heat does.
Typed values are computed once per stack definition and then cached.
"""

import json
from collections.abc import Mapping
from typing import NamedTuple

from convergence import exceptions
from convergence.template import constraints as constr
from convergence.template.constraints import BOOLEAN, JSON, NUMBER, STRING
from convergence.template.constraints import COMMA_DELIMITED_LIST as LIST
from convergence.template.constraints import PARAMETER_TYPES as TYPES

PSEUDO_PARAMETERS = (STACK_ID, STACK_NAME, PROJECT_ID) = (
    'OS::stack_id', 'OS::stack_name', 'OS::project_id')

API_TYPES = {STRING: 'String', NUMBER: 'Number', LIST: 'CommaDelimitedList',
             JSON: 'Json', BOOLEAN: 'Boolean'}

_KEYS = ('type', 'description', 'default', 'schema', 'constraints', 'hidden',
         'label', 'immutable')


class StackIdentity(NamedTuple):
    """Who the stack is, for the OS::stack_id/stack_name/project_id params."""
    stack_id: str
    stack_name: str
    project_id: str


class ParamSchema:
    """One entry of the ``parameters`` section."""

    def __init__(self, name, param_type, description=None, default=None,
                 constraints=(), hidden=False, label=None, immutable=False,
                 tags=None):
        if param_type not in TYPES:
            raise exceptions.InvalidSchemaError(
                message='Invalid type (%s)' % (param_type,))
        self.name, self.type = name, param_type
        self.description, self.default = description, default
        self.constraints = list(constraints)
        self.hidden, self.label = bool(hidden), label
        self.immutable, self.tags = bool(immutable), tags

    @classmethod
    def from_dict(cls, name: str, data, spec) -> 'ParamSchema':
        """Parse a HOT parameter definition; InvalidSchemaError if wrong."""
        keys = _KEYS + (('tags',) if spec.param_tags else ())
        constr.check_keys(data, keys, 'parameter (%s)' % name)
        if 'type' not in data:
            raise exceptions.InvalidSchemaError(
                message='Missing parameter type for parameter: %s' % name)
        if not isinstance(data.get('tags', []), list):
            raise exceptions.InvalidSchemaError(
                message='Tags property should be a list for parameter: %s'
                        % name)
        return cls(name, data['type'], data.get('description'),
                   data.get('default'), _constraints(name, data, spec),
                   data.get('hidden', False), data.get('label'),
                   data.get('immutable', False), data.get('tags'))

    def check(self, default=None) -> None:
        """Check constraints fit the type and ``default`` passes them."""
        try:
            for c in self.constraints:
                if self.type not in c.valid_types:
                    raise exceptions.InvalidSchemaError(
                        message='%s constraint invalid for %s'
                                % (c.heat_name, self.type))
            if default is not None:
                self._check_default(default)
        except exceptions.InvalidSchemaError as exc:
            raise exceptions.InvalidSchemaError(
                message="Parameter '%s' is invalid: %s" % (self.name,
                                                           exc)) from None

    def _check_default(self, default) -> None:
        value = default
        if self.type == LIST:
            value = [str(x) for x in default] if isinstance(default, list) \
                else parse_list(default)
        try:
            self.check_constraints(value)
        except (ValueError, TypeError, AttributeError) as exc:
            raise exceptions.InvalidSchemaError(
                message='Invalid default %s (%s)' % (default, exc)) from None

    def check_constraints(self, value) -> None:
        for c in self.constraints:
            if not isinstance(c, constr.CustomConstraint):
                c.validate(value, self.type)


def _constraints(name, data, spec):
    items = data.get('constraints')
    if items is None:
        return []
    if not isinstance(items, list):
        raise exceptions.InvalidSchemaError(
            message='Invalid parameter constraints for parameter %s, '
                    'expected a list' % name)
    return [constr.from_definition(item, spec.param_modulo) for item in items]


def parse_list(value) -> list[str]:
    """A comma_delimited_list value: a list, or "a,b" split on commas."""
    if isinstance(value, list):
        return [str(x) for x in value]
    try:
        return [] if value == '' else value.split(',')
    except AttributeError as err:
        raise ValueError('Value must be a comma-delimited list string: %s'
                         % err) from None


def parse_json(value):
    """A json value: a map or list, or its JSON text."""
    try:
        text = value if isinstance(value, str) else json.dumps(value)
        return json.loads(text) if text else value
    except (ValueError, TypeError) as err:
        raise ValueError('Value must be valid JSON: %s' % err) from None


def coerce(schema: ParamSchema, raw):
    """``raw`` (user value or default) as a value of the schema's type."""
    if schema.type == NUMBER:
        return constr.str_to_num(raw)
    if schema.type == BOOLEAN:
        return constr.str_to_bool(raw)
    if schema.type == LIST:
        return parse_list(raw)
    if schema.type == JSON:
        return parse_json(raw)
    return str(raw)


def check_value(schema: ParamSchema, raw) -> None:
    """Raise StackValidationFailed if ``raw`` is not a valid value."""
    try:
        typed = coerce(schema, raw)
        if schema.type in (LIST, JSON):
            schema.check_constraints(typed)
        else:
            schema.check_constraints(str(raw) if schema.type == STRING
                                     else raw)
    except (ValueError, TypeError) as exc:
        raise invalid_value(schema.name, exc) from None


def invalid_value(name: str, exc) -> exceptions.StackValidationFailed:
    return exceptions.StackValidationFailed(
        message="Parameter '%s' is invalid: %s" % (name, exc))


def as_text(schema: ParamSchema, value) -> str:
    """How the API shows a parameter value (hidden ones as asterisks)."""
    if schema.hidden:
        return '******'
    if schema.type == LIST:
        return ','.join(value)
    if schema.type == JSON:
        return json.dumps(value)
    return str(value)


class Parameters:
    """The parameters of one stack: schemas plus user values and defaults."""

    def __init__(self, section, spec, user_values: Mapping,
                 param_defaults: Mapping, identity: StackIdentity | None):
        if section is None:
            section = {}
        if not isinstance(section, Mapping):
            raise exceptions.StackValidationFailed(
                message='The "parameters" section must be a map, not %s'
                        % type(section).__name__)
        self.schemas = {name: spec.parameter_schema(name, data, spec)
                        for name, data in section.items()}
        self.user_values = dict(user_values)
        self.param_defaults = dict(param_defaults)
        self.pseudo = spec.pseudo_parameters(identity)
        self._typed: dict = {}

    def has(self, name) -> bool:
        return name in self.schemas or name in self.pseudo

    def raw_value(self, name):
        """The user value, else the environment default, else the default."""
        for source in (self.user_values, self.param_defaults):
            if source.get(name) is not None:
                return source[name]
        return self.schemas[name].default

    def default(self, name):
        """The effective default: parameter_defaults over the template's."""
        if self.param_defaults.get(name) is not None:
            return self.param_defaults[name]
        return self.schemas[name].default

    def value(self, name):
        """The typed value; UserParameterMissing if unknown or not given."""
        if name in self.pseudo:
            return self.pseudo[name]
        if name in self._typed:
            return self._typed[name]
        if name not in self.schemas or self.raw_value(name) is None:
            raise exceptions.UserParameterMissing(key=name)
        schema = self.schemas[name]
        try:
            typed = coerce(schema, self.raw_value(name))
        except (ValueError, TypeError) as exc:
            raise invalid_value(name, exc) from None
        self._typed[name] = typed
        return typed

    def missing(self) -> list[str]:
        """Parameters without a value (none given, no default)."""
        return [name for name in self.schemas
                if self.raw_value(name) is None]

    def validate(self, strict: bool = True) -> None:
        """Unknown user values, bad schemas, and (if strict) bad values."""
        for name in self.user_values:
            if name not in self.schemas:
                raise exceptions.UnknownUserParameter(key=name)
        for name, schema in self.schemas.items():
            schema.check(self.default(name))
            if not strict:
                continue
            raw = self.raw_value(name)
            if raw is None:
                raise exceptions.UserParameterMissing(key=name)
            check_value(schema, raw)

    def display(self) -> dict[str, str]:
        """Every value as the API shows it, pseudo parameters included."""
        shown = dict(self.pseudo)
        for name, schema in self.schemas.items():
            shown[name] = as_text(schema, self.value(name))
        return shown


def pseudo_values(identity: StackIdentity | None) -> dict[str, str]:
    """The OS:: pseudo parameters of a HOT template."""
    if identity is None:
        identity = StackIdentity('', '', '')
    return {STACK_ID: str(identity.stack_id or ''),
            STACK_NAME: str(identity.stack_name or ''),
            PROJECT_ID: str(identity.project_id or '')}
