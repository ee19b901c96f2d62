"""Functions that read something outside their own snippet.

``get_param`` and ``get_file`` read the stack definition, fixed at parse
time.  ``get_resource`` and ``get_attr`` read the current state of other
resources through the resolver, and are what dependencies are made of.
"""

import copy
import functools
from collections.abc import Mapping, Sequence

from convergence import exceptions
from convergence.template import function
from convergence.template.function import Function, Reference
from convergence.template.unresolved import UNRESOLVED, contains_unresolved

ALL_ATTRIBUTES = '*'
# A nested stack's ``resource.<name>`` attribute is the reference of its
# member ``<name>``; ``resource.<name>.<attr>`` is that member's attribute.
MEMBER_PREFIX = 'resource.'


class GetParam(Function):
    """A function for resolving parameter references.

    ``get_param: name`` or ``get_param: [name, key_or_index, ...]``.
    """

    def result(self, resolver):
        args = function.resolve(self.args, resolver)
        if contains_unresolved(args):
            return UNRESOLVED
        name, path = self._split(args)
        try:
            value = self.ctx.params.value(name)
        except exceptions.UserParameterMissing:
            # Where the value was wanted (not the function's own name),
            # for Heat's property error.
            where = self.path.removesuffix('.' + self.fn_name)
            raise exceptions.UserParameterMissing(key=name,
                                                  where=where) from None
        try:
            value = functools.reduce(self._step, path, value)
        except (KeyError, IndexError, TypeError, ValueError):
            return ''
        return function.private_copy(value)

    def _split(self, args):
        if not args:
            raise ValueError('Function "%s" must have arguments'
                             % self.fn_name)
        if isinstance(args, str):
            return args, []
        if not isinstance(args, list):
            raise TypeError('Argument to "%s" must be string or list'
                            % self.fn_name)
        if not isinstance(args[0], str):
            raise TypeError('Parameter name in "%s" must be string'
                            % self.fn_name)
        return args[0], args[1:]

    def _step(self, collection, key):
        if not isinstance(collection, (Mapping, Sequence)):
            raise TypeError('"%s" can\'t traverse path' % self.fn_name)
        if not isinstance(key, (str, int)):
            raise TypeError('Path components in "%s" must be strings'
                            % self.fn_name)
        if isinstance(collection, Sequence) and isinstance(key, str):
            key = int(key)
        return collection[key]

    def parameter_name(self) -> str | None:
        """The parameter this reads, when known without resolving."""
        args = self.args
        if isinstance(args, list) and args:
            args = args[0]
        return args if isinstance(args, str) else None


class GetResource(Function):
    """A function for resolving resource references.

    ``get_resource: name``: the reference id of another resource.
    """

    wraps_errors = False

    def check_args(self):
        self.target = function.static_value(self.args, 'Resource name in "%s"'
                                            % self.fn_name)
        if not isinstance(self.target, str):
            raise TypeError('Argument to "%s" must be a resource name'
                            % self.fn_name)

    def result(self, resolver):
        if resolver is None:
            return UNRESOLVED
        return resolver.reference_id(self.target)

    def references(self):
        yield Reference(self.target, None, self.path)


class GetAttr(Function):
    """A function for resolving resource attributes.

    ``get_attr: [resource, attribute, key_or_index...]``.

    The resolver returns the attribute; the path is applied here, and a path
    that does not fit the value gives None (as Heat does).
    """

    allow_all_attributes = False
    wraps_errors = False

    def check_args(self):
        args = self.args
        if not isinstance(args, list):
            raise TypeError('Argument to "%s" must be a list' % self.fn_name)
        if self.allow_all_attributes and len(args) == 1:
            self.target = self._static(args[0], 'Resource name')
            self.attr, self.attr_path = None, []
            return
        if len(args) < 2:
            raise ValueError(self._usage())
        self.target = self._static(args[0], 'Resource name')
        self.attr = self._static(args[1], 'Attribute name')
        self.attr_path = args[2:]
        self._fold_member_attribute()

    def _fold_member_attribute(self):
        """``[g, resource.0, value, ...]`` reads member 0's ``value``, as
        ``[g, resource.0.value, ...]`` does (Heat passes the path on to the
        member): one attribute name, so that it is what travels."""
        if (self.attr.startswith(MEMBER_PREFIX)
                and self.attr.count('.') == 1 and self.attr_path
                and isinstance(self.attr_path[0], str)):
            self.attr = '%s.%s' % (self.attr, self.attr_path[0])
            self.attr_path = self.attr_path[1:]

    def _usage(self):
        return ('Arguments to "%s" must be of the form '
                '[resource_name, attribute, (path), ...]' % self.fn_name)

    def _static(self, arg, what):
        what = '%s in "%s"' % (what, self.fn_name)
        value = function.static_value(arg, what)
        if not isinstance(value, str):
            raise TypeError('%s must be a string' % what)
        return value

    def result(self, resolver):
        if resolver is None:
            return UNRESOLVED
        if self.attr is None:
            return _all_attributes(resolver, self.target)
        path = function.resolve(self.attr_path, resolver)
        value = resolver.attribute(self.target, self.attr)
        return select_from_attribute(value, path)

    def references(self):
        yield Reference(self.target, self.attr or ALL_ATTRIBUTES, self.path)
        yield from function.references(self.attr_path)


class GetAttrAll(GetAttr):
    """A function for resolving resource attributes, or all of them.

    Also accepts ``get_attr: [resource]`` for a map of all attributes.
    """

    allow_all_attributes = True

    def check_args(self):
        if not self.args:
            raise ValueError(
                'Arguments to "%s" can be of the next forms: [resource_name] '
                'or [resource_name, attribute, (path), ...]' % self.fn_name)
        super().check_args()


def _all_attributes(resolver, name: str):
    """``get_attr: [name]``; resolvers without ``all_attributes`` are asked
    for the attribute named ``'*'`` instead."""
    read_all = getattr(resolver, 'all_attributes', None)
    if read_all is None:
        return resolver.attribute(name, ALL_ATTRIBUTES)
    return read_all(name)


def select_from_attribute(value, path):
    """Follow ``path`` (keys and indices) into ``value``; None if it fails."""
    if contains_unresolved(path):
        return UNRESOLVED
    try:
        for key in path:
            if not isinstance(value, (Mapping, Sequence)) or \
                    not isinstance(key, (str, int)):
                return None
            value = value[key]
    except (KeyError, IndexError, TypeError):
        return None
    return value


class ResourceFacade(Function):
    """A function reading the parent resource of a nested stack.

    ``resource_facade: metadata|deletion_policy|update_policy`` (CFN:
    ``Fn::ResourceFacade: Metadata|DeletionPolicy|UpdatePolicy``): that
    part of the resource whose child this stack is, resolved as the parent
    saw it when it started the child's operation.
    """

    KEYS = ('metadata', 'deletion_policy', 'update_policy')
    CFN_KEYS = ('Metadata', 'DeletionPolicy', 'UpdatePolicy')

    def check_args(self):
        keys = self.CFN_KEYS if self.fn_name.startswith('Fn::') else \
            self.KEYS
        if self.args not in keys:
            raise ValueError('Incorrect arguments to "%s" should be one of: '
                             '%s' % (self.fn_name, ', '.join(keys)))
        self.key = self.KEYS[keys.index(self.args)]

    def result(self, resolver):
        facade = self.ctx.facade
        if facade is None:
            raise ValueError('"%s" is only valid in a nested stack: this '
                             'stack has no parent resource' % self.fn_name)
        return copy.deepcopy(facade.get(self.key))


class GetFile(Function):
    """A function for including a file inline.

    ``get_file: key``: the content stored under ``key`` in ``files``.
    """

    def compute(self, args):
        if not isinstance(args, str):
            raise TypeError('Argument to "%s" must be a string'
                            % self.fn_name)
        content = self.ctx.files.get(args)
        if content is None:
            raise ValueError('No content found in the "files" section for '
                             '%s path: %s' % (self.fn_name, args))
        return content


class Ref:
    """A function for resolving parameters or resource references.

    ``Ref: name`` (HOT 2013-05-23 only).
    """

    is_macro = True

    @staticmethod
    def expand(fn_name, args, path, ctx):
        name = function.static_value(function.parse(args, path, ctx),
                                     'Argument to "Ref"')
        if name in ctx.resource_names:
            return GetResource(fn_name, name, path, ctx)
        if not ctx.params.has(name):
            raise exceptions.InvalidTemplateReference(resource=name,
                                                      key='unknown')
        return GetParam(fn_name, name, path, ctx)
