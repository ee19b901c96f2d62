"""Every service's configuration for one ``Layout``, as data (pure).

``files(layout)`` maps each config file's path under ``layout.etc`` to its
sections; ``render`` writes a mapping of sections as INI text.  Choices that
make the services run here without a data plane, each with its reason:

- Nova uses ``conv_cloud_plugins.nova_driver.FakeDriver`` (nova-compute
  starts as ``conv-cloud-nova-compute``, which puts it in ``nova.virt``):
  the fake virt driver ``FakeDriverWithoutFakeNodes`` (one node named after
  the host, so nova-compute can restart) with server snapshots that upload
  an image;
  nova-compute reads a copy of nova.conf without database sections, since
  a compute service must not reach the database.  With one compute host,
  a resize may land on the host the server is on
  (``allow_resize_to_same_host``).
- Neutron's ML2 binds ports with ``conv_cloud_fake`` (functional_tests/
  cloud/fakes), as no driver in the neutron wheel binds without an agent;
  no DHCP agent is told anything.
- Cinder's backend is ``conv_cloud_plugins.cinder_driver.FakeVolumeDriver``.
- Notifications are off (``noop``): nothing consumes them.
"""

import os

from functional_tests.cloud import credentials
from functional_tests.cloud import layout as layout_mod

Sections = dict[str, dict[str, object]]


def render(sections: Sections) -> str:
    """INI text of ``{section: {option: value}}`` (lists joined by commas,
    booleans lower case)."""
    lines = []
    for name, options in sections.items():
        lines.append('[%s]' % name)
        for option, value in options.items():
            lines.append('%s = %s' % (option, _text(value)))
        lines.append('')
    return '\n'.join(lines)


def _text(value) -> str:
    if isinstance(value, bool):
        return 'true' if value else 'false'
    if isinstance(value, (list, tuple)):
        return ','.join(str(v) for v in value)
    return str(value)


def keystone(database_url: str, key_dir: str, log_file: str) -> Sections:
    """keystone.conf: fernet tokens, keys under ``key_dir``; passwords
    hashed with bcrypt's fewest rounds (a test cloud's users authenticate
    all the time, on shared cores)."""
    fernet = os.path.join(key_dir, 'fernet-keys')
    return {
        'DEFAULT': {'log_file': log_file},
        'identity': {'password_hash_rounds': 4},
        'database': {'connection': database_url},
        'token': {'provider': 'fernet'},
        'fernet_tokens': {'key_repository': fernet},
        'fernet_receipts': {'key_repository': fernet},
        'credential': {'key_repository': os.path.join(
            key_dir, 'credential-keys')},
    }


def service_user(lay: layout_mod.Layout,
                 user: str) -> credentials.Credentials:
    return credentials.Credentials(lay.auth_url, user, lay.service_password,
                                   'service')


def service_auth(lay: layout_mod.Layout, user: str) -> dict:
    """keystoneauth password options of the service user ``user``."""
    return dict(service_user(lay, user).auth(), auth_type='password',
                region_name=layout_mod.REGION)


def authtoken(lay: layout_mod.Layout, user: str) -> dict:
    return dict(credentials.authtoken_options(service_user(lay, user)),
                service_token_roles_required=True)


def _common(lay, service: str) -> Sections:
    return {
        'oslo_concurrency': {'lock_path': lay.path('state', 'locks')},
        'oslo_messaging_notifications': {'driver': 'noop'},
        'keystone_authtoken': authtoken(lay, service),
    }


def placement(lay) -> Sections:
    return {
        'DEFAULT': {'log_file': lay.path('logs', 'placement.log')},
        'placement_database': {'connection': lay.database_url('placement')},
        'api': {'auth_strategy': 'keystone'},
        **_common(lay, 'placement'),
    }


def glance(lay) -> Sections:
    state = lay.path('state', 'glance')
    return {
        'DEFAULT': {'log_file': lay.path('logs', 'glance.log'),
                    'enabled_backends': 'fs:file',
                    'bind_host': '127.0.0.1',
                    'bind_port': lay.port('glance'),
                    'worker_self_reference_url': lay.url('glance')},
        'database': {'connection': lay.database_url('glance')},
        'glance_store': {'default_backend': 'fs'},
        'fs': {'filesystem_store_datadir': os.path.join(state, 'images')},
        'os_glance_staging_store': {
            'filesystem_store_datadir': os.path.join(state, 'staging')},
        'os_glance_tasks_store': {
            'filesystem_store_datadir': os.path.join(state, 'tasks')},
        'paste_deploy': {'flavor': 'keystone', 'config_file': os.path.join(
            lay.etc, 'glance', 'glance-api-paste.ini')},
        **_common(lay, 'glance'),
    }


def nova(lay) -> Sections:
    state = lay.path('state', 'nova')
    return {
        'DEFAULT': {'transport_url': lay.transport_url,
                    'compute_driver': 'conv_cloud_fake.FakeDriver',
                    'host': lay.compute_host, 'my_ip': '127.0.0.1',
                    'state_path': state,
                    'instances_path': os.path.join(state, 'instances'),
                    # One compute host: a resize (a flavor change) must be
                    # allowed to land where the server already is.
                    'allow_resize_to_same_host': True},
        'api': {'auth_strategy': 'keystone'},
        'api_database': {'connection': lay.database_url('nova_api')},
        'database': {'connection': lay.database_url('nova')},
        'conductor': {'workers': 1},
        'scheduler': {'workers': 1,
                      'discover_hosts_in_cells_interval': 10},
        'vnc': {'enabled': False},
        **_common(lay, 'nova'),
        'placement': service_auth(lay, 'placement'),
        'neutron': service_auth(lay, 'neutron'),
        'cinder': dict(service_auth(lay, 'cinder'),
                       os_region_name=layout_mod.REGION),
        'glance': {'region_name': layout_mod.REGION},
        'service_user': dict(service_auth(lay, 'nova'),
                             send_service_user_token=True),
    }


def nova_compute(lay) -> Sections:
    """nova.conf without what a compute service must not have."""
    return {name: options for name, options in nova(lay).items()
            if name not in ('database', 'api_database')}


def neutron(lay) -> Sections:
    return {
        'DEFAULT': {'log_file': lay.path('logs', 'neutron.log'),
                    'bind_host': '127.0.0.1',
                    'bind_port': lay.port('neutron'),
                    'core_plugin': 'ml2', 'service_plugins': 'router',
                    'auth_strategy': 'keystone',
                    'transport_url': lay.transport_url,
                    'api_paste_config': os.path.join(
                        lay.etc, 'neutron', 'api-paste.ini'),
                    'state_path': lay.path('state', 'neutron'),
                    'allow_overlapping_ips': True,
                    'dhcp_agent_notification': False,
                    'notify_nova_on_port_status_changes': True,
                    'notify_nova_on_port_data_changes': True},
        'database': {'connection': lay.database_url('neutron')},
        **_common(lay, 'neutron'),
        'nova': service_auth(lay, 'nova'),
    }


def ml2(lay) -> Sections:
    return {
        'ml2': {'type_drivers': 'flat,vlan,vxlan',
                'tenant_network_types': 'vxlan',
                'mechanism_drivers': 'conv_cloud_fake',
                'extension_drivers': 'port_security'},
        'ml2_type_flat': {'flat_networks': 'public'},
        'ml2_type_vlan': {'network_vlan_ranges': 'physnet1:100:200'},
        'ml2_type_vxlan': {'vni_ranges': '1:1000'},
    }


def cinder(lay) -> Sections:
    return {
        'DEFAULT': {'log_file': lay.path('logs', 'cinder.log'),
                    'transport_url': lay.transport_url,
                    'auth_strategy': 'keystone',
                    'api_paste_config': os.path.join(
                        lay.etc, 'cinder', 'api-paste.ini'),
                    'state_path': lay.path('state', 'cinder'),
                    'host': lay.volume_host,
                    'resource_query_filters_file': os.path.join(
                        lay.etc, 'cinder', 'resource_filters.json'),
                    'my_ip': '127.0.0.1', 'enabled_backends': 'fake',
                    'default_volume_type': 'fake'},
        'fake': {'volume_driver':
                 'conv_cloud_plugins.cinder_driver.FakeVolumeDriver',
                 'volume_backend_name': 'fake', 'target_helper': 'fake'},
        'database': {'connection': lay.database_url('cinder')},
        **_common(lay, 'cinder'),
        'nova': service_auth(lay, 'nova'),
        'service_user': dict(service_auth(lay, 'cinder'),
                             send_service_user_token=True),
    }


def files(lay: layout_mod.Layout) -> dict[str, Sections]:
    """Each config file (path relative to ``lay.etc``) and its sections."""
    return {
        'keystone/keystone.conf': keystone(
            lay.database_url('keystone'), lay.path('state', 'keystone'),
            lay.path('logs', 'keystone.log')),
        'placement/placement.conf': placement(lay),
        'glance/glance-api.conf': glance(lay),
        'nova/nova.conf': nova(lay),
        'nova/nova-cpu.conf': nova_compute(lay),
        'neutron/neutron.conf': neutron(lay),
        'neutron/ml2_conf.ini': ml2(lay),
        'cinder/cinder.conf': cinder(lay),
    }


# Files each service ships in its wheel (venv/etc/...), copied next to its
# config: the paste pipelines, and the filters Cinder's API accepts in
# queries (without it, a volume cannot be looked up by name).
SHIPPED_FILES = ('glance/glance-api-paste.ini', 'nova/api-paste.ini',
                 'neutron/api-paste.ini', 'cinder/api-paste.ini',
                 'cinder/resource_filters.json')

# State directories each service expects to exist.
STATE_DIRS = ('keystone', 'glance/images', 'glance/staging', 'glance/tasks',
              'nova/instances', 'neutron', 'cinder', 'locks')
