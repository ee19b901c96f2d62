"""Constraints on property values, with Heat's error messages.

A constraint checks an already type-converted value and raises
``ConstraintError`` with the text a Heat user would see.  A ``description``
given to a constraint replaces that text, as in Heat.  Custom constraints are
named and looked up in a small registry so that templates and plugins can refer
to checks that need the outside world (``test_constr`` just waits).
"""

import json
import numbers
import re
from typing import Any, Callable

from convergence.exceptions import InvalidSchemaError
from convergence.resources.clock import Clock, WallClock

STRING, NUMBER, INTEGER, BOOLEAN, LIST, MAP, ANY = (
    'string', 'number', 'integer', 'boolean', 'list', 'map', 'any')


class ConstraintError(ValueError):
    """A value broke a constraint; the message is the user-facing reason."""


def str_to_num(value) -> int | float:
    """A number from a number or a numeric string ("5" -> 5, "2.5" -> 2.5)."""
    if isinstance(value, numbers.Number):
        return value
    try:
        return int(value)
    except ValueError:
        return float(value)


class Constraint:
    """Base: subclasses set ``valid_types``, ``_is_valid``, ``_err_msg``."""

    valid_types: tuple[str, ...] = ()

    def __init__(self, description: str | None = None):
        self.description = description

    def check(self, value, data_type: str, clock: Clock | None) -> None:
        """Raise ConstraintError unless ``value`` satisfies the constraint."""
        if not self._is_valid(value, data_type, clock):
            raise ConstraintError(self.description or self._err_msg(value))

    def _is_valid(self, value, data_type: str, clock: Clock | None) -> bool:
        raise NotImplementedError

    def _err_msg(self, value) -> str:
        raise NotImplementedError


class Range(Constraint):
    """A number between ``min`` and ``max`` (either may be omitted)."""

    valid_types = (INTEGER, NUMBER)

    def __init__(self, min: float | None = None, max: float | None = None,
                 description: str | None = None):
        super().__init__(description)
        if min is None and max is None:
            raise InvalidSchemaError('A range constraint must have a min '
                                     'value and/or a max value specified.')
        self.min, self.max = min, max

    def _in_range(self, number) -> bool:
        return ((self.min is None or number >= self.min) and
                (self.max is None or number <= self.max))

    def _is_valid(self, value, data_type, clock) -> bool:
        return self._in_range(str_to_num(value))

    def _err_msg(self, value) -> str:
        return '%s is out of range (min: %s, max: %s)' % (
            value, self.min, self.max)


class Length(Range):
    """The length of a string, list or map between ``min`` and ``max``."""

    valid_types = (STRING, LIST, MAP)

    def _is_valid(self, value, data_type, clock) -> bool:
        return self._in_range(len(value))

    def _err_msg(self, value) -> str:
        return 'length (%d) is out of range (min: %s, max: %s)' % (
            len(value), self.min, self.max)


class AllowedValues(Constraint):
    """One of a fixed set; for a list, every item must be in the set."""

    valid_types = (STRING, INTEGER, NUMBER, BOOLEAN, LIST)

    def __init__(self, allowed, description: str | None = None):
        super().__init__(description)
        if isinstance(allowed, str) or not isinstance(allowed, (list, tuple)):
            raise InvalidSchemaError('AllowedValues must be a list')
        self.allowed = tuple(allowed)

    def _is_valid(self, value, data_type, clock) -> bool:
        if isinstance(value, list):
            return all(v in self.allowed for v in value)
        allowed = [_canonical(a, data_type) for a in self.allowed]
        return _canonical(value, data_type) in allowed

    def _err_msg(self, value) -> str:
        allowed = ', '.join(json.dumps(a) for a in self.allowed)
        return '%s is not an allowed value [%s]' % (json.dumps(value), allowed)


def _canonical(value, data_type: str):
    """``value`` in the property's type, so "5" and 5 compare equal."""
    try:
        if data_type in (NUMBER, INTEGER):
            return str_to_num(value)
        if data_type == STRING:
            return str(value)
        if data_type == BOOLEAN and str(value).lower() in ('true', 'false'):
            return str(value).lower() == 'true'
    except (TypeError, ValueError):
        pass
    return value


class AllowedPattern(Constraint):
    """A string matching a regular expression as a whole."""

    valid_types = (STRING,)

    def __init__(self, pattern: str, description: str | None = None):
        super().__init__(description)
        if not isinstance(pattern, str):
            raise InvalidSchemaError('AllowedPattern must be a string')
        self.pattern = pattern
        self._regex = re.compile(pattern)

    def _is_valid(self, value, data_type, clock) -> bool:
        return self._regex.fullmatch(value) is not None

    def _err_msg(self, value) -> str:
        return '"%s" does not match pattern "%s"' % (value, self.pattern)


# A custom check takes the value and a clock (for checks that take time) and
# answers whether the value is acceptable.
CustomCheck = Callable[[Any, Clock], bool]

_CUSTOM_CHECKS: dict[str, CustomCheck] = {}


def register_custom_constraint(name: str, check: CustomCheck) -> None:
    """Make ``check`` available to schemas as ``CustomConstraint(name)``."""
    _CUSTOM_CHECKS[name] = check


class CustomConstraint(Constraint):
    """A named check looked up in the custom constraint registry."""

    valid_types = (STRING, INTEGER, NUMBER, BOOLEAN, LIST)

    def __init__(self, name: str, description: str | None = None):
        super().__init__(description)
        self.name = name

    def _is_valid(self, value, data_type, clock) -> bool:
        check = _CUSTOM_CHECKS.get(self.name)
        if check is None:
            return False
        return check(value, clock if clock is not None else WallClock())

    def _err_msg(self, value) -> str:
        if self.name not in _CUSTOM_CHECKS:
            return '"%s" does not validate %s (constraint not found)' % (
                value, self.name)
        return '"%s" does not validate %s' % (value, self.name)


def _delay_check(value, clock: Clock) -> bool:
    """``test_constr``: validation that takes ``value`` seconds, as in Heat."""
    seconds = str_to_num(value)
    if seconds > 0:
        clock.wait(seconds)
    return True


register_custom_constraint('test_constr', _delay_check)
