"""The options of the cloud clients, under Heat's names and groups.

``[clients]`` gives every client's defaults; ``[clients_<name>]`` overrides
them for one service (unset: ``[clients]``'s).  ``[trustee]`` holds the
engine's service user, to whom stack creators delegate their roles
(keystoneauth's auth options, as Heat loads them).
"""

from oslo_config import cfg

TRUSTEE_GROUP = 'trustee'
# The services whose clients exist here, by Heat's client names.
CLIENT_NAMES = ('keystone', 'neutron', 'nova', 'cinder', 'glance', 'heat')
# Catalog service type -> the client (and so the [clients_<name>] group)
# that talks to it.
SERVICE_CLIENTS = {'identity': 'keystone', 'network': 'neutron',
                   'compute': 'nova', 'volumev3': 'cinder',
                   'block-storage': 'cinder', 'image': 'glance',
                   'orchestration': 'heat'}

default_opts = [
    cfg.StrOpt('region_name_for_services',
               help='Default region name used to get services endpoints '
                    '(a request\'s X-Region-Name wins; it is stored with '
                    'the stack).'),
    cfg.ListOpt('trusts_delegated_roles', default=[],
                help='Subset of trustor roles to be delegated to the '
                     'engine\'s service user when a stack is created.  If '
                     'left unset, all roles of the user are delegated.'),
    cfg.IntOpt('client_retry_limit', default=2, min=0,
               help='Number of times to retry when a client encounters an '
                    'expected intermittent error (a connection failure, a '
                    '5xx answer, a conflict while something else finishes). '
                    'Set to 0 to disable retries.'),
]


def _client_opts(defaults: bool) -> list[cfg.Opt]:
    """Heat's per-client options; the per-service groups default to None,
    meaning "as [clients] says"."""
    return [
        cfg.StrOpt('endpoint_type',
                   default='publicURL' if defaults else None,
                   help='Type of endpoint in Identity service catalog to '
                        'use for communication with the OpenStack service '
                        '(publicURL, internalURL, adminURL or public, '
                        'internal, admin).'),
        cfg.StrOpt('ca_file',
                   help='Optional CA cert file to use in SSL connections.'),
        cfg.StrOpt('cert_file',
                   help='Optional PEM-formatted certificate chain file.'),
        cfg.StrOpt('key_file',
                   help='Optional PEM-formatted file that contains the '
                        'private key.'),
        cfg.BoolOpt('insecure', default=False if defaults else None,
                    help="If set, then the server's certificate will not be "
                         "verified."),
    ]


clients_opts = _client_opts(defaults=True)
# [clients_heat] insecure is config.py's already (the wait condition
# handle's curl_cli says --insecure by it): the orchestration client reads
# that one.
service_client_opts = {name: [opt for opt in _client_opts(defaults=False)
                              if (name, opt.name) != ('heat', 'insecure')]
                       for name in CLIENT_NAMES}


def register(conf: cfg.ConfigOpts) -> None:
    """Register the client options and ``[trustee]``'s auth options."""
    from keystoneauth1 import loading as ks_loading

    conf.register_opts(default_opts)
    conf.register_opts(clients_opts, group='clients')
    for name, opts in service_client_opts.items():
        conf.register_opts(opts, group='clients_' + name)
    ks_loading.register_auth_conf_options(conf, TRUSTEE_GROUP)


def list_opts() -> list[tuple[str, list[cfg.Opt]]]:
    """For oslo-config-generator: the groups ``register`` fills (the
    trustee's plugin options are keystoneauth's, as in Heat's sample)."""
    from keystoneauth1 import loading as ks_loading

    trustee = (ks_loading.get_auth_common_conf_options()
               + ks_loading.get_auth_plugin_conf_options('password'))
    return ([('DEFAULT', default_opts), ('clients', clients_opts)]
            + [('clients_' + name, opts)
               for name, opts in service_client_opts.items()]
            + [(TRUSTEE_GROUP, trustee)])


def client_setting(conf: cfg.ConfigOpts, client: str, name: str):
    """``[clients_<client>] name``, else ``[clients] name``."""
    group = 'clients_%s' % client
    value = conf[group][name] if group in conf else None
    return conf.clients[name] if value is None else value


def interface(conf: cfg.ConfigOpts, client: str | None) -> str:
    """The catalog interface (public, internal, admin) of a client's
    endpoint_type (Heat's publicURL spelling or keystoneauth's)."""
    kind = client_setting(conf, client, 'endpoint_type')
    return kind[:-3] if kind.endswith('URL') else kind


def verify(conf: cfg.ConfigOpts, client: str):
    """requests' ``verify``: False when insecure, else the CA file or True."""
    if client_setting(conf, client, 'insecure'):
        return False
    return client_setting(conf, client, 'ca_file') or True


def cert(conf: cfg.ConfigOpts, client: str):
    """requests' ``cert``: (cert, key), the cert file alone, or None."""
    cert_file = client_setting(conf, client, 'cert_file')
    key_file = client_setting(conf, client, 'key_file')
    if cert_file and key_file:
        return (cert_file, key_file)
    return cert_file
