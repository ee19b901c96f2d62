"""The body of a stack create/update/preview/validate, read as heat-api does.

heat-api parses a template given as text (JSON or YAML), checks its size,
validates and defaults the environment's sections and merges the body's
``parameters`` into it; everything else in the body goes to the engine as
``args``.  The engine receives exactly that (docs/engine-rpc.md).
"""

import json
from typing import Any

from webob import exc

from convergence import exceptions
from convergence import stack_names
from convergence.api import params
from convergence.template import template_format

# Body keys that are not "args".
DATA_KEYS = ('stack_name', 'template', 'template_url', 'parameters',
             'environment', 'files', 'environment_files', 'files_container')
ENV_SECTIONS = ('parameters', 'resource_registry', 'parameter_defaults',
                'encrypted_param_names', 'event_sinks',
                'parameter_merge_strategies')
_LIST_SECTIONS = ('encrypted_param_names', 'event_sinks')
# Body keys whose value is a list, when given (an update's clear_parameters
# is one of the "args").
_LIST_ARGS = ('clear_parameters',)
DEFAULT_MAX_TEMPLATE_SIZE = 524288


def _as_http_error(err: exceptions.ConvergenceError) -> Exception:
    """A document heat-api could not parse is its 400 HTTPBadRequest; one
    over a size bound (an alias bomb) keeps its RequestLimitExceeded, as
    heat-api lets that error through."""
    if isinstance(err, exceptions.RequestLimitExceeded):
        return err
    return exc.HTTPBadRequest(err.message)


def _is_list_of_strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


class StackData:
    """One request body; ``patch`` for PATCH (template may be absent)."""

    def __init__(self, body: dict | None, patch: bool = False,
                 max_template_size: int = DEFAULT_MAX_TEMPLATE_SIZE) -> None:
        if not isinstance(body, dict):
            raise exc.HTTPBadRequest()
        self.data = body
        self.patch = patch
        self.max_template_size = max_template_size
        if patch:
            self.data['existing'] = True

    def stack_name(self) -> str:
        if 'stack_name' not in self.data:
            raise exc.HTTPBadRequest('No stack name specified')
        return stack_names.validate(self.data['stack_name'])

    def template(self) -> dict | None:
        """The template as a dict; None only for a PATCH without one."""
        if 'adopt_stack_data' in self.data:
            return self._adopt_template()
        tmpl = self.data.get('template')
        if tmpl is None and self.data.get('template_url'):
            raise exceptions.NotSupported(
                feature='Fetching a template from template_url (send the '
                        'template itself)')
        if tmpl is None:
            if self.patch:
                return None
            raise exc.HTTPBadRequest('No template specified')
        self._check_size(str(tmpl))
        try:
            return template_format.parse_template(tmpl)
        except exceptions.BadRequest as err:
            raise _as_http_error(err)

    def _adopt_template(self) -> dict:
        """An adopt request carries its template inside the adopt data."""
        adopt = self.data['adopt_stack_data']
        try:
            if not isinstance(adopt, dict):
                adopt = json.loads(adopt)
            tmpl = adopt['template']
        except (ValueError, KeyError, TypeError) as err:
            raise exc.HTTPBadRequest('Invalid adopt data: %s' % err)
        self._check_size(str(tmpl))
        return tmpl

    def _check_size(self, text: str) -> None:
        if len(text) > self.max_template_size:
            raise params.limit_exceeded(
                'Template size (%d bytes) exceeds maximum allowed size '
                '(%d bytes).' % (len(text), self.max_template_size))

    def environment(self) -> dict:
        """The environment with all sections and the body's parameters."""
        env: dict[str, Any] = {}
        if ('environment' in self.data
                and not self.data.get('environment_files')):
            env = self._parse_environment(self.data['environment'])
        for section in ENV_SECTIONS[:-1]:
            env.setdefault(section, [] if section in _LIST_SECTIONS else {})
        parameters = self.data.get('parameters') or {}
        if not isinstance(parameters, dict):
            raise exc.HTTPBadRequest('Invalid parameters, must be a map of '
                                     'parameter names to values')
        env['parameters'].update(parameters)
        return env

    @staticmethod
    def _parse_environment(raw: Any) -> dict:
        if not isinstance(raw, (dict, str, type(None))):
            raise exc.HTTPBadRequest(
                'Environment not in valid format: The environment is not a '
                'valid YAML mapping data type.')
        try:
            env = template_format.parse_environment(raw)
        except exceptions.BadRequest as err:
            raise _as_http_error(err)
        for section, value in env.items():
            problem = ('wrong' if section not in ENV_SECTIONS
                       else 'empty' if value is None
                       else 'malformed' if not isinstance(
                           value, list if section in _LIST_SECTIONS else dict)
                       else None)
            if problem:
                raise exc.HTTPBadRequest(
                    'Environment not in valid format: environment has %s '
                    'section "%s"' % (problem, section))
        return env

    def files(self) -> dict:
        """File names and their text, each within the template size."""
        files = self.data.get('files') or {}
        if not isinstance(files, dict) or not all(
                isinstance(v, str) for v in files.values()):
            raise exc.HTTPBadRequest('Invalid files, must be a map of file '
                                     'names to their contents')
        for name, text in files.items():
            if len(text) > self.max_template_size:
                raise params.limit_exceeded(
                    'File %s size (%d bytes) exceeds maximum allowed size '
                    '(%d bytes).' % (name, len(text), self.max_template_size))
        return files

    def environment_files(self) -> list | None:
        names = self.data.get('environment_files')
        if names is not None and not _is_list_of_strings(names):
            raise exc.HTTPBadRequest('Invalid environment_files, must be a '
                                     'list of file names')
        return names

    def files_container(self) -> str | None:
        return self.data.get('files_container')

    def args(self, is_update: bool = False) -> dict:
        """Everything else in the body, with heat-api's conversions."""
        args = {k: v for k, v in self.data.items() if k not in DATA_KEYS}
        if 'timeout_mins' in args:
            args['timeout_mins'] = params.extract_int(
                'timeout_mins', args['timeout_mins'])
        if args.get('tags') is not None:
            args['tags'] = params.extract_tags(args['tags'])
        for key in _LIST_ARGS:
            if key in args and not _is_list_of_strings(args[key]):
                raise exc.HTTPBadRequest('Invalid %s, must be a list of '
                                         'names' % key)
        if not is_update and 'converge' in args:
            raise exc.HTTPBadRequest(
                'converge flag only supported in stack update (or update '
                'preview) request.')
        return args

    def engine_kwargs(self) -> dict:
        """The template/params/files arguments every engine call takes."""
        return {'template': self.template(), 'params': self.environment(),
                'files': self.files(),
                'environment_files': self.environment_files(),
                'files_container': self.files_container()}
