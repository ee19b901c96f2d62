"""Turning a create/update request into a validated StackDefinition.

What heat-engine does before it stores anything: parse, merge the
environment, check limits, validate.  Any problem raises a 400-class error
and nothing is written.
"""

import json

from convergence import exceptions
from convergence import resources
from convergence import template as tmpl
from convergence.resources import properties as props_schema
from convergence.template import limits

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
               identity: tuple) -> tmpl.StackDefinition:
    for what, value in (('Template', template), ('Environment', environment)):
        if limits.nested_too_deeply(value):
            raise exceptions.RequestLimitExceeded(
                message='%s nests maps and lists more than %d levels deep.'
                        % (what, limits.MAX_NESTING))
    env = tmpl.Environment(environment)
    return tmpl.StackDefinition(
        tmpl.Template(template, files=files or {}), env,
        dict(environment.get('parameters') or {}),
        tmpl.StackIdentity(*identity))


def validate(stack_def: tmpl.StackDefinition, max_resources: int) -> None:
    """Everything Heat checks before a stack operation is accepted."""
    files = stack_def.template.files

    def type_exists(type_name: str) -> bool:
        try:
            resources.get_class(type_name, files)
        except exceptions.ResourceTypeNotFound:
            return False
        return True

    def has_attribute(type_name: str, attr: str) -> bool:
        # A type that does not exist is reported as such by its own resource.
        return not type_exists(type_name) or \
            resources.get_class(type_name, files).has_attribute(attr)

    def validate_properties(defn, properties: dict) -> None:
        props_schema.validate_properties(
            resources.get_class(defn.type, files), defn.name, properties)

    stack_def.validate(type_exists=type_exists,
                       validate_properties=validate_properties,
                       has_attribute=has_attribute)
    count = len(stack_def.resource_names())
    if 0 <= max_resources < count:
        raise exceptions.RequestLimitExceeded(
            message='You have reached the maximum resources per stack, %d. '
                    'Please delete some resources.' % max_resources)


def with_environment_files(params: dict | None, environment_files,
                           files: dict | None) -> dict:
    """The environment of a request: its environment files, in order, then
    what the request itself gives (which wins), as heat-engine merges them."""
    if not environment_files:
        return dict(params or {})
    merged = tmpl.Environment({})
    for name in environment_files:
        if name not in (files or {}):
            raise exceptions.Invalid(
                reason='Environment file %s is missing from files' % name)
        merged = merged.merged_with(tmpl.parse_environment(files[name]))
    return merged.merged_with(params or {}).to_dict()


def patched_environment(stored: dict, given: dict | None,
                        clear_parameters: list | None) -> dict:
    """PATCH semantics: given values patch over the stored environment."""
    return tmpl.Environment(stored).merged_with(
        given or {}, clear_parameters=clear_parameters or ()).to_dict()
