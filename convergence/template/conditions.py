"""The ``conditions`` section: named booleans computed from parameters.

Each condition is parsed and evaluated at most once per stack definition,
on first use; a condition that (indirectly) uses itself is an error.
"""

from collections.abc import Mapping

from convergence import exceptions
from convergence.template import function

# The value of a condition while it is computed: met again, it is a cycle.
_BEING_EVALUATED = object()


def _error(message: str) -> exceptions.StackValidationFailed:
    return exceptions.StackValidationFailed(
        message='Condition validation error: %s' % message)


class Conditions:
    """Evaluates condition names for ``condition:`` keys and ``if``."""

    def __init__(self, definitions):
        if definitions is None:
            definitions = {}
        if not isinstance(definitions, Mapping):
            raise exceptions.StackValidationFailed(
                message='Conditions validation error: Condition definitions '
                        'must be a map. Found a %s instead'
                        % type(definitions).__name__)
        self._definitions = definitions
        self._values: dict = {}
        self._ctx = None

    def bind(self, ctx) -> None:
        """Set the parse context used for condition definitions."""
        self._ctx = ctx

    def names(self) -> list[str]:
        return list(self._definitions)

    def is_enabled(self, name) -> bool:
        """Whether condition ``name`` holds; None and booleans are literal.

        Raises ValueError for a name that is not a defined condition.
        """
        if name is None:
            return True
        if isinstance(name, bool):
            return name
        if not (isinstance(name, str) and name in self._definitions):
            raise ValueError('Invalid condition "%s"' % (name,))
        value = self._values.get(name)
        if value is _BEING_EVALUATED:
            raise _error('Circular definition for condition "%s"' % name)
        if value is None:
            self._values[name] = _BEING_EVALUATED
            try:
                value = self._evaluate(name)
            finally:
                self._values.pop(name, None)
            self._values[name] = value
        return value

    def _evaluate(self, name: str) -> bool:
        section = self._ctx.spec.keys.conditions    # HOT's or CFN's name
        parsed = function.parse(self._definitions[name],
                                '%s.%s' % (section, name), self._ctx)
        self._check(name, parsed)
        value = function.resolve_value(parsed)
        self._check(name, value)
        return value

    @staticmethod
    def _check(name: str, definition) -> None:
        if not isinstance(definition, (bool, function.Function)):
            raise _error('The definition of condition "%s" is invalid: %s'
                         % (name, definition))

    def validate(self) -> None:
        """Evaluate every condition, raising the first error found."""
        for name in self._definitions:
            self.is_enabled(name)
