"""A software deployment's rules, as Heat 27 applies them (pure).

- ``derived_config``: the config a deployment action hands the server:
  the source config's inputs with the deployment's ``input_values`` (an
  undeclared value becomes an input of its own), then Heat's ``deploy_*``
  inputs; a StructuredDeployment's config gets its ``get_input``s
  substituted.
- ``signalled``: what a signal's details make of the deployment
  (heat-engine's signal_software_deployment): its status, reason and
  output values.  Only the outputs the config declares are kept, with
  ``deploy_stdout``, ``deploy_stderr`` and ``deploy_status_code``; a
  non-zero status code or an ``error_output`` with a value fails it.
"""

import collections.abc
import dataclasses
import functools

from convergence import exceptions

IN_PROGRESS, COMPLETE, FAILED = 'IN_PROGRESS', 'COMPLETE', 'FAILED'
STDOUT, STDERR, STATUS_CODE = ('deploy_stdout', 'deploy_stderr',
                               'deploy_status_code')
DEPLOY_OUTPUTS = (STDOUT, STDERR, STATUS_CODE)
UNGROUPED = 'Heat::Ungrouped'
COMPONENT_GROUP = 'component'
INPUT_KEY_DEFAULT = 'get_input'
LAX, STRICT = 'LAX', 'STRICT'


@dataclasses.dataclass(frozen=True)
class Deploy:
    """Who and where a deployment action is: Heat's ``deploy_*`` values."""

    server_id: str
    action: str
    stack_path: str           # "<stack name>/<stack id>"
    resource_name: str
    signal_transport: str
    signal_id: str | None = None     # the URL to signal (URL transports)
    signal_verb: str | None = None   # its HTTP verb
    # HEAT_SIGNAL's stack domain user: auth_url, username, user_id,
    # password, project_id (None: no stack user domain here).
    auth: dict | None = None


def runs_for(source: dict, action: str, actions: list) -> bool:
    """Whether ``action`` triggers the deployment: for a component config,
    the actions its configs name; else the ``actions`` property."""
    if source.get('group') == COMPONENT_GROUP:
        listed = set()
        for item in (source.get('config') or {}).get('configs') or ():
            listed.update(item.get('actions') or ())
        return action in listed
    return action in (actions or ())


def derived_inputs(source_inputs: list, input_values: dict | None,
                   deploy: Deploy) -> list[dict]:
    """Heat's _build_derived_inputs: declared inputs with their values
    (given, else the default), undeclared values, then ``deploy_*``."""
    values = dict(input_values or {})
    derived = []
    for declared in source_inputs or ():
        item = {k: v for k, v in declared.items() if k != 'value'}
        item['value'] = values.pop(declared['name'], declared.get('default'))
        derived.append(item)
    derived += [{'name': name, 'value': value}
                for name, value in values.items()]
    derived += [
        _input('deploy_server_id', deploy.server_id,
               'ID of the server being deployed to'),
        _input('deploy_action', deploy.action,
               'Name of the current action being deployed'),
        _input('deploy_stack_id', deploy.stack_path,
               'ID of the stack this deployment belongs to'),
        _input('deploy_resource_name', deploy.resource_name,
               'Name of this deployment resource in the stack'),
        _input('deploy_signal_transport', deploy.signal_transport,
               'How the server should signal to heat with the deployment '
               'output values.')]
    if deploy.signal_id is not None:
        derived += [
            _input('deploy_signal_id', deploy.signal_id,
                   'ID of signal to use for signaling output values'),
            _input('deploy_signal_verb', deploy.signal_verb,
                   'HTTP verb to use for signaling output values')]
    if deploy.auth is not None:
        derived += [_input('deploy_%s' % key, deploy.auth[key], description)
                    for key, description in AUTH_INPUTS]
    return derived


# Heat's inputs of a HEAT_SIGNAL deployment's stack user, in Heat's order.
AUTH_INPUTS = (('auth_url', 'URL for API authentication'),
               ('username', 'Username for API authentication'),
               ('user_id', 'User ID for API authentication'),
               ('password', 'Password for API authentication'),
               ('project_id', 'ID of project for API authentication'))


def _input(name: str, value, description: str) -> dict:
    return {'name': name, 'value': value, 'description': description}


def derived_config(source: dict, inputs: list[dict], name: str | None,
                   structured: dict | None = None) -> dict:
    """The create_software_config arguments of the derived config.

    ``source``: the config as show_software_config gives it (an empty dict
    when the deployment names none); ``name``: the ``name`` property, else
    the source's name; ``structured``: a StructuredDeployment's
    ``{'input_key', 'validate'}`` (its config gets its inputs substituted).
    """
    config = source.get('config')
    if structured is not None:
        config = substitute(config, {i['name']: i.get('value')
                                     for i in inputs},
                            structured['input_key'], structured['validate'])
        empty = {}
    else:
        empty = ''
    return {'group': source.get('group') or UNGROUPED,
            'config': config or empty,
            'options': source.get('options'),
            'inputs': inputs,
            'outputs': list(source.get('outputs') or ()),
            'name': name or source.get('name')}


def substitute(snippet, inputs: dict, input_key: str = INPUT_KEY_DEFAULT,
               validate: str = LAX):
    """StructuredDeployment.parse: ``{<input_key>: name}`` becomes the
    input's value, at any depth.

    Raises:
        UserParameterMissing: with ``STRICT``, an input without a value.
    """
    again = functools.partial(substitute, inputs=inputs, input_key=input_key,
                              validate=validate)
    if isinstance(snippet, collections.abc.Mapping):
        if len(snippet) == 1:
            key, arg = next(iter(snippet.items()))
            if key == input_key and isinstance(arg, str):
                if validate == STRICT and arg not in inputs:
                    raise exceptions.UserParameterMissing(key=arg)
                return inputs.get(arg)
        return {k: again(v) for k, v in snippet.items()}
    if isinstance(snippet, collections.abc.Iterable) and not isinstance(
            snippet, (str, bytes)):
        return [again(v) for v in snippet]
    return snippet


@dataclasses.dataclass(frozen=True)
class Signalled:
    """What a signal made of a deployment."""

    status: str
    status_reason: str
    output_values: dict
    event_reason: str


def signalled(deployment_id: str, declared_outputs: list, details,
              output_values: dict | None) -> Signalled:
    """heat-engine's signal_software_deployment, for an IN_PROGRESS
    deployment whose derived config declares ``declared_outputs``."""
    details = details if isinstance(details, dict) else {}
    values = dict(output_values or {})
    reasons = {}
    failed = False
    code = details.get(STATUS_CODE)
    if code and str(code) != '0':
        failed = True
        reasons[STATUS_CODE] = ('Deployment exited with non-zero status '
                                'code: %s' % code)
        event = 'deployment %s failed (%s)' % (deployment_id, code)
    else:
        event = 'deployment %s succeeded' % deployment_id
    for output in declared_outputs or ():
        key = output['name']
        if key in details:
            values[key] = details[key]
            if output.get('error_output', False):
                failed = True
                reasons[key] = details[key]
                event = 'deployment %s failed' % deployment_id
    for key in DEPLOY_OUTPUTS:
        values[key] = details.get(key)
    if not failed:
        return Signalled(COMPLETE, 'Outputs received', values, event)
    if values.get(STDERR):
        # Ours: the script's stderr too, so the resource says why.
        reasons.setdefault(STDERR, values[STDERR])
    reason = ', '.join('%s : %s' % (k, v) for k, v in reasons.items())
    return Signalled(FAILED, reason, values, event)


def undeclared(declared_outputs: list, details) -> list[str]:
    """The keys of a signal's details that are neither a declared output
    nor a ``deploy_*`` one (Heat ignores them; so do we, and say so)."""
    if not isinstance(details, dict):
        return []
    known = {o['name'] for o in declared_outputs or ()} | set(DEPLOY_OUTPUTS)
    return sorted(k for k in details if k not in known)


def failure_reason(status_reason: str) -> str:
    """Heat's reason for a deployment resource whose deployment FAILED."""
    return 'Deployment to server failed: %s' % status_reason
