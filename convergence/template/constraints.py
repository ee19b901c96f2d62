"""Parameter constraints: range, length, modulo, allowed values and pattern.

Each constraint says which parameter types it fits, checks a value, and
describes itself for the validate API.  Messages follow Heat's wording; a
constraint's own ``description`` replaces the message when it is given.
"""

import json
import re
from collections.abc import Mapping, Sequence

from convergence import exceptions

TYPES = (STRING, NUMBER, LIST, JSON, BOOLEAN) = (
    'string', 'number', 'comma_delimited_list', 'json', 'boolean')

_TRUE = ('1', 't', 'true', 'on', 'y', 'yes')
_FALSE = ('0', 'f', 'false', 'off', 'n', 'no')


def str_to_num(value):
    """A number from a number or its string form (int if it is one)."""
    if isinstance(value, (int, float)):
        return value
    try:
        return int(value)
    except ValueError:
        return float(value)


def str_to_bool(value) -> bool:
    """A strict boolean from a string such as 'true', 'no' or '1'."""
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    acceptable = ', '.join("'%s'" % s for s in sorted(_TRUE + _FALSE))
    raise ValueError("Unrecognized value '%s', acceptable values are: %s"
                     % (value, acceptable))


def to_type(value, param_type: str):
    """``value`` in the data type of ``param_type`` (for allowed_values)."""
    try:
        if param_type == NUMBER:
            return str_to_num(value)
        if param_type == STRING:
            return str(value)
        if param_type == BOOLEAN:
            return str_to_bool(value)
    except (ValueError, TypeError):
        raise ValueError('Value "%s" is invalid for data type "%s".'
                         % (value, param_type)) from None
    return value


def _schema_error(message: str) -> exceptions.InvalidSchemaError:
    return exceptions.InvalidSchemaError(message=message)


class Constraint:
    """One constraint of a parameter."""

    valid_types: tuple = ()
    heat_name = 'Constraint'

    def __init__(self, description=None):
        self.description = description

    def validate(self, value, param_type: str) -> None:
        """Raise ValueError if ``value`` breaks this constraint."""
        if not self.is_valid(value, param_type):
            raise ValueError(self.description or self.error(value))

    def is_valid(self, value, param_type) -> bool:
        raise NotImplementedError

    def error(self, value) -> str:
        raise NotImplementedError

    def summary(self) -> dict:
        """This constraint as validate-API keys (MinLength, AllowedValues...)."""
        return {}


class Range(Constraint):
    valid_types = (NUMBER,)
    heat_name = 'Range'
    keys = ('MinValue', 'MaxValue')
    what = 'range'

    def __init__(self, minimum=None, maximum=None, description=None):
        super().__init__(description)
        for bound in (minimum, maximum):
            if not isinstance(bound, (int, float, type(None))) or \
                    isinstance(bound, bool):
                raise _schema_error('min/max must be numeric')
        if minimum is None and maximum is None:
            raise _schema_error('A %s constraint must have a min value '
                                'and/or a max value specified.' % self.what)
        self.min, self.max = minimum, maximum

    def measure(self, value):
        return str_to_num(value)

    def is_valid(self, value, param_type) -> bool:
        measured = self.measure(value)
        return not ((self.min is not None and measured < self.min) or
                    (self.max is not None and measured > self.max))

    def error(self, value) -> str:
        return '%s is out of range (min: %s, max: %s)' % (value, self.min,
                                                          self.max)

    def summary(self) -> dict:
        bounds = zip(self.keys, (self.min, self.max))
        return {k: v for k, v in bounds if v is not None}


class Length(Range):
    valid_types = (STRING, LIST, JSON)
    heat_name = 'Length'
    keys = ('MinLength', 'MaxLength')
    what = 'length'

    def __init__(self, minimum=None, maximum=None, description=None):
        super().__init__(minimum, maximum, description)
        for bound in (minimum, maximum):
            if not isinstance(bound, (int, type(None))):
                raise _schema_error('min/max length must be integral')

    def measure(self, value):
        return len(value)

    def error(self, value) -> str:
        return 'length (%d) is out of range (min: %s, max: %s)' % (
            len(value), self.min, self.max)


class Modulo(Constraint):
    valid_types = (NUMBER,)
    heat_name = 'Modulo'

    def __init__(self, step=None, offset=None, description=None):
        super().__init__(description)
        if step is None or offset is None:
            raise _schema_error('A modulo constraint must have a step value '
                                'and an offset value specified.')
        for value in (step, offset):
            if not isinstance(value, (int, float)):
                raise _schema_error('step/offset must be numeric')
            if int(value) != value:
                raise _schema_error('step/offset must be integer')
        step, offset = int(step), int(offset)
        if step == 0:
            raise _schema_error('step cannot be 0.')
        if abs(offset) >= abs(step):
            raise _schema_error('offset must be smaller (by absolute value) '
                                'than step.')
        if step * offset < 0:
            raise _schema_error('step and offset must be both positive or '
                                'both negative.')
        self.step, self.offset = step, offset

    def is_valid(self, value, param_type) -> bool:
        return str_to_num(value) % self.step == self.offset

    def error(self, value) -> str:
        return '%s is not a multiple of %s with an offset of %s' % (
            value, self.step, self.offset)

    def summary(self) -> dict:
        return {'Step': self.step, 'Offset': self.offset}


class AllowedValues(Constraint):
    valid_types = (STRING, NUMBER, BOOLEAN, LIST)
    heat_name = 'AllowedValues'

    def __init__(self, allowed, description=None):
        super().__init__(description)
        if not isinstance(allowed, Sequence) or isinstance(allowed, str):
            raise _schema_error('AllowedValues must be a list')
        self.allowed = tuple(allowed)

    def is_valid(self, value, param_type) -> bool:
        if isinstance(value, list):
            return all(v in self.allowed for v in value)
        allowed = tuple(to_type(v, param_type) for v in self.allowed)
        return to_type(value, param_type) in allowed

    def error(self, value) -> str:
        allowed = ', '.join(json.dumps(a) for a in self.allowed)
        return '%s is not an allowed value [%s]' % (json.dumps(value),
                                                    allowed)

    def summary(self) -> dict:
        return {'AllowedValues': list(self.allowed)}


class AllowedPattern(Constraint):
    valid_types = (STRING,)
    heat_name = 'AllowedPattern'

    def __init__(self, pattern, description=None):
        super().__init__(description)
        if not isinstance(pattern, str):
            raise _schema_error('AllowedPattern must be a string')
        try:
            self.match = re.compile(pattern).match
        except re.error as exc:
            raise _schema_error('Invalid allowed_pattern "%s": %s'
                                % (pattern, exc)) from None
        self.pattern = pattern

    def is_valid(self, value, param_type) -> bool:
        found = self.match(value)
        return found is not None and found.end() == len(value)

    def error(self, value) -> str:
        return '"%s" does not match pattern "%s"' % (value, self.pattern)

    def summary(self) -> dict:
        return {'AllowedPattern': self.pattern}


class CustomConstraint(Constraint):
    """A named plugin check (``nova.flavor``...): accepted, never enforced.

    The engine has no client plugins to run such checks with.
    """
    valid_types = (STRING, NUMBER, BOOLEAN, LIST)
    heat_name = 'CustomConstraint'

    def __init__(self, name, description=None):
        super().__init__(description)
        self.name = name

    def is_valid(self, value, param_type) -> bool:
        return True

    def summary(self) -> dict:
        return {'CustomConstraint': self.name}


_KEYS = ('description', 'length', 'range', 'modulo', 'allowed_values',
         'allowed_pattern', 'custom_constraint')


def check_keys(data, allowed, entity: str) -> None:
    """Heat's check that ``data`` is a mapping with only ``allowed`` keys."""
    if not isinstance(data, Mapping):
        raise _schema_error('Invalid %s, expected a mapping' % entity)
    for key in data:
        if key not in allowed:
            raise _schema_error("Invalid key '%s' for %s" % (key, entity))


def _num(data: Mapping, key: str):
    value = data.get(key)
    if value is None:
        return None
    try:
        return str_to_num(value)
    except (ValueError, TypeError):
        raise _schema_error('min/max must be numeric') from None


def from_definition(data, with_modulo: bool) -> Constraint:
    """Build a constraint from one HOT ``constraints`` list item."""
    check_keys(data, _KEYS, 'parameter constraints')
    desc = data.get('description')
    if with_modulo and 'modulo' in data:
        check_keys(data['modulo'], ('step', 'offset'), 'modulo constraint')
        return Modulo(_num(data['modulo'], 'step'),
                      _num(data['modulo'], 'offset'), desc)
    for key, cls in (('range', Range), ('length', Length)):
        if key in data:
            check_keys(data[key], ('min', 'max'), '%s constraint' % key)
            return cls(_num(data[key], 'min'), _num(data[key], 'max'), desc)
    if 'allowed_values' in data:
        return AllowedValues(data['allowed_values'], desc)
    if 'allowed_pattern' in data:
        return AllowedPattern(data['allowed_pattern'], desc)
    if 'custom_constraint' in data:
        return CustomConstraint(data['custom_constraint'], desc)
    raise _schema_error('No constraint expressed')
