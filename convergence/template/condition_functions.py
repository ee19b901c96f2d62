"""Condition functions (``equals``, ``not``, ``and``, ``or``) and ``if``.

Conditions depend on parameters only, so ``if`` is decided while parsing:
the branch not taken is never parsed, and may name resources that the
condition leaves out of the stack.
"""

from collections.abc import Sequence

from convergence.template import function
from convergence.template.function import OMITTED, Function


def _condition(ctx, arg) -> bool:
    """A condition argument: a boolean, or the name of a condition."""
    if isinstance(arg, bool):
        return arg
    return ctx.conditions.is_enabled(arg)


class Equals(Function):
    """A function for comparing whether two values are equal.

    ``equals: [a, b]``.
    """

    def check_args(self):
        if not self.args or not isinstance(self.args, list) or \
                len(self.args) != 2:
            raise ValueError('Arguments to "%s" must be of the form: '
                             '[value_1, value_2]' % self.fn_name)

    def compute(self, args):
        return args[0] == args[1]


class Not(Function):
    """A function that acts as a NOT operator on a condition.

    ``not: condition``.
    """

    def check_args(self):
        if self.args is None:
            raise ValueError('Argument to "%s" must be a condition'
                             % self.fn_name)

    def compute(self, args):
        return not _condition(self.ctx, args)


class And(Function):
    """A function that acts as an AND operator on conditions.

    ``and: [condition, condition, ...]`` (at least two).
    """

    def check_args(self):
        if not isinstance(self.args, Sequence) or isinstance(self.args, str):
            raise ValueError('Arguments to "%s" must be a list of conditions'
                             % self.fn_name)
        if len(self.args) < 2:
            raise ValueError('The minimum number of condition arguments to '
                             '"%s" is 2.' % self.fn_name)

    def compute(self, args):
        return all(_condition(self.ctx, arg) for arg in args)


class Or(And):
    """A function that acts as an OR operator on conditions.

    ``or: [condition, condition, ...]`` (at least two).
    """

    def compute(self, args):
        return any(_condition(self.ctx, arg) for arg in args)


class If:
    """A function to return corresponding value based on condition.

    ``if: [condition, value_if_true, value_if_false]``, chosen at parse.
    """

    is_macro = True
    allow_omitted_false = False

    @classmethod
    def expand(cls, fn_name, args, path, ctx):
        condition, if_true, if_false = cls._split(fn_name, args)
        parsed = function.parse(condition, path, ctx.for_conditions())
        decided = function.static_value(parsed, 'The condition of "if"')
        if _condition(ctx, decided):
            return function.parse(if_true, path, ctx)
        if if_false is OMITTED:
            return OMITTED
        return function.parse(if_false, path, ctx)

    @classmethod
    def _split(cls, fn_name, args):
        if args and isinstance(args, list):
            if len(args) == 3:
                return args
            if len(args) == 2 and cls.allow_omitted_false:
                return args[0], args[1], OMITTED
        raise ValueError('Arguments to "%s" must be of the form: '
                         '[condition_name, value_if_true, value_if_false]'
                         % fn_name)


class IfNullable(If):
    """A function to return corresponding value based on condition.

    From 2021-04-16, without a false value the item is left out.
    """

    allow_omitted_false = True
