"""Intrinsic functions: parsing a snippet once, resolving it many times.

A template snippet is parsed into a tree of plain values and ``Function``
nodes.  Parsing already applies everything that depends only on the stack
definition (parameters, conditions, ``if``, files), so resolving a parsed
snippet later costs time proportional to the snippet alone.  Only
``get_resource`` and ``get_attr`` reach outside it, through a resolver; with no
resolver they resolve to ``UNRESOLVED``.
"""

import copy
from collections.abc import Iterator, Mapping
from typing import NamedTuple, Protocol

from convergence import exceptions
from convergence.template.unresolved import UNRESOLVED, contains_unresolved

# Stands for "leave this item out": an ``if`` without a false branch
# (2021-04-16) resolves to it, and containers drop it.
OMITTED = Ellipsis

# Errors that a function raises about its arguments; they are reported as
# StackValidationFailed naming the function's place in the template.
ARGUMENT_ERRORS = (ValueError, TypeError, KeyError, IndexError)


class Resolver(Protocol):
    """What resolving needs from the stack's current state (the engine)."""

    def reference_id(self, name: str) -> str:
        """The value of ``get_resource: name``."""

    def attribute(self, name: str, attr: str) -> object:
        """The value of attribute ``attr`` of resource ``name``."""

    def all_attributes(self, name: str) -> dict:
        """All attributes of ``name`` (``get_attr: [name]``, HOT 2015-10-15+).

        Optional: without it, ``attribute(name, '*')`` is asked instead.
        """


class Reference(NamedTuple):
    """One use of another resource: ``attr`` is None for get_resource,
    ``'*'`` for get_attr of all attributes."""
    resource: str
    attr: str | None
    path: str


class Function:
    """A parsed call ``{fn_name: args}`` whose ``args`` are parsed too.

    Subclasses check the shape of their arguments in ``check_args`` (run once,
    at parse time) and compute a result from fully resolved arguments in
    ``compute``.  A result that would depend on an UNRESOLVED value is
    UNRESOLVED.
    """

    # Whether errors raised while resolving are about this function's
    # arguments.  Not so for get_resource/get_attr: what they raise comes
    # from the resolver and is passed on untouched.
    wraps_errors = True

    def __init__(self, fn_name: str, args, path: str, ctx):
        self.fn_name = fn_name
        self.args = args
        self.path = path
        self.ctx = ctx
        self.check_args()

    def check_args(self) -> None:
        """Reject malformed arguments; raise ValueError or TypeError."""

    def result(self, resolver):
        args = resolve(self.args, resolver)
        if contains_unresolved(args):
            return UNRESOLVED
        return self.compute(args)

    def compute(self, args):
        raise NotImplementedError

    def references(self) -> Iterator[Reference]:
        return references(self.args)

    def __repr__(self):
        return '<%s %s: %r>' % (type(self).__name__, self.fn_name, self.args)


class ParseContext:
    """Everything parsing may consult: one per stack definition and mode.

    ``functions`` maps names to Function classes (or to a marker that
    rejects the name, such as a function removed in this version) for this
    mode: the normal one, or the one used inside conditions.
    """

    def __init__(self, spec, functions: Mapping, params, conditions, files,
                 resource_names, mappings: Mapping | None = None,
                 facade: Mapping | None = None):
        self.spec = spec
        self.functions = functions
        self.params = params
        self.conditions = conditions
        self.files = files or {}
        self.resource_names = resource_names
        self.mappings = mappings or {}      # CFN's Mappings section
        self.facade = facade                # a child stack's parent resource
        self._condition_ctx = None

    def for_conditions(self) -> 'ParseContext':
        """The context for condition definitions and ``if`` conditions."""
        if self.functions is self.spec.condition_functions:
            return self
        if self._condition_ctx is None:
            self._condition_ctx = ParseContext(
                self.spec, self.spec.condition_functions, self.params,
                self.conditions, self.files, self.resource_names,
                self.mappings)
        return self._condition_ctx


def join_path(path: str, key) -> str:
    return '%s.%s' % (path, key) if path else str(key)


def parse(snippet, path: str, ctx: ParseContext):
    """Return ``snippet`` with every function call replaced by a Function."""
    if isinstance(snippet, Mapping):
        if len(snippet) == 1:
            fn_name, args = next(iter(snippet.items()))
            fn_class = ctx.functions.get(fn_name)
            if fn_class is not None:
                return _make(fn_class, fn_name, args,
                             join_path(path, fn_name), ctx)
            ctx.spec.check_function_name(fn_name, join_path(path, fn_name))
        return {k: parse(v, join_path(path, k), ctx)
                for k, v in snippet.items()}
    if isinstance(snippet, list):
        return [parse(v, '%s[%d]' % (path, i), ctx)
                for i, v in enumerate(snippet)]
    return snippet


def _make(fn_class, fn_name, args, fn_path, ctx):
    try:
        if getattr(fn_class, 'is_macro', False):
            return fn_class.expand(fn_name, args, fn_path, ctx)
        return fn_class(fn_name, parse(args, fn_path, ctx), fn_path, ctx)
    except exceptions.ConvergenceError:
        raise
    except ARGUMENT_ERRORS as exc:
        raise invalid(fn_path, exc) from None


def invalid(path: str, exc) -> exceptions.StackValidationFailed:
    message = exc.args[0] if exc.args and isinstance(exc, KeyError) \
        else str(exc)
    return exceptions.StackValidationFailed(message=message, path=[path])


def resolve(node, resolver=None):
    """Resolve a parsed snippet; with no resolver references are UNRESOLVED."""
    if isinstance(node, Function):
        if not node.wraps_errors:
            return node.result(resolver)
        try:
            return node.result(resolver)
        except exceptions.ConvergenceError:
            raise
        except ARGUMENT_ERRORS as exc:
            raise invalid(node.path, exc) from None
    if isinstance(node, dict):
        resolved = ((k, resolve(v, resolver)) for k, v in node.items())
        return {k: v for k, v in resolved if v is not OMITTED}
    if isinstance(node, list):
        resolved = (resolve(v, resolver) for v in node)
        return [v for v in resolved if v is not OMITTED]
    return node


def resolve_value(node, resolver=None):
    """Resolve a whole value: an omitted value becomes None."""
    value = resolve(node, resolver)
    return None if value is OMITTED else value


def static_value(node, what: str):
    """Resolve a snippet that may not depend on any resource."""
    value = resolve_value(node)
    if contains_unresolved(value):
        raise ValueError('%s must not depend on another resource' % what)
    return value


def references(node) -> Iterator[Reference]:
    """Every get_resource/get_attr use inside a parsed snippet."""
    if isinstance(node, Function):
        yield from node.references()
    elif isinstance(node, dict):
        for value in node.values():
            yield from references(value)
    elif isinstance(node, list):
        for value in node:
            yield from references(value)


def private_copy(value):
    """A copy callers may mutate without touching cached data."""
    if isinstance(value, (dict, list)):
        return copy.deepcopy(value)
    return value
