"""Configuration options, under Heat's names so a heat.conf works here.

Each default is the one Heat ships unless the comment says why ours differs.
Heat options we do not honour are not registered; a config file that sets one
is warned about at start-up (``UNHONOURED_HEAT_OPTIONS``).
"""

import glob
import os

from oslo_config import cfg

from convergence.clients import options as client_options

CONF = cfg.CONF

default_opts = [
    cfg.StrOpt('host', default=os.uname().nodename,
               sample_default='<hostname>',
               help='Name of this engine host.'),
    cfg.StrOpt('default_notification_level', default='INFO',
               choices=['DEBUG', 'INFO', 'WARN', 'WARNING', 'ERROR',
                        'CRITICAL', 'SAMPLE'],
               ignore_case=True,
               help='Priority of the stack notifications of operations '
                    'that start or complete (a failure is always ERROR); '
                    'sent only when [oslo_messaging_notifications] driver '
                    'is set.'),
    cfg.StrOpt('default_publisher_id',
               help='publisher_id of stack notifications; unset means '
                    'orchestration.<host>.'),
    cfg.IntOpt('num_engine_workers',
               help='Engine processes to fork per convergence-engine; '
                    'unset means max(4, CPUs) as in heat-engine.'),
    cfg.IntOpt('stack_action_timeout', default=3600,
               help='Seconds a stack operation may take when the stack has '
                    'no timeout of its own.'),
    cfg.IntOpt('max_resources_per_stack', default=1000,
               help='Most resources a stack may have; -1 for no limit.'),
    cfg.IntOpt('max_nested_stack_depth', default=5, min=0,
               help='Deepest a tree of nested stacks may go: a root stack '
                    'is at depth 0, its children at 1.'),
    cfg.IntOpt('max_snapshots_per_stack', default=32,
               help='Maximum number of snapshots a stack may have; -1 for '
                    'no limit.  Not enforced for admin requests, as in '
                    'Heat (every noauth request is one).'),
    cfg.BoolOpt('enable_stack_abandon', default=False,
                help='Allow abandoning a stack: it is removed without '
                     'deleting its resources, and its abandon data '
                     'returned.'),
    cfg.BoolOpt('enable_stack_adopt', default=False,
                help='Allow creating a stack that adopts existing '
                     'resources from abandon data (adopt_stack_data).'),
    cfg.IntOpt('max_stacks_per_tenant', default=512,
               help='Most stacks a tenant may have; -1 for no limit.'),
    cfg.IntOpt('max_template_size', default=524288,
               help='Largest template accepted, in bytes.'),
    cfg.IntOpt('client_socket_timeout', default=60, min=0,
               help='Seconds one read or write on a client connection (a '
                    'header line, a piece of the body, the response) may '
                    'wait; 0 waits forever.'),
    cfg.IntOpt('keep_alive_timeout', default=30, min=0,
               help='Seconds a connection may stay idle waiting for its '
                    'next request; 0 closes every connection after one '
                    'request.'),
    cfg.IntOpt('max_connections', default=4096, min=1,
               help='Connections served at once (green threads); more '
                    'wait to be accepted.'),
    cfg.IntOpt('max_connections_per_client', default=256, min=0,
               help='Connections one source address may hold open; the '
                    'next ones are answered 503. 0 for no limit (behind a '
                    'proxy all clients share its address).'),
    cfg.IntOpt('max_json_body_size', default=1048576,
               help='Largest JSON request body accepted, in bytes.'),
    cfg.ListOpt('hidden_stack_tags', default=[],
                help='Stacks carrying any of these tags are left out of '
                     'stack lists and counts unless show_hidden is asked '
                     'for (eg. hidden_stack_tags=hide_me,me_too).'),
    cfg.IntOpt('max_events_per_stack', default=1000,
               help='Events kept per stack: the oldest are purged when a '
                    'stack operation ends; 0 keeps them all.'),
    cfg.IntOpt('periodic_interval', default=60,
               help='Seconds between engine heartbeats in the service '
                    'table; an engine is "up" while its last heartbeat is '
                    'younger than two of these.'),
    cfg.StrOpt('executor', default='eventlet',
               choices=[('eventlet', 'a green thread per RPC message'),
                        ('threading', 'a pool of threads for RPC messages')],
               help='oslo.messaging executor of the engine RPC servers; '
                    'resource nodes run on green threads either way.'),
    # oslo.service's option, which heat-engine reads; 0 waits for ever.
    cfg.IntOpt('graceful_shutdown_timeout', default=60, min=0,
               help='Seconds an engine stopping on SIGTERM waits for the '
                    'resource actions in flight to finish before it exits; '
                    '0 waits for ever.'),
    # Ours alone: heat-engine runs each node in an executor thread instead.
    cfg.IntOpt('max_running_nodes', default=16, min=1,
               help='Resource nodes (check_resource messages) one engine '
                    'process runs at the same time; nodes waiting for '
                    'their resource (action waits, polls) do not count. '
                    'Few keep one big stack from crowding out the others; '
                    'raise it when the database, not the engine CPU, is '
                    'the bottleneck.'),
    # Heat's layout under our name: Heat's own plugins import heat.engine.
    cfg.ListOpt('plugin_dirs',
                default=['/usr/lib64/convergence', '/usr/lib/convergence',
                         '/usr/local/lib/convergence',
                         '/usr/local/lib64/convergence'],
                help='List of directories to search for plug-ins: their '
                     'modules are imported at engine start and each '
                     "module's resource_mapping() adds resource types."),
]

heat_api_opts = [
    cfg.StrOpt('bind_host', default='127.0.0.1',
               help='Address the REST API listens on.'),
    cfg.PortOpt('bind_port', default=8004,
                help='Port the REST API listens on.'),
    # Ours: the role of Heat's heat_metadata_server_url and
    # heat_waitcondition_server_url, for the URLs the API itself serves.
    cfg.URIOpt('public_url', schemes=['http', 'https'],
               help='The URL at which servers (their agents) reach this '
                    'REST API, for the metadata and signal URLs the engine '
                    'hands them (<public_url>/agent/v1/metadata/<token>, '
                    '<public_url>/agent/v1/signal/<token>).  Engines and '
                    'APIs must agree on it.  Unset: http://<bind_host>:'
                    '<bind_port> (convergence-all: where its API listens); '
                    'set it when servers reach the API by another address '
                    '(bind_host 0.0.0.0, a proxy).'),
]

# Software deployments (docs/architecture.md, decision 21).  Heat's default
# config transport, POLL_SERVER_CFN, needs heat-api-cfn, which is not
# served here: ours is POLL_TEMP_URL.
software_config_opts = [
    cfg.StrOpt('default_software_config_transport', default='POLL_TEMP_URL',
               choices=[('POLL_TEMP_URL',
                         'the server polls a metadata URL the engine '
                         'serves'),
                        ('POLL_SERVER_HEAT',
                         'the server reads its resource metadata through '
                         'the API as its stack domain user (needs '
                         'stack_user_domain_id or _name)')],
               help="Heat's option: how a server (a DeployedServer, a "
                    "SOFTWARE_CONFIG Nova server) receives its software "
                    "configuration metadata when its template does not "
                    "say.  POLL_SERVER_CFN and ZAQAR_MESSAGE are not "
                    "implemented (refused at start-up)."),
    cfg.StrOpt('default_deployment_signal_transport',
               default='CFN_SIGNAL',
               choices=[('CFN_SIGNAL', 'HTTP POST to a URL the engine '
                         'serves (where Heat signs a heat-api-cfn URL)'),
                        ('TEMP_URL_SIGNAL', 'HTTP PUT to a URL the engine '
                         'serves (where Heat makes a Swift temp URL)'),
                        ('HEAT_SIGNAL', 'resource-signal through the API, '
                         'as the deployment\'s stack domain user (without '
                         'a stack user domain: a token of the caller)'),
                        ('NO_SIGNAL', 'no wait for the server')],
               help="Heat's option: how a deployment's server signals its "
                    "result when the template does not say.  ZAQAR_SIGNAL "
                    "is not implemented (refused at start-up)."),
]

# Stack domain users (docs/architecture.md, decision 23): Heat's options,
# with Heat's meaning (convergence/clients/stack_domain.py).
stack_domain_opts = [
    cfg.StrOpt('stack_user_domain_id',
               help='Keystone domain ID which contains heat '
                    'template-defined users. If this option is set, '
                    'stack_user_domain_name option will be ignored.'),
    cfg.StrOpt('stack_user_domain_name',
               help='Keystone domain name which contains heat '
                    'template-defined users. If `stack_user_domain_id` '
                    'option is set, this option is ignored.  Unset (both): '
                    'no stack domain users, and what needs one (HEAT_SIGNAL '
                    'and TOKEN_SIGNAL credentials, POLL_SERVER_HEAT) is '
                    'refused by name.'),
    cfg.StrOpt('stack_domain_admin',
               help='Keystone username, a user with roles sufficient to '
                    'manage users and projects in the stack_user_domain.'),
    cfg.StrOpt('stack_domain_admin_password', secret=True,
               help='Keystone password for stack_domain_admin user.'),
    cfg.StrOpt('heat_stack_user_role', default='heat_stack_user',
               help='Keystone role for heat template-defined users.'),
]

# Heat's [clients_heat] url: where a wait condition handle's signal URL
# points (convergence/resources/wait_condition.py).
clients_heat_opts = [
    cfg.StrOpt('url', default='',
               help='Heat API URL in the form '
                    'http://0.0.0.0:8004/v1/%(tenant_id)s, used in the '
                    'signal endpoint of OS::Heat::WaitConditionHandle '
                    '(its endpoint and curl_cli attributes).  Empty: this '
                    "configuration's own API address (the [heat_api] "
                    "options) followed by /v1/%(tenant_id)s."),
    cfg.BoolOpt('insecure', default=False,
                help="Heat's option: the handle's curl_cli attribute says "
                     "--insecure (its endpoint's certificate is not "
                     "verified)."),
]

# Ours alone (heat-engine has no metrics): convergence/metrics_server.py.
metrics_opts = [
    cfg.BoolOpt('enabled', default=False,
                help='Serve Prometheus metrics over HTTP from every engine '
                     'process (convergence-engine, convergence-all).  Off '
                     'by default: it opens a port, which an operator '
                     'chooses.'),
    cfg.HostAddressOpt('host', default='127.0.0.1',
                       help='Address the metrics endpoint listens on.'),
    cfg.PortOpt('port', default=9464,
                help='Port of the metrics endpoint (GET /metrics).  With '
                     'num_engine_workers N the engine processes listen on '
                     'port, port+1, ... port+N-1, one each; a port in use '
                     'stops the service at start-up.'),
]

# heat-api's pipeline choice (convergence/api/auth.py).
paste_deploy_opts = [
    cfg.StrOpt('flavor',
               help='How the API authenticates, as heat-api\'s pipeline '
                    'flavor: "keystone" (keystonemiddleware auth_token with '
                    '[keystone_authtoken], and Heat\'s policy) or "noauth" '
                    '(every caller is admin of the project in the URL). '
                    'Unset: keystone when a config file has a '
                    '[keystone_authtoken] section, else noauth.'),
]

# Bounds of every ``yaql`` function's evaluation
# (convergence/template/yaql_function.py).
yaql_opts = [
    cfg.IntOpt('limit_iterators', default=200, min=1,
               help='The largest number of elements a collection may have '
                    'while a yaql expression is evaluated.'),
    cfg.IntOpt('memory_quota', default=10000, min=1,
               help='The most memory, in bytes, a yaql expression may use '
                    'while it is evaluated.'),
]

DEFAULT_SQLITE = 'sqlite:///' + os.path.join(
    os.environ.get('CONVERGENCE_STATE_DIR',
                   os.path.expanduser('~/.local/share/convergence')),
    'convergence.sqlite')
# oslo.messaging's control_exchange: Heat's, so a stock heat-api (and a
# notification consumer such as ceilometer) finds the engines with the
# heat.conf it already has.  A heat-engine on the same virtual host would
# compete for the same topics: replace heat-engine, never run beside it.
CONTROL_EXCHANGE = 'heat'
# DEFAULT_SQLITE as the sample shows it: the same on every machine.
SAMPLE_SQLITE = ('sqlite:///<$CONVERGENCE_STATE_DIR or '
                 '~/.local/share/convergence>/convergence.sqlite')

# Heat options a heat.conf may set that we do not honour: (group, name) ->
# (why, None or the one value that asks for nothing we do not do anyway).
# Setting one in a config file is warned about at start-up; none of them is
# registered, so oslo.config would otherwise ignore it in silence.
UNHONOURED_HEAT_OPTIONS = {
    ('DEFAULT', 'action_retry_limit'): (
        'a resource action that fails fails its resource; it is never '
        'retried', 0),
    ('DEFAULT', 'engine_life_check_timeout'): (
        'an engine is taken for alive by its heartbeat in the service table '
        '(periodic_interval), never by an RPC ping', None),
    ('DEFAULT', 'observe_on_update'): (
        'an update compares templates; it never observes the real '
        'resources', False),
    ('DEFAULT', 'convergence_engine'): (
        'this engine is convergence only; there is no legacy engine to '
        'switch to', True),
    # Deferred operations act through a Keystone trust (convergence/clients/
    # trusts.py); Heat's other method, stored passwords, is not offered.
    ('DEFAULT', 'deferred_auth_method'): (
        'stored passwords are not implemented: deferred operations (nodes, '
        'timeouts, recovery, signals) act through a Keystone trust, as '
        'deferred_auth_method = trusts does', 'trusts'),
    ('DEFAULT', 'heat_metadata_server_url'): (
        'no CFN metadata API is served: servers read their metadata at the '
        'URLs the engine serves under [heat_api] public_url', None),
    ('DEFAULT', 'heat_waitcondition_server_url'): (
        'no CFN API is served: signals go to the URLs the engine serves '
        'under [heat_api] public_url', None),
    ('heat_api', 'workers'): (
        'convergence-api serves from one process; run several behind a '
        'load balancer', None),
}


def register(conf: cfg.ConfigOpts = CONF) -> cfg.ConfigOpts:
    """Register our options and the oslo libraries' on ``conf``; idempotent."""
    from oslo_db import options as db_options
    import oslo_messaging
    from oslo_messaging import transport as messaging_transport

    if 'stack_action_timeout' in conf:
        return conf
    conf.register_opts(default_opts)
    conf.register_opts(software_config_opts)
    conf.register_opts(stack_domain_opts)
    conf.register_opts(heat_api_opts, group='heat_api')
    conf.register_opts(yaql_opts, group='yaql')
    conf.register_opts(metrics_opts, group='metrics')
    conf.register_opts(clients_heat_opts, group='clients_heat')
    conf.register_opts(paste_deploy_opts, group='paste_deploy')
    client_options.register(conf)
    db_options.set_defaults(conf, connection=DEFAULT_SQLITE)
    oslo_messaging.set_transport_defaults(CONTROL_EXCHANGE)
    conf.register_opts(messaging_transport._transport_opts)
    return conf


def list_opts():
    """For oslo-config-generator (entry point ``oslo.config.opts``)."""
    clients = client_options.list_opts()
    return [('DEFAULT', default_opts + software_config_opts + stack_domain_opts
             + clients[0][1]),
            ('heat_api', heat_api_opts),
            ('paste_deploy', paste_deploy_opts), ('yaql', yaql_opts),
            ('metrics', metrics_opts), ('clients_heat', clients_heat_opts)]\
        + clients[1:]


def sample_defaults() -> None:
    """For oslo-config-generator (entry point ``oslo.config.opts.defaults``):
    the defaults ``register`` gives the libraries' options, as the sample
    shows them."""
    from oslo_db import options as db_options
    import oslo_messaging

    cfg.set_defaults(db_options.database_opts, connection=SAMPLE_SQLITE)
    oslo_messaging.set_transport_defaults(CONTROL_EXCHANGE)


def unhonoured_settings(conf: cfg.ConfigOpts) -> list[str]:
    """A warning for each Heat option we do not honour that a config file
    ``conf`` read sets, unless it sets the value we act on anyway."""
    warnings = []
    for (group, name), (value, path) in _file_settings(conf).items():
        why, harmless = UNHONOURED_HEAT_OPTIONS.get((group, name), (None, None))
        if why is None or _means(value, harmless):
            continue
        warnings.append('%s sets [%s] %s = %s, which is not honoured: %s.'
                        % (path, group, name, value, why))
    return warnings


def file_sections(conf: cfg.ConfigOpts) -> set[str]:
    """The section names conf's config files hold (registered or not)."""
    return {group for group, _name in _file_settings(conf)}


def _file_settings(conf: cfg.ConfigOpts) -> dict[tuple[str, str], tuple[str, str]]:
    """(group, name) -> (value, file) of what conf's config files set.

    ``--config-file`` files in order, then ``--config-dir`` ones; the last
    that sets an option wins.  oslo.config goes by command-line order, which
    differs only when a directory comes before a file setting the same option.
    """
    paths = list(conf.config_file or ())
    directories = conf.config_dir or []
    # A list in oslo.config 10; a plain string is one directory.
    for directory in [directories] if isinstance(directories, str) else directories:
        paths += sorted(glob.glob(os.path.join(os.path.expanduser(directory),
                                               '*.conf')))
    settings = {}
    for path in paths:
        sections: dict = {}
        cfg.ConfigParser(path, sections).parse()
        for group, values in sections.items():
            for name, written in values.items():
                settings[(group, name)] = (written[-1], path)
    return settings


def _means(value: str, harmless) -> bool:
    """Whether a config file's ``value`` is ``harmless`` (a bool, an int or
    a string, compared without case)."""
    if harmless is None:
        return False
    if isinstance(harmless, str):
        return value.strip().lower() == harmless
    parse = cfg.types.Boolean() if isinstance(harmless, bool) else cfg.types.Integer()
    try:
        return parse(value) == harmless
    except ValueError:
        return False
