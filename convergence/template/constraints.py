"""Constraints of parameters and properties, with Heat's messages.

One set of constraints serves both: a template's parameters (built from the
HOT ``constraints`` list by ``from_definition``) and the property schemas of
resource types (built by the plugins).  Each constraint says which data types
it fits, checks a value, and describes itself for the validate API.  Messages
follow Heat's wording; a constraint's own ``description`` replaces the message
when it is given.

Custom constraints are named checks looked up in a registry, so that plugins
can declare checks that need the outside world (``test_constr`` just waits on
the action's clock).  Parameters skip them: the engine has none of the client
plugins (``nova.flavor``...) that templates name.
"""

import json
import numbers
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Callable

from convergence import exceptions

if TYPE_CHECKING:
    # Only a type: importing the resources package here would be circular.
    from convergence.resources.clock import Clock

# The data types of both worlds; string, number and boolean are shared.
STRING, NUMBER, BOOLEAN = 'string', 'number', 'boolean'
COMMA_DELIMITED_LIST, JSON = 'comma_delimited_list', 'json'
INTEGER, LIST, MAP, ANY = 'integer', 'list', 'map', 'any'

PARAMETER_TYPES = (STRING, NUMBER, COMMA_DELIMITED_LIST, JSON, BOOLEAN)
PROPERTY_TYPES = (STRING, NUMBER, INTEGER, BOOLEAN, LIST, MAP, ANY)

_TRUE = ('1', 't', 'true', 'on', 'y', 'yes')
_FALSE = ('0', 'f', 'false', 'off', 'n', 'no')


class ConstraintError(ValueError):
    """A value broke a constraint; the message is the user-facing reason."""


def str_to_num(value) -> int | float:
    """A number from a number or its string form (int if it is one)."""
    if isinstance(value, numbers.Number):
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


def to_type(value, data_type: str):
    """``value`` in ``data_type``, so that "5" and 5 compare equal."""
    try:
        if data_type in (NUMBER, INTEGER):
            return str_to_num(value)
        if data_type == STRING:
            return str(value)
        if data_type == BOOLEAN:
            return str_to_bool(value)
    except (ValueError, TypeError):
        raise ValueError('Value "%s" is invalid for data type "%s".'
                         % (value, data_type)) from None
    return value


def _schema_error(message: str) -> exceptions.InvalidSchemaError:
    return exceptions.InvalidSchemaError(message=message)


class Constraint:
    """One constraint of a parameter or a property.

    Subclasses set ``valid_types`` and implement ``is_valid`` and ``error``.
    """

    valid_types: tuple[str, ...] = ()

    def __init__(self, description: str | None = None):
        self.description = description

    @property
    def heat_name(self) -> str:
        """What Heat's messages call this kind of constraint: ``Range``..."""
        return type(self).__name__

    def validate(self, value, data_type: str,
                 clock: 'Clock | None' = None) -> None:
        """Raise ConstraintError if ``value`` breaks this constraint.

        ``value`` is already in ``data_type``, except that a parameter's
        number may still be its string form.  ``clock`` is the action's, for
        custom checks that take time.
        """
        if not self.is_valid(value, data_type, clock):
            raise ConstraintError(self.description or self.error(value))

    def is_valid(self, value, data_type: str, clock: 'Clock | None') -> bool:
        raise NotImplementedError

    def error(self, value) -> str:
        raise NotImplementedError

    def summary(self) -> dict:
        """This constraint as validate-API keys (MinLength, AllowedValues...)."""
        return {}

    def as_hot(self) -> dict:
        """This constraint as a HOT template writes it (what the resource
        type API shows): ``{'range': {'min': 1}}``, with its description."""
        shown = self._hot()
        if self.description:
            shown['description'] = self.description
        return shown

    def _hot(self) -> dict:
        raise NotImplementedError


class Range(Constraint):
    """A number between ``min`` and ``max`` (either may be omitted)."""

    valid_types = (NUMBER, INTEGER)
    keys = ('MinValue', 'MaxValue')
    what = 'range'

    def __init__(self, min: float | None = None, max: float | None = None,
                 description: str | None = None):
        super().__init__(description)
        for bound in (min, max):
            if not isinstance(bound, (int, float, type(None))) or \
                    isinstance(bound, bool):
                raise _schema_error('min/max must be numeric')
        if min is None and max is None:
            raise _schema_error('A %s constraint must have a min value '
                                'and/or a max value specified.' % self.what)
        self.min, self.max = min, max

    def measure(self, value):
        return str_to_num(value)

    def is_valid(self, value, data_type, clock) -> bool:
        measured = self.measure(value)
        # Written as "within the bounds", so NaN (never within) is refused.
        return ((self.min is None or measured >= self.min) and
                (self.max is None or measured <= self.max))

    def error(self, value) -> str:
        return '%s is out of range (min: %s, max: %s)' % (value, self.min,
                                                          self.max)

    def summary(self) -> dict:
        bounds = zip(self.keys, (self.min, self.max))
        return {k: v for k, v in bounds if v is not None}

    def _hot(self) -> dict:
        bounds = zip(('min', 'max'), (self.min, self.max))
        return {self.what: {k: v for k, v in bounds if v is not None}}


class Length(Range):
    """The length of a string, list or map between ``min`` and ``max``."""

    valid_types = (STRING, COMMA_DELIMITED_LIST, JSON, LIST, MAP)
    keys = ('MinLength', 'MaxLength')
    what = 'length'

    def __init__(self, min: int | None = None, max: int | None = None,
                 description: str | None = None):
        super().__init__(min, max, description)
        for bound in (min, max):
            if not isinstance(bound, (int, type(None))):
                raise _schema_error('min/max length must be integral')

    def measure(self, value):
        return len(value)

    def error(self, value) -> str:
        return 'length (%d) is out of range (min: %s, max: %s)' % (
            len(value), self.min, self.max)


class Modulo(Constraint):
    """A number that leaves ``offset`` when divided by ``step``."""

    valid_types = (NUMBER, INTEGER)

    def __init__(self, step: int | None = None, offset: int | None = None,
                 description: str | None = None):
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

    def is_valid(self, value, data_type, clock) -> bool:
        return str_to_num(value) % self.step == self.offset

    def error(self, value) -> str:
        return '%s is not a multiple of %s with an offset of %s' % (
            value, self.step, self.offset)

    def summary(self) -> dict:
        return {'Step': self.step, 'Offset': self.offset}

    def _hot(self) -> dict:
        return {'modulo': {'step': self.step, 'offset': self.offset}}


class AllowedValues(Constraint):
    """One of a fixed set; for a list, every item must be in the set."""

    valid_types = (STRING, NUMBER, INTEGER, BOOLEAN, COMMA_DELIMITED_LIST,
                   LIST)

    def __init__(self, allowed: Sequence, description: str | None = None):
        super().__init__(description)
        if not isinstance(allowed, Sequence) or isinstance(allowed, str):
            raise _schema_error('AllowedValues must be a list')
        self.allowed = tuple(allowed)

    def is_valid(self, value, data_type, clock) -> bool:
        if isinstance(value, list):
            return all(v in self.allowed for v in value)
        allowed = tuple(to_type(v, data_type) for v in self.allowed)
        return to_type(value, data_type) in allowed

    def error(self, value) -> str:
        allowed = ', '.join(json.dumps(a) for a in self.allowed)
        return '%s is not an allowed value [%s]' % (json.dumps(value),
                                                    allowed)

    def summary(self) -> dict:
        return {'AllowedValues': list(self.allowed)}

    def _hot(self) -> dict:
        return {'allowed_values': list(self.allowed)}


class AllowedPattern(Constraint):
    """A string that the regular expression matches as a whole."""

    valid_types = (STRING,)

    def __init__(self, pattern: str, description: str | None = None):
        super().__init__(description)
        if not isinstance(pattern, str):
            raise _schema_error('AllowedPattern must be a string')
        try:
            self.match = re.compile(pattern).match
        except re.error as exc:
            raise _schema_error('Invalid allowed_pattern "%s": %s'
                                % (pattern, exc)) from None
        self.pattern = pattern

    def is_valid(self, value, data_type, clock) -> bool:
        # Heat's test, kept for its answers: the first match must reach the
        # end ('a|ab' does not accept "ab", as fullmatch would).
        found = self.match(value)
        return found is not None and found.end() == len(value)

    def error(self, value) -> str:
        return '"%s" does not match pattern "%s"' % (value, self.pattern)

    def summary(self) -> dict:
        return {'AllowedPattern': self.pattern}

    def _hot(self) -> dict:
        return {'allowed_pattern': self.pattern}


# A custom check takes the value and the action's clock (for checks that take
# time) and answers whether the value is acceptable.
CustomCheck = Callable[[Any, 'Clock'], bool]

_CUSTOM_CHECKS: dict[str, CustomCheck] = {}


def register_custom_constraint(name: str, check: CustomCheck) -> None:
    """Make ``check`` available to schemas as ``CustomConstraint(name)``."""
    _CUSTOM_CHECKS[name] = check


class CustomConstraint(Constraint):
    """A named check looked up in the custom constraint registry.

    Its ``validate`` needs the clock that the check may wait on.
    """

    valid_types = (STRING, NUMBER, INTEGER, BOOLEAN, COMMA_DELIMITED_LIST,
                   LIST)

    def __init__(self, name: str, description: str | None = None):
        super().__init__(description)
        self.name = name

    def is_valid(self, value, data_type, clock) -> bool:
        check = _CUSTOM_CHECKS.get(self.name)
        if check is None:
            return False
        return check(value, clock)

    def error(self, value) -> str:
        if self.name not in _CUSTOM_CHECKS:
            return '"%s" does not validate %s (constraint not found)' % (
                value, self.name)
        return '"%s" does not validate %s' % (value, self.name)

    def summary(self) -> dict:
        return {'CustomConstraint': self.name}

    def _hot(self) -> dict:
        return {'custom_constraint': self.name}


def _delay_check(value, clock: 'Clock') -> bool:
    """``test_constr``: validation that takes ``value`` seconds, as in Heat."""
    seconds = str_to_num(value)
    if seconds > 0:
        clock.wait(seconds)
    return True


register_custom_constraint('test_constr', _delay_check)


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
