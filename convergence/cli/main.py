"""``convergence apply | watch | graph``: the friendly CLI.

Finds the orchestration endpoint and credentials as the OpenStack clients
do (openstacksdk's config loader: ``OS_*`` variables, ``clouds.yaml``,
``--os-cloud``, ``--os-auth-type none --os-endpoint URL``), plus
``--os-url`` (the orchestration endpoint itself, with any auth).
"""

import argparse
import sys

import graphviz
import openstack.config
import openstack.exceptions
from keystoneauth1 import exceptions as ks_exceptions
from openstack.orchestration.util import template_utils

from convergence.cli import dot
from convergence.cli import render
from convergence.cli import rest
from convergence.cli import watch

# Exit statuses: the operation failed; the command could not be carried out.
EXIT_FAILED = 1
EXIT_ERROR = 2
GRAPH_FORMATS = ('dot', 'svg', 'png')


class CliError(Exception):
    """A message for the user; the command exits EXIT_ERROR."""


def _parser(config: openstack.config.OpenStackConfig,
            argv: list[str]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog='convergence', description='Apply, watch and draw Heat stacks '
        'through the orchestration API (ours or any heat-api).')
    config.register_argparse_arguments(parser, argv,
                                       service_keys=['orchestration'])
    parser.add_argument('--os-url', help='the orchestration endpoint '
                        '(.../v1/<tenant>), instead of the catalog\'s')
    commands = parser.add_subparsers(dest='command', required=True)
    apply = commands.add_parser('apply', help='create the stack, or update '
                                'it after showing the preview; then watch')
    apply.add_argument('-t', '--template', required=True)
    apply.add_argument('-e', '--environment', action='append', default=[])
    apply.add_argument('--parameter', action='append', default=[],
                       metavar='KEY=VALUE')
    apply.add_argument('--enable-rollback', action='store_true',
                       help='roll back when the operation fails')
    apply.add_argument('--timeout', type=int, metavar='MINUTES')
    apply.add_argument('name')
    follow = commands.add_parser('watch', help='follow the stack\'s '
                                 'current operation to its end')
    follow.add_argument('name')
    draw = commands.add_parser('graph', help='the stack\'s dependency graph, '
                               'nodes coloured by state')
    draw.add_argument('--format', choices=GRAPH_FORMATS)
    draw.add_argument('-o', '--output', help='file (default: standard '
                      'output; its extension gives the format)')
    draw.add_argument('name')
    return parser


def _api(config, args) -> rest.Orchestration:
    region = config.get_one(argparse=args)
    session = region.get_session()
    endpoint = args.os_url or region.get_session_endpoint('orchestration')
    if not endpoint:
        raise CliError('no orchestration endpoint: give --os-url, '
                       '--os-endpoint with --os-auth-type none, or a cloud '
                       'whose catalog has one')
    return rest.Orchestration(session, endpoint)


def _parameters(pairs: list[str]) -> dict:
    parameters = {}
    for pair in pairs:
        key, sep, value = pair.partition('=')
        if not sep or not key:
            raise CliError('--parameter %r is not KEY=VALUE' % pair)
        parameters[key] = value
    return parameters


def _fields(args) -> dict:
    files, template = template_utils.get_template_contents(
        template_file=args.template)
    env_files, environment = \
        template_utils.process_multiple_environments_and_files(
            env_paths=args.environment)
    fields = {'template': template, 'files': dict(files, **env_files),
              'environment': environment,
              'parameters': _parameters(args.parameter),
              'disable_rollback': not args.enable_rollback}
    if args.timeout is not None:
        fields['timeout_mins'] = args.timeout
    return fields


def _stack(api, name: str) -> dict:
    stack = api.find(name)
    if stack is None:
        raise CliError('Stack %s not found' % name)
    return stack


def _watch(api, stack: dict, before: dict | None = None) -> int:
    ok = watch.follow(lambda: api.graph(stack), sys.stdout, before=before)
    return 0 if ok else EXIT_FAILED


def apply(api, args) -> int:
    fields = _fields(args)
    stack = api.find(args.name)
    if stack is None:
        fields['stack_name'] = args.name
        created = api.create(fields)
        print('creating %s (%s)' % (args.name, created['id']))
        return _watch(api, dict(created, stack_name=args.name),
                      before=watch.NOTHING)
    before = api.graph(stack)
    _show_preview(api, stack, fields)
    api.update(stack, fields)
    print('updating %s (%s)' % (stack['stack_name'], stack['id']))
    return _watch(api, stack, before=before)


def _show_preview(api, stack: dict, fields: dict) -> None:
    try:
        changes = api.preview_update(stack, fields)
    except rest.ApiError as err:
        if err.status not in (404, 405, 501):
            raise   # the update would be refused alike
        print('(no preview: the API does not offer it)')
        return
    current = api.show(stack)
    for line in render.parameter_changes(current.get('parameters') or {},
                                         fields['parameters']):
        print(line)
    for line in render.preview(changes, api.template(stack),
                               fields['template']):
        print(line)


def watch_stack(api, args) -> int:
    return _watch(api, _stack(api, args.name))


def _graph_format(args) -> str:
    if args.format:
        return args.format
    extension = (args.output or '').rpartition('.')[2]
    return extension if extension in GRAPH_FORMATS else 'dot'


def graph(api, args) -> int:
    text = dot.to_dot(api.graph(_stack(api, args.name)))
    kind = _graph_format(args)
    if kind == 'dot':
        data = text.encode()
    else:
        try:
            data = graphviz.Source(text).pipe(format=kind)
        except graphviz.ExecutableNotFound:
            raise CliError('--format %s needs graphviz\'s "dot" program, '
                           'which is not installed (Debian: apt-get install '
                           'graphviz); --format dot needs nothing' % kind)
    if args.output:
        with open(args.output, 'wb') as out:
            out.write(data)
    else:
        sys.stdout.buffer.write(data)
    return 0


COMMANDS = {'apply': apply, 'watch': watch_stack, 'graph': graph}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    config = openstack.config.OpenStackConfig()
    args = _parser(config, argv).parse_args(argv)
    try:
        return COMMANDS[args.command](_api(config, args), args)
    except (CliError, rest.ApiError, openstack.exceptions.SDKException,
            ks_exceptions.ClientException, OSError) as err:
        print('convergence: %s' % err, file=sys.stderr)
        return EXIT_ERROR
