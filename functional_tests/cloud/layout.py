"""Where one local cloud lives: its directory, databases, vhost and ports.

Several clouds can run on one machine side by side (ours beside
/work/shared/tools/minicloud, which takes the standard ports, databases
``mc_*`` and vhost ``minicloud``): everything a cloud owns is named from a
``Layout``, and ``Layout.from_env()`` reads the operator's choices::

    CONV_CLOUD_DIR          its directory (configs, state, logs, pid files)
    CONV_CLOUD_DB_PREFIX    prefix of its MariaDB databases
    CONV_CLOUD_VHOST        its RabbitMQ vhost
    CONV_CLOUD_PORT_OFFSET  added to every service's standard port

The virtualenv holding the services is shared by every layout (it is only
code): ``VENV``.
"""

import dataclasses
import os

# The virtualenvs are built once and kept (they take minutes).
CACHE = os.path.expanduser(
    os.environ.get('CONV_CLOUD_CACHE',
                   '~/.cache/convergence-acceptance/cloud'))
VENV = os.path.join(CACHE, 'venv')

DEFAULT_DIR = '/tmp/convergence-cloud'
DEFAULT_DB_PREFIX = 'cc_'
DEFAULT_VHOST = 'convergence_cloud'
# 5000 + 10000 = 15000 and so on: clear of the standard ports minicloud
# uses and below the kernel's ephemeral range (32768-), where free_port()
# picks the functional tests' ports.
DEFAULT_PORT_OFFSET = 10000
REGION = 'RegionOne'

# Each API's standard port (the offset is added).
STANDARD_PORTS = {
    'keystone': 5000,
    'placement': 8778,
    'glance': 9292,
    'nova-api': 8774,
    'neutron': 9696,
    'cinder-api': 8776,
}

# One MariaDB database per name, each prefixed.
DATABASES = ('keystone', 'placement', 'glance', 'nova_api', 'nova',
             'nova_cell0', 'neutron', 'cinder')

ENV = {
    'base': 'CONV_CLOUD_DIR',
    'db_prefix': 'CONV_CLOUD_DB_PREFIX',
    'vhost': 'CONV_CLOUD_VHOST',
    'port_offset': 'CONV_CLOUD_PORT_OFFSET',
}


class LayoutError(ValueError):
    """An environment variable has a value a cloud cannot use."""


@dataclasses.dataclass(frozen=True)
class Layout:
    base: str = DEFAULT_DIR
    db_prefix: str = DEFAULT_DB_PREFIX
    vhost: str = DEFAULT_VHOST
    port_offset: int = DEFAULT_PORT_OFFSET
    admin_password: str = 'conv-cloud-admin'
    demo_password: str = 'conv-cloud-demo'
    service_password: str = 'conv-cloud-service'
    venv: str = VENV

    @classmethod
    def from_env(cls, environ=os.environ) -> 'Layout':
        values = {}
        for field, name in ENV.items():
            if environ.get(name):
                values[field] = environ[name]
        if 'port_offset' in values:
            try:
                values['port_offset'] = int(values['port_offset'])
            except ValueError:
                raise LayoutError('%s=%r is not a whole number' % (
                    ENV['port_offset'], values['port_offset']))
        layout = cls(**values)
        layout.check()
        return layout

    def check(self) -> None:
        """Refuse names and ports no service could use."""
        highest = max(STANDARD_PORTS.values()) + self.port_offset
        lowest = min(STANDARD_PORTS.values()) + self.port_offset
        if lowest < 1024 or highest > 65535:
            raise LayoutError('%s=%d puts the ports at %d-%d; they must '
                              'lie within 1024-65535' % (
                                  ENV['port_offset'], self.port_offset,
                                  lowest, highest))
        for field in ('db_prefix', 'vhost'):
            value = getattr(self, field)
            if not value.replace('_', '').isalnum():
                raise LayoutError('%s=%r: only letters, digits and _' % (
                    ENV[field], value))
        if not os.path.isabs(self.base):
            raise LayoutError('%s=%r is not an absolute path' % (
                ENV['base'], self.base))

    # -- names ---------------------------------------------------------------

    def port(self, service: str) -> int:
        return STANDARD_PORTS[service] + self.port_offset

    def url(self, service: str) -> str:
        return 'http://127.0.0.1:%d' % self.port(service)

    @property
    def auth_url(self) -> str:
        return self.url('keystone') + '/v3'

    def database(self, name: str) -> str:
        return self.db_prefix + name

    def database_url(self, name: str) -> str:
        return 'mysql+pymysql://root@127.0.0.1/' + self.database(name)

    @property
    def transport_url(self) -> str:
        return 'rabbit://guest:guest@127.0.0.1:5672/' + self.vhost

    @property
    def compute_host(self) -> str:
        """nova-compute's host name (``cc-compute`` for prefix ``cc_``)."""
        return self._host('compute')

    @property
    def volume_host(self) -> str:
        """cinder-volume's host name."""
        return self._host('volume')

    def _host(self, role: str) -> str:
        return '%s-%s' % (self.db_prefix.strip('_').replace('_', '-')
                          or 'cloud', role)

    # -- paths ---------------------------------------------------------------

    def path(self, *parts: str) -> str:
        return os.path.join(self.base, *parts)

    @property
    def etc(self) -> str:
        return self.path('etc')

    @property
    def state(self) -> str:
        return self.path('state')

    @property
    def logs(self) -> str:
        return self.path('logs')

    @property
    def run(self) -> str:
        return self.path('run')

    @property
    def openrc(self) -> str:
        return self.path('openrc')

    def bin(self, name: str) -> str:
        return os.path.join(self.venv, 'bin', name)
