"""``yaql``: a YAQL expression evaluated on data from the template.

``yaql: {expression: <string>, data: <any>}`` evaluates ``expression``
with ``$`` bound to ``{'data': data}``, as Heat does (HOT 2016-10-14+, and
in conditions from 2017-09-01).  A literal expression is parsed when the
template is, so a syntax error is a validation error naming its place; one
computed by another function is parsed when it is resolved.

YAQL can build large collections from small expressions, so the engine's
``[yaql]`` limits (Heat's option names and defaults) bound every
evaluation: ``configure`` sets them once at start-up.
"""

import collections.abc  # yaql 3 reads collections.abc without importing it
import functools

import yaql
from yaql.language import exceptions as yaql_exceptions

from convergence.template.function import Function

# Heat's defaults for [yaql] limit_iterators and memory_quota.
DEFAULT_LIMIT_ITERATORS = 200
DEFAULT_MEMORY_QUOTA = 10000

_limits = {'limit_iterators': DEFAULT_LIMIT_ITERATORS,
           'memory_quota': DEFAULT_MEMORY_QUOTA}

_EXAMPLE = '''%s:
              expression: $.data.var1.sum()
              data:
                var1: [3, 2, 1]'''


def configure(limit_iterators: int, memory_quota: int) -> None:
    """Set the bounds of every later evaluation (``[yaql]`` options)."""
    _limits['limit_iterators'] = limit_iterators
    _limits['memory_quota'] = memory_quota


@functools.lru_cache(maxsize=None)
def _engine(limit_iterators: int, memory_quota: int):
    """A YAQL parser with these bounds, and the root context to run in."""
    parser = yaql.YaqlFactory().create({
        'yaql.limitIterators': limit_iterators,
        'yaql.memoryQuota': memory_quota})
    return parser, yaql.create_context()


def _current_engine():
    return _engine(_limits['limit_iterators'], _limits['memory_quota'])


class Yaql(Function):
    """A function for executing a yaql expression.

    ``yaql: {expression: ..., data: ...}``.
    """

    def check_args(self):
        if not isinstance(self.args, collections.abc.Mapping):
            raise TypeError('Arguments to "%s" must be a map.' % self.fn_name)
        if ('expression' not in self.args
                or set(self.args) - {'expression', 'data'}):
            raise KeyError('"%s" syntax should be %s'
                           % (self.fn_name, _EXAMPLE % self.fn_name))
        expression = self.args['expression']
        if not isinstance(expression, Function):
            self._parse(expression)

    def _parse(self, expression):
        if not isinstance(expression, str):
            raise TypeError('The "expression" argument to %s must contain a '
                            'string.' % self.fn_name)
        parser, _context = _current_engine()
        try:
            return parser(expression)
        except yaql_exceptions.YaqlException as exc:
            raise ValueError('Bad expression %s.' % exc) from None

    def compute(self, args):
        statement = self._parse(args['expression'])
        _parser, root = _current_engine()
        try:
            value = statement.evaluate({'data': args.get('data', {})},
                                       root.create_child_context())
        except yaql_exceptions.YaqlException as exc:
            raise ValueError('Evaluating "%s" failed: %s'
                             % (args['expression'], exc)) from None
        return _plain(value)


def _plain(value):
    """A YAQL result as template values are: sets and tuples become lists
    (sorted when they can be, so a set's value does not vary run to run)."""
    if isinstance(value, (set, frozenset)):
        items = [_plain(v) for v in value]
        try:
            return sorted(items)
        except TypeError:
            return items
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, collections.abc.Mapping):
        return {k: _plain(v) for k, v in value.items()}
    return value
