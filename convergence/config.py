"""Configuration options, under Heat's names so a heat.conf works here.

Each default is the one Heat ships unless the comment says why ours differs.
"""

import os

from oslo_config import cfg

CONF = cfg.CONF

default_opts = [
    cfg.StrOpt('host', default=os.uname().nodename,
               help='Name of this engine host.'),
    cfg.IntOpt('num_engine_workers',
               help='Engine processes to fork per convergence-engine; '
                    'unset means max(4, CPUs) as in heat-engine.'),
    cfg.IntOpt('stack_action_timeout', default=3600,
               help='Seconds a stack operation may take when the stack has '
                    'no timeout of its own.'),
    cfg.IntOpt('max_resources_per_stack', default=1000,
               help='Most resources a stack may have; -1 for no limit.'),
    cfg.IntOpt('max_stacks_per_tenant', default=512,
               help='Most stacks a tenant may have; -1 for no limit.'),
    cfg.IntOpt('action_retry_limit', default=5,
               help='Retries of a resource action that ended in a '
                    'retryable error.'),
    cfg.IntOpt('client_retry_limit', default=2,
               help='Extra attempts to take a resource lock or create a '
                    'replacement.'),
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
    cfg.IntOpt('max_events_per_stack', default=1000,
               help='Events kept per stack; older ones are purged.'),
    cfg.IntOpt('periodic_interval', default=60,
               help='Seconds between engine heartbeats.'),
    cfg.IntOpt('engine_life_check_timeout', default=2,
               help='Seconds to wait for a lock holder to answer a ping.'),
    cfg.StrOpt('executor', default='eventlet', choices=['eventlet', 'threading'],
               help='oslo.messaging executor of the engine servers.'),
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
    cfg.BoolOpt('observe_on_update', default=False,
                help='Accepted for heat.conf compatibility; has no effect.'),
    cfg.BoolOpt('convergence_engine', default=True,
                help='Accepted for heat.conf compatibility; always on.'),
]

heat_api_opts = [
    cfg.StrOpt('bind_host', default='127.0.0.1',
               help='Address the REST API listens on.'),
    cfg.PortOpt('bind_port', default=8004,
                help='Port the REST API listens on.'),
    cfg.IntOpt('workers', default=1,
               help='Accepted for heat.conf compatibility.'),
]

DEFAULT_SQLITE = 'sqlite:///' + os.path.join(
    os.environ.get('CONVERGENCE_STATE_DIR',
                   os.path.expanduser('~/.local/share/convergence')),
    'convergence.sqlite')


def register(conf: cfg.ConfigOpts = CONF) -> cfg.ConfigOpts:
    """Register our options and the oslo libraries' on ``conf``; idempotent."""
    from oslo_db import options as db_options
    import oslo_messaging
    from oslo_messaging import transport as messaging_transport

    if 'stack_action_timeout' in conf:
        return conf
    conf.register_opts(default_opts)
    conf.register_opts(heat_api_opts, group='heat_api')
    db_options.set_defaults(conf, connection=DEFAULT_SQLITE)
    oslo_messaging.set_transport_defaults('convergence')
    conf.register_opts(messaging_transport._transport_opts)
    return conf


def list_opts():
    """For oslo-config-generator."""
    return [('DEFAULT', default_opts), ('heat_api', heat_api_opts)]
