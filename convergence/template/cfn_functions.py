"""The functions only CFN templates have, or that CFN spells differently.

Those CFN shares with HOT (``Fn::Join``, ``Fn::Select``, ``Fn::Split``,
``Fn::Replace``, ``Fn::Base64``, ``Fn::Equals``, ``Fn::And``, ``Fn::Or``)
are the HOT implementations under their CFN names; see ``versions``.
"""

import re
from collections.abc import Mapping

from convergence import exceptions
from convergence.template import condition_functions as cond
from convergence.template import function
from convergence.template import reference_functions as ref
from convergence.template.function import Function

# ".member.<index>.<field>=<value>", as the AWS query API flattens lists.
_MEMBER = re.compile(r'\.member\.([0-9]+)\.(.*)')


class FindInMap(Function):
    """A function for resolving keys in the template mappings.

    ``Fn::FindInMap: [mapping, key, value]``.
    """

    def check_args(self):
        if not isinstance(self.args, list) or len(self.args) != 3:
            raise ValueError('Arguments to "%s" must be of the form '
                             '[mapping_name, key, value]' % self.fn_name)

    def compute(self, args):
        map_name, key, value = args
        mapping = self.ctx.mappings.get(map_name) \
            if isinstance(map_name, str) else None
        if not isinstance(mapping, Mapping):
            raise KeyError('"%s": no mapping "%s" in Mappings'
                           % (self.fn_name, map_name))
        entry = mapping.get(key) if isinstance(key, str) else None
        if not isinstance(entry, Mapping):
            raise KeyError('"%s": no key "%s" in mapping "%s"'
                           % (self.fn_name, key, map_name))
        if not isinstance(value, str) or value not in entry:
            raise KeyError('"%s": no value "%s" under key "%s" of mapping '
                           '"%s"' % (self.fn_name, value, key, map_name))
        return function.private_copy(entry[value])


class GetAZs(Function):
    """A function for retrieving the availability zones.

    ``Fn::GetAZs: region``.  Heat asks Nova; a Heat without Nova fails
    every resolution with "Could not find requested endpoint in Service
    Catalog.", so a stack using it cannot be created.  This engine has no
    cloud, hence no Nova, and answers the same.
    """

    def compute(self, args):
        raise ValueError('Could not find requested endpoint in Service '
                         'Catalog. (%s lists the availability zones of '
                         'Nova; this engine has no Compute service.)'
                         % self.fn_name)


class GetAtt(ref.GetAttr):
    """A function for resolving resource attributes.

    ``Fn::GetAtt: [resource, attribute]``.
    """

    def check_args(self):
        if not isinstance(self.args, list) or len(self.args) != 2:
            raise ValueError(self._usage())
        super().check_args()

    def _usage(self):
        return ('Arguments to "%s" must be of the form '
                '[resource_name, attribute]' % self.fn_name)


class ParamRef:
    """A function for resolving parameter references.

    ``Ref: name`` inside Conditions, where only parameters may be named.
    """

    is_macro = True

    @staticmethod
    def expand(fn_name, args, path, ctx):
        name = function.static_value(function.parse(args, path, ctx),
                                     'Argument to "%s"' % fn_name)
        if not ctx.params.has(name):
            raise exceptions.InvalidTemplateReference(resource=name,
                                                      key='unknown')
        return ref.GetParam(fn_name, name, path, ctx)


class MemberListToMap(Function):
    """A function to convert lists with enumerated keys and values to mapping.

    ``Fn::MemberListToMap: [key_name, value_name, ['.member.0.<key_name>=k',
    '.member.0.<value_name>=v', ...]]`` gives ``{k: v, ...}``.
    """

    def check_args(self):
        if not isinstance(self.args, list) or len(self.args) != 3:
            raise TypeError(
                'Wrong Arguments try: "{"%s": ["Name", "Value", '
                '[".member.0.Name=key", ".member.0.Value=door"]]}"'
                % self.fn_name)
        for arg, what in zip(self.args[:2], ('Key', 'Value')):
            if not isinstance(arg, str):
                raise TypeError('%s %s Name must be a string'
                                % (self.fn_name, what))

    def compute(self, args):
        key_name, value_name, members = args
        if not isinstance(members, list):
            raise TypeError('Member list must be a list')
        fields: dict[int, dict] = {}
        for item in members:
            if not isinstance(item, str):
                raise TypeError('Member list items must be strings')
            name, _, value = item.partition('=')
            found = _MEMBER.match(name)
            if found:
                fields.setdefault(int(found.group(1)), {})[
                    found.group(2)] = value
        return {member[key_name]: member[value_name]
                for _, member in sorted(fields.items())
                if key_name in member and value_name in member}


class Not(cond.Not):
    """A function that acts as a NOT operator on a condition.

    ``Fn::Not: [condition]``.
    """

    def check_args(self):
        if not isinstance(self.args, list) or len(self.args) != 1:
            raise ValueError('Arguments to "%s" must be of the form: '
                             '[condition]' % self.fn_name)

    def compute(self, args):
        return super().compute(args[0])


class If(cond.If):
    """A function to return corresponding value based on condition evaluation.

    ``Fn::If: [condition, value_if_true, value_if_false]``.
    """
