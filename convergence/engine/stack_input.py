"""Turning a create/update request into a validated StackDefinition.

What heat-engine does before it stores anything: parse, merge the
environment, check limits, validate.  Any problem raises a 400-class error
and nothing is written.
"""

import json

from convergence import exceptions
from convergence import template as tmpl
from convergence.engine import nested_validation
from convergence.template import env_merge, limits
from convergence.template import parameters as params_mod

# The longest timeout_mins the stack row's INTEGER column can hold.
MAX_TIMEOUT_MINS = 2 ** 31 - 1
_TRUE = ('true', 't', 'on', 'y', 'yes', '1')
_FALSE = ('false', 'f', 'off', 'n', 'no', '0')


def extract_bool(name: str, value) -> bool:
    """Heat's reading of a boolean request argument."""
    if isinstance(value, bool):
        return value
    if str(value).lower() in _TRUE:
        return True
    if str(value).lower() in _FALSE:
        return False
    raise exceptions.Invalid(
        reason='Unrecognized value "%s" for "%s", acceptable values are: '
               'true, false.' % (value, name))


def extract_timeout(args: dict) -> int | None:
    value = args.get('timeout_mins')
    if value in (None, '', 0, '0'):
        return None
    try:
        minutes = int(value)
    except (TypeError, ValueError):
        raise exceptions.Invalid(reason='Invalid timeout value %s' % value)
    if not 0 < minutes <= MAX_TIMEOUT_MINS:
        raise exceptions.Invalid(reason='Invalid timeout value %s' % value)
    return minutes


def parse(template, max_size: int) -> dict:
    """The template as a dict, within the size limit."""
    text = template if isinstance(template, str) else json.dumps(template)
    if len(text) > max_size:
        raise exceptions.RequestLimitExceeded(
            message='Template size (%d bytes) exceeds maximum allowed size '
                    '(%d bytes).' % (len(text), max_size))
    return tmpl.parse_template(template, max_size)


def definition(template: dict, environment: dict, files: dict | None,
               identity: tuple, facade: dict | None = None
               ) -> tmpl.StackDefinition:
    for what, value in (('Template', template), ('Environment', environment)):
        if limits.nested_too_deeply(value):
            raise exceptions.RequestLimitExceeded(
                message='%s nests maps and lists more than %d levels deep.'
                        % (what, limits.MAX_NESTING))
    env = tmpl.Environment(environment)
    return tmpl.StackDefinition(
        tmpl.Template(template, files=files or {}), env,
        dict(environment.get('parameters') or {}),
        tmpl.StackIdentity(*identity), facade)


def validate(stack_def: tmpl.StackDefinition, max_resources: int,
             max_depth: int = nested_validation.MAX_NESTED_STACK_DEPTH,
             strict: bool = True, strict_children: bool = True) -> None:
    """Everything Heat checks before a stack operation is accepted, down
    the whole tree of nested stacks (``nested_validation``).  Not
    ``strict``: parameter values are neither required nor checked, and
    properties are not resolved; not ``strict_children``: so for the
    nested stacks (the validate API)."""
    nested_validation.validate_tree(stack_def, max_resources, max_depth,
                                    strict=strict,
                                    strict_children=strict_children)


def with_environment_files(params: dict | None, environment_files,
                           files: dict | None,
                           template: dict | None = None) -> dict:
    """The environment of a request with its environment files merged over
    it, in order, as heat-engine merges them (``env_merge``): heat-api has
    already dropped the request's own environment, keeping only its
    parameters.  ``template``: the request's template, whose parameters'
    types (and those of the templates in files) say how a ``merge`` or
    ``deep_merge`` strategy merges a value.
    """
    if not environment_files:
        return dict(params or {})
    parsed = []
    for name in environment_files:
        if name not in (files or {}):
            raise exceptions.Invalid(
                reason='Environment file %s is missing from files' % name)
        parsed.append((name, tmpl.parse_environment(files[name])))
    types = _parameter_types(template, files or {})
    if template is None:
        types = {k: None for k in types}
    merged = env_merge.merge_files(params or {}, parsed, types)
    return tmpl.Environment(merged).to_dict()


def _parameter_types(template: dict | None, files: dict) -> dict:
    """Parameter name -> type, of every template in ``files`` and then of
    ``template`` (whose declarations win), as Heat's all_param_schemata."""
    types = {}
    for text in list(files.values()) + [template]:
        try:
            parsed = tmpl.parse_template(text) if text is not None else {}
            t = tmpl.Template(parsed)
            schemas = params_mod.Parameters(
                t.t.get(t.keys.parameters), t.spec, {}, {}, None).schemas
        except (exceptions.ConvergenceError, TypeError, ValueError):
            continue
        types.update({n: schema.type for n, schema in schemas.items()})
    return types


def patched_environment(stored: dict, given: dict | None,
                        clear_parameters: list | None,
                        template: dict | None = None) -> dict:
    """PATCH semantics: given values patch over the stored environment;
    as in Heat, parameters the new ``template`` does not declare are
    dropped."""
    env = tmpl.Environment(stored).merged_with(
        given or {}, clear_parameters=clear_parameters or ())
    if template is not None:
        env = env.with_only_parameters(_parameter_types(template, {}))
    return env.to_dict()
