"""Template versions: which sections, keys and functions each one has.

A table, as Heat's template classes are: each HOT version is the previous
one plus or minus a few names; the two CFN versions (AWS's 2010-09-09 and
Heat's own 2012-12-12, which has no conditions) spell every key their own
way (``keys``).  ``spec_for(tmpl)`` finds the version of a parsed template
and raises InvalidTemplateVersion with Heat's wording if it has none or an
unknown one.
"""

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from convergence import exceptions
from convergence.template import cfn_functions as cfn
from convergence.template import cfn_parameters
from convergence.template import collection_functions as coll
from convergence.template import condition_functions as cond
from convergence.template import parameters
from convergence.template import reference_functions as ref
from convergence.template import resource_definition
from convergence.template import string_functions as text
from convergence.template.yaql_function import Yaql
from convergence.template.keys import CFN_KEYS, HOT_KEYS, TemplateKeys

HOT = 'heat_template_version'
AWS, HEAT_CFN = 'AWSTemplateFormatVersion', 'HeatTemplateFormatVersion'
CFN_VERSION_KEYS = (AWS, HEAT_CFN)


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


_CFN_2013 = {
    'Ref': ref.Ref, 'Fn::Select': coll.Select, 'Fn::Join': text.Join,
    'Fn::Split': text.CfnSplit, 'Fn::Replace': text.CfnReplace,
    'Fn::Base64': text.Base64, 'Fn::GetAZs': cfn.GetAZs,
    'Fn::MemberListToMap': cfn.MemberListToMap,
    'Fn::ResourceFacade': ref.ResourceFacade,
}
_REMOVED_2014 = {name: Removed for name in _CFN_2013 if name != 'Fn::Select'}

_F20130523 = {
    'get_param': ref.GetParam, 'get_resource': ref.GetResource,
    'get_attr': ref.GetAttr, 'get_file': ref.GetFile,
    'list_join': text.Join, 'str_replace': text.Replace,
    'resource_facade': ref.ResourceFacade, **_CFN_2013,
}
_F20141016 = {**{k: v for k, v in _F20130523.items() if k not in _CFN_2013},
              'Fn::Select': coll.Select, **_REMOVED_2014}
_F20150430 = {**_F20141016, 'repeat': coll.Repeat, 'digest': text.Digest}
_F20151015 = {**_F20150430, 'get_attr': ref.GetAttrAll,
              'list_join': text.JoinMultiple, 'str_replace': text.ReplaceJson,
              'str_split': text.StrSplit, 'Fn::Select': Removed}
_F20160408 = {**_F20151015, 'map_merge': coll.MapMerge}
_F20161014 = {**_F20160408, 'repeat': coll.RepeatWithMap,
              'yaql': Yaql, 'map_replace': coll.MapReplace,
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
_C20170901 = {**_C20161014, 'yaql': Yaql, 'contains': coll.Contains}

_CFN_F20121212 = {
    'Fn::FindInMap': cfn.FindInMap, 'Fn::GetAZs': cfn.GetAZs, 'Ref': ref.Ref,
    'Fn::GetAtt': cfn.GetAtt, 'Fn::Select': coll.Select,
    'Fn::Join': text.Join, 'Fn::Split': text.CfnSplit,
    'Fn::Replace': text.CfnReplace, 'Fn::Base64': text.Base64,
    'Fn::MemberListToMap': cfn.MemberListToMap,
    'Fn::ResourceFacade': ref.ResourceFacade,
}
_CFN_F20100909 = {**_CFN_F20121212, 'Fn::If': cfn.If}
_CFN_C20100909 = {'Fn::Equals': cond.Equals, 'Ref': cfn.ParamRef,
                  'Fn::FindInMap': cfn.FindInMap, 'Fn::Not': cfn.Not,
                  'Fn::And': cond.And, 'Fn::Or': cond.Or}

# Functions that a listing of a version's functions leaves out.
_NOT_LISTED = (Removed,)


@dataclass(frozen=True)
class VersionSpec:
    """What one template version allows, and how it spells it."""
    date: str
    functions: Mapping
    condition_functions: Mapping
    param_modulo: bool = False      # the "modulo" parameter constraint
    param_tags: bool = False        # the "tags" parameter key
    version_key: str = HOT
    keys: TemplateKeys = HOT_KEYS
    # name, definition, spec -> ParamSchema; identity -> pseudo values
    parameter_schema: Callable = parameters.ParamSchema.from_dict
    pseudo_parameters: Callable = parameters.pseudo_values

    @property
    def is_cfn(self) -> bool:
        return self.version_key != HOT

    @property
    def name(self) -> str:
        """``<version key>.<date>``, as the template-versions API names it."""
        return '%s.%s' % (self.version_key, self.date)

    @property
    def has_conditions(self) -> bool:
        return bool(self.condition_functions)

    @property
    def sections(self) -> tuple:
        k = self.keys
        names = (self.version_key, k.description, k.parameter_groups,
                 k.mappings, k.parameters, k.resources, k.outputs,
                 k.conditions if self.has_conditions else None)
        return tuple(name for name in names if name is not None)

    @property
    def resource_keys(self) -> tuple:
        k = self.keys
        base = (k.type, k.properties, k.metadata, k.depends_on,
                k.deletion_policy, k.update_policy, k.description)
        if not self.has_conditions:
            return base
        extra = (k.external_id, k.condition)
        return base + tuple(key for key in extra if key is not None)

    @property
    def output_keys(self) -> tuple:
        base = (self.keys.description, self.keys.value)
        return base + (self.keys.condition,) if self.has_conditions else base

    @property
    def deletion_policies(self) -> dict:
        policies = {p: p for p in resource_definition.DELETION_POLICIES}
        # HOT 2016-10-14 added lower-case aliases; CFN never had them.
        if self.has_conditions and not self.is_cfn:
            policies.update({p.lower(): p for p in list(policies)})
        return policies

    def check_function_name(self, fn_name, path) -> None:
        """Reject what looks like a call but is no function of this version:
        in HOT a function of a later version, in CFN any unknown "Fn::"."""
        if fn_name in self.functions or fn_name in self.condition_functions:
            return
        if self.is_cfn:
            if isinstance(fn_name, str) and fn_name.startswith('Fn::'):
                raise exceptions.StackValidationFailed(
                    message='"%s" is not a function of %s %s (it has: %s)'
                            % (fn_name, self.version_key, self.date,
                               ', '.join(self.functions)),
                    path=[path])
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


def _cfn_spec(version_key, date, functions, conditions=None) -> VersionSpec:
    hot_like = _spec(date, functions, conditions)
    return VersionSpec(date, hot_like.functions,
                       hot_like.condition_functions, version_key=version_key,
                       keys=CFN_KEYS,
                       parameter_schema=cfn_parameters.schema_from_dict,
                       pseudo_parameters=cfn_parameters.pseudo_values)


CFN_SPECS = {spec.version_key: spec for spec in (
    _cfn_spec(AWS, '2010-09-09', _CFN_F20100909, _CFN_C20100909),
    _cfn_spec(HEAT_CFN, '2012-12-12', _CFN_F20121212))}
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
    present = [k for k in (HOT,) + CFN_VERSION_KEYS
               if isinstance(tmpl.get(k), str)]
    if len(present) > 1:
        raise exceptions.InvalidTemplateVersion(
            explanation='Ambiguous versions (%s)' % ', '.join(present))
    if not present:
        raise exceptions.InvalidTemplateVersion(
            explanation='Template version was not provided')
    key = present[0]
    if key != HOT:
        return _cfn_spec_for(key, tmpl[key])
    version = tmpl[HOT]
    date = ALIASES.get(version, version)
    if date not in SPECS:
        raise exceptions.InvalidTemplateVersion(
            explanation='"%s: %s". "%s" should be one of: %s' % (
                HOT, version, HOT, ', '.join(available_versions())))
    return SPECS[date]


def _cfn_spec_for(key: str, version: str) -> VersionSpec:
    spec = CFN_SPECS[key]
    if version != spec.date:
        raise exceptions.InvalidTemplateVersion(
            explanation='"%s: %s". "%s" should be: %s' % (
                key, version, key, spec.date))
    return spec


def _by_name() -> dict[str, VersionSpec]:
    """Every version by API name, HOT aliases included."""
    named = {spec.name: spec for spec in CFN_SPECS.values()}
    named.update((spec.name, spec) for spec in SPECS.values())
    named.update(('%s.%s' % (HOT, alias), SPECS[date])
                 for alias, date in ALIASES.items())
    return named


def template_versions() -> list[dict]:
    """``GET /template_versions``: every version with its aliases, sorted by
    name as Heat does (the CFN ones first)."""
    specs = sorted(list(CFN_SPECS.values()) + list(SPECS.values()),
                   key=lambda spec: spec.name)
    return [{'version': spec.name, 'type': 'cfn' if spec.is_cfn else 'hot',
             'aliases': sorted('%s.%s' % (HOT, alias)
                               for alias, target in ALIASES.items()
                               if target == spec.date and not spec.is_cfn)}
            for spec in specs]


def template_functions(template_version: str,
                       with_condition: bool = False) -> list[dict]:
    """``GET /template_versions/<v>/functions``: name and one-line summary.

    ``template_version`` is ``<version key>.<date or alias>``; NotFound if
    unknown.  Functions this engine does not implement, and those a version
    removed, are left out.
    """
    spec = _by_name().get(template_version)
    if spec is None:
        raise exceptions.NotFound(
            message='Template with version %s not found' % template_version)
    table = dict(spec.functions)
    if with_condition:
        table.update({k: v for k, v in spec.condition_functions.items()
                      if v is not InvalidInCondition})
    return [{'functions': name,
             'description': (inspect.getdoc(cls) or '').splitlines()[0]}
            for name, cls in table.items()
            if cls not in _NOT_LISTED]
