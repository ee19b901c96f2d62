"""HOT versions: which sections, keys and functions each one has.

A table, as Heat's template classes are: each version is the previous one
plus or minus a few names.  ``spec_for(tmpl)`` finds the version of a parsed
template and raises InvalidTemplateVersion with Heat's wording if it has none
or an unknown one.
"""

import inspect
from collections.abc import Mapping
from dataclasses import dataclass

from convergence import exceptions
from convergence.template import collection_functions as coll
from convergence.template import condition_functions as cond
from convergence.template import reference_functions as ref
from convergence.template import string_functions as text

HOT = 'heat_template_version'
CFN_KEYS = ('AWSTemplateFormatVersion', 'HeatTemplateFormatVersion')


class Removed:
    """A CFN function that HOT dropped in 2014-10-16 (or Fn::Select later)."""

    def __init__(self, fn_name, args, path, ctx):
        raise ValueError('The template version is invalid: The function %s '
                         'is not supported in this version of HOT.' % fn_name)


class InvalidInCondition:
    """A regular function used where only condition functions may be."""

    def __init__(self, fn_name, args, path, ctx):
        raise ValueError('The function "%s" is invalid in this context'
                         % fn_name)


class Unsupported:
    """A Heat function this engine does not implement."""

    def __init__(self, fn_name, args, path, ctx):
        raise exceptions.NotSupported(
            message='%s: The function "%s" is not supported by this engine.'
                    % (path, fn_name))


_CFN_2013 = {
    'Ref': ref.Ref, 'Fn::Select': coll.Select, 'Fn::Join': text.Join,
    'Fn::Split': text.CfnSplit, 'Fn::Replace': text.CfnReplace,
    'Fn::Base64': text.Base64, 'Fn::GetAZs': Unsupported,
    'Fn::MemberListToMap': Unsupported, 'Fn::ResourceFacade': Unsupported,
}
_REMOVED_2014 = {name: Removed for name in _CFN_2013 if name != 'Fn::Select'}

_F20130523 = {
    'get_param': ref.GetParam, 'get_resource': ref.GetResource,
    'get_attr': ref.GetAttr, 'get_file': ref.GetFile,
    'list_join': text.Join, 'str_replace': text.Replace,
    'resource_facade': Unsupported, **_CFN_2013,
}
_F20141016 = {**{k: v for k, v in _F20130523.items() if k not in _CFN_2013},
              'Fn::Select': coll.Select, **_REMOVED_2014}
_F20150430 = {**_F20141016, 'repeat': coll.Repeat, 'digest': text.Digest}
_F20151015 = {**_F20150430, 'get_attr': ref.GetAttrAll,
              'list_join': text.JoinMultiple, 'str_replace': text.ReplaceJson,
              'str_split': text.StrSplit, 'Fn::Select': Removed}
_F20160408 = {**_F20151015, 'map_merge': coll.MapMerge}
_F20161014 = {**_F20160408, 'repeat': coll.RepeatWithMap,
              'yaql': Unsupported, 'map_replace': coll.MapReplace,
              'if': cond.If}
_F20170224 = {**_F20161014, 'filter': coll.Filter,
              'str_replace_strict': text.ReplaceJsonStrict}
_F20170901 = {**_F20170224, 'repeat': coll.RepeatWithNestedLoop,
              'make_url': text.MakeURL, 'list_concat': coll.ListConcat,
              'str_replace_vstrict': text.ReplaceJsonVeryStrict,
              'list_concat_unique': coll.ListConcatUnique,
              'contains': coll.Contains}
_F20210416 = {**_F20170901, 'if': cond.IfNullable}

_C20161014 = {'get_param': ref.GetParam, 'equals': cond.Equals,
              'not': cond.Not, 'and': cond.And, 'or': cond.Or}
_C20170901 = {**_C20161014, 'yaql': Unsupported, 'contains': coll.Contains}


@dataclass(frozen=True)
class VersionSpec:
    """What one HOT version allows."""
    date: str
    functions: Mapping
    condition_functions: Mapping
    param_modulo: bool = False      # the "modulo" parameter constraint
    param_tags: bool = False        # the "tags" parameter key

    @property
    def has_conditions(self) -> bool:
        return bool(self.condition_functions)

    @property
    def sections(self) -> tuple:
        base = (HOT, 'description', 'parameter_groups', 'parameters',
                'resources', 'outputs')
        return base + ('conditions',) if self.has_conditions else base

    @property
    def resource_keys(self) -> tuple:
        base = ('type', 'properties', 'metadata', 'depends_on',
                'deletion_policy', 'update_policy', 'description')
        extra = ('external_id', 'condition') if self.has_conditions else ()
        return base + extra

    @property
    def output_keys(self) -> tuple:
        base = ('description', 'value')
        return base + ('condition',) if self.has_conditions else base

    @property
    def deletion_policies(self) -> dict:
        policies = {p: p for p in ('Delete', 'Retain', 'Snapshot')}
        if self.has_conditions:     # lower-case aliases came with 2016-10-14
            policies.update({p.lower(): p for p in list(policies)})
        return policies

    def check_not_later_function(self, fn_name, path) -> None:
        """Reject a function that only a later HOT version has."""
        if fn_name in self.functions or fn_name in self.condition_functions:
            return
        first = _FIRST_VERSION.get(fn_name)
        if first is not None and first > self.date:
            raise exceptions.StackValidationFailed(
                message='The function "%s" is not available in %s %s; it '
                        'needs %s or later.' % (fn_name, HOT, self.date,
                                                first),
                path=[path])


def _spec(date, functions, conditions=None, **features):
    table = dict(conditions or {})
    for name, fn_class in functions.items():
        if name not in table:
            table[name] = fn_class if fn_class is Removed \
                else InvalidInCondition
    if not conditions:
        table = {}
    return VersionSpec(date, functions, table, **features)


_SPECS = [
    _spec('2013-05-23', _F20130523),
    _spec('2014-10-16', _F20141016),
    _spec('2015-04-30', _F20150430),
    _spec('2015-10-15', _F20151015),
    _spec('2016-04-08', _F20160408),
    _spec('2016-10-14', _F20161014, _C20161014),
    _spec('2017-02-24', _F20170224, _C20161014, param_modulo=True),
    _spec('2017-09-01', _F20170901, _C20170901, param_modulo=True),
    _spec('2018-03-02', _F20170901, _C20170901, param_modulo=True,
          param_tags=True),
    _spec('2018-08-31', _F20170901, _C20170901, param_modulo=True,
          param_tags=True),
    _spec('2021-04-16', _F20210416, _C20170901, param_modulo=True,
          param_tags=True),
]
SPECS = {spec.date: spec for spec in _SPECS}
ALIASES = {'newton': '2016-10-14', 'ocata': '2017-02-24', 'pike': '2017-09-01',
           'queens': '2018-03-02', 'rocky': '2018-08-31',
           'wallaby': '2021-04-16'}

# The first version in which each name is a function outside conditions.
_FIRST_VERSION: dict = {}
for _s in _SPECS:
    for _name, _cls in _s.functions.items():
        if _cls is not Removed:
            _FIRST_VERSION.setdefault(_name, _s.date)


def available_versions() -> list[str]:
    """Every accepted ``heat_template_version`` value, dates then names."""
    return sorted(list(SPECS) + list(ALIASES))


def spec_for(tmpl: Mapping) -> VersionSpec:
    """The VersionSpec of a parsed template; InvalidTemplateVersion if none."""
    present = [k for k in (HOT,) + CFN_KEYS
               if isinstance(tmpl.get(k), str)]
    if len(present) > 1:
        raise exceptions.InvalidTemplateVersion(
            explanation='Ambiguous versions (%s)' % ', '.join(present))
    if not present:
        raise exceptions.InvalidTemplateVersion(
            explanation='Template version was not provided')
    if present[0] != HOT:
        raise exceptions.InvalidTemplateVersion(
            explanation='"%s: %s". CFN templates are not supported; use '
                        '"%s" (one of: %s)' % (
                            present[0], tmpl[present[0]], HOT,
                            ', '.join(available_versions())))
    version = tmpl[HOT]
    date = ALIASES.get(version, version)
    if date not in SPECS:
        raise exceptions.InvalidTemplateVersion(
            explanation='"%s: %s". "%s" should be one of: %s' % (
                HOT, version, HOT, ', '.join(available_versions())))
    return SPECS[date]


def template_versions() -> list[dict]:
    """``GET /template_versions``: each HOT version with its aliases."""
    return [{'version': '%s.%s' % (HOT, date), 'type': 'hot',
             'aliases': sorted('%s.%s' % (HOT, alias)
                               for alias, target in ALIASES.items()
                               if target == date)}
            for date in sorted(SPECS)]


def template_functions(template_version: str,
                       with_condition: bool = False) -> list[dict]:
    """``GET /template_versions/<v>/functions``: name and one-line summary.

    ``template_version`` is ``heat_template_version.<date or alias>``;
    NotFound if unknown.  Functions this engine does not implement, and
    those a version removed, are left out.
    """
    key, _, version = template_version.partition('.')
    date = ALIASES.get(version, version)
    if key != HOT or date not in SPECS:
        raise exceptions.NotFound(
            message='Template with version %s not found' % template_version)
    spec = SPECS[date]
    table = dict(spec.functions)
    if with_condition:
        table.update({k: v for k, v in spec.condition_functions.items()
                      if v is not InvalidInCondition})
    return [{'functions': name,
             'description': (inspect.getdoc(cls) or '').splitlines()[0]}
            for name, cls in table.items()
            if cls not in (Removed, Unsupported)]
