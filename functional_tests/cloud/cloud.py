"""Start a local cloud from nothing, find it running, stop it.

``start(layout)`` does, each step skipping what is already there (so a
second start of a running cloud takes seconds): the virtualenv
(functional_tests/cloud/venv.py), the configs (configs.py), the databases
and the RabbitMQ vhost, Keystone (identity.py), the other schemas
(schemas.py), the catalog and users, every service (launcher.py), Nova's
compute host in cell1, the seed (seed.py), and ``openrc``,
``openrc.demo`` and ``clouds.yaml`` in the cloud's directory.  A service
that fails is named, with its log's end.  ``stop(layout)`` stops every
service by its pid file; ``purge=True`` also drops the databases, the vhost
and the directory (the virtualenv stays).
"""

import hashlib
import os
import shutil
import time

from functional_tests.cloud import configs
from functional_tests.cloud import credentials
from functional_tests.cloud import identity
from functional_tests.cloud import launcher
from functional_tests.cloud import layout as layout_mod
from functional_tests.cloud import schemas
from functional_tests.cloud import seed as seed_mod
from functional_tests.cloud import venv
from functional_tests import services

# Seconds an API may take to answer once started (Nova's ~30 s here).
ANSWER_TIMEOUT = 240
# Seconds Nova's and Cinder's daemons may take to report themselves up.
REGISTER_TIMEOUT = 180
SCHEMAS_DONE = 'schemas.done'
# Written when a start finished: the digest of what it started.
READY = 'ready'

# Services gunicorn serves: (name, WSGI factory of conv_cloud_plugins.wsgi)
APIS = (('placement', 'placement'), ('glance', 'glance'),
        ('neutron', 'neutron'), ('nova-api', 'nova'),
        ('cinder-api', 'cinder'))
# Other services: (name, console script, config file under etc)
DAEMONS = (('nova-conductor', 'nova-conductor', 'nova/nova.conf'),
           ('nova-scheduler', 'nova-scheduler', 'nova/nova.conf'),
           ('cinder-scheduler', 'cinder-scheduler', 'cinder/cinder.conf'),
           ('cinder-volume', 'cinder-volume', 'cinder/cinder.conf'),
           ('nova-compute', 'conv-cloud-nova-compute', 'nova/nova-cpu.conf'))
SERVICES = ('keystone',) + tuple(n for n, _ in APIS) + tuple(
    n for n, _, _ in DAEMONS)


class Progress:
    """Prints each step with the seconds since the start."""

    def __init__(self, say=print):
        self.started = time.monotonic()
        self.say = say

    def __call__(self, what: str) -> None:
        self.say('[%6.1fs] %s' % (time.monotonic() - self.started, what))


def service_launcher(lay: layout_mod.Layout) -> launcher.Launcher:
    return launcher.Launcher(lay.base, {
        'CONV_CLOUD_ETC': lay.etc,
        'PATH': os.path.join(lay.venv, 'bin') + os.pathsep +
        os.environ.get('PATH', '')})


def users(lay: layout_mod.Layout) -> dict[str, credentials.Credentials]:
    return {'admin': credentials.Credentials(
                lay.auth_url, 'admin', lay.admin_password, 'admin'),
            identity.DEMO: credentials.Credentials(
                lay.auth_url, identity.DEMO, lay.demo_password,
                identity.DEMO)}


def start(lay: layout_mod.Layout, say=print) -> seed_mod.Seed:
    """Bring the cloud of ``lay`` up; its seed."""
    progress = Progress(say)
    procs = service_launcher(lay)
    if _ready(lay, procs):
        seed = seed_mod.find(users(lay)['admin'].connection())
        progress('running already (as %s says); . %s' % (
            lay.path('state', READY), lay.openrc))
        return seed
    if venv.ensure(lay.venv, os.path.join(layout_mod.CACHE, 'pip.log')):
        progress('virtualenv %s built' % lay.venv)
    _write_configs(lay)
    fresh = _databases(lay)
    progress('configs, databases (%s), vhost %s' % (
        'made' if fresh else 'there', lay.vhost))
    done = lay.path('state', SCHEMAS_DONE)
    if fresh or not os.path.exists(done):
        identity.bootstrap(lay.bin('keystone-manage'), os.path.join(
            lay.etc, 'keystone', 'keystone.conf'), lay.admin_password,
            lay.auth_url)
        progress('keystone bootstrapped')
    _serve(procs, lay, 'keystone', 'keystone')
    if fresh or not os.path.exists(done):
        schemas.sync(lay)
        open(done, 'w').close()
        progress('schemas of placement, glance, nova, neutron, cinder')
    identity.register(lay)
    progress('keystone: service users, catalog, demo user')
    _start_services(procs, lay)
    progress('APIs answer')
    admin = users(lay)['admin']
    connection = admin.connection()
    _wait_registered(procs, lay, connection)
    progress('nova and cinder services up, %s in cell1' % lay.compute_host)
    seed = seed_mod.ensure(connection)
    credentials.write_files(lay.base, 'conv-cloud', users(lay))
    with open(lay.path('state', READY), 'w') as f:
        f.write(_config_digest(lay))
    progress('seeded; ready: . %s (admin), . %s.demo' % (
        lay.openrc, lay.openrc))
    return seed


def _config_digest(lay: layout_mod.Layout) -> str:
    """What the running services were started with: layout, configs and
    command lines."""
    digest = hashlib.sha256(repr(sorted(configs.files(lay).items())).encode())
    digest.update(repr(lay).encode())
    digest.update(repr([_gunicorn(lay, name, factory)
                        for name, factory in (('keystone', 'keystone'),)
                        + APIS]).encode())
    return digest.hexdigest()


def _ready(lay: layout_mod.Layout, procs: launcher.Launcher) -> bool:
    """Whether a start finished for this very layout and configuration,
    every service of it still runs and the venv is current."""
    try:
        with open(lay.path('state', READY)) as f:
            stamp = f.read()
    except OSError:
        return False
    return (stamp == _config_digest(lay) and venv.current(lay.venv)
            and set(procs.running()) >= set(SERVICES))


def _write_configs(lay: layout_mod.Layout) -> None:
    for sub in configs.STATE_DIRS:
        os.makedirs(lay.path('state', sub), exist_ok=True)
    os.makedirs(lay.logs, exist_ok=True)
    for relative, sections in configs.files(lay).items():
        path = os.path.join(lay.etc, relative)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, 'w') as f:
            f.write(configs.render(sections))
    for relative in configs.SHIPPED_FILES:
        shutil.copyfile(os.path.join(lay.venv, 'etc', relative),
                        os.path.join(lay.etc, relative))


def _databases(lay: layout_mod.Layout) -> bool:
    """Create what is missing; True when any database was missing."""
    mariadb = services.SERVERS['mariadb']
    existing = set(mariadb.query_column('SHOW DATABASES'))
    missing = [lay.database(name) for name in layout_mod.DATABASES
               if lay.database(name) not in existing]
    for name in missing:
        mariadb.execute('CREATE DATABASE %s CHARACTER SET utf8mb4' % name)
    services.add_vhost(lay.vhost)
    return bool(missing)


def _gunicorn(lay: layout_mod.Layout, name: str, factory: str) -> list[str]:
    return launcher.gunicorn(lay.bin('gunicorn'), lay.port(name), factory)


def _serve(procs, lay, name: str, factory: str) -> None:
    procs.start(name, _gunicorn(lay, name, factory))
    procs.wait_answering(name, lay.url(name), ANSWER_TIMEOUT)


def _start_services(procs, lay: layout_mod.Layout) -> None:
    for name, factory in APIS:
        procs.start(name, _gunicorn(lay, name, factory))
    for name, script, conf in DAEMONS:
        procs.start(name, [lay.bin(script), '--config-file',
                           os.path.join(lay.etc, conf), '--log-file',
                           _daemon_log(lay, name)])
    for name, _ in APIS:
        procs.wait_answering(name, lay.url(name), ANSWER_TIMEOUT)


def _daemon_log(lay: layout_mod.Layout, name: str) -> str:
    return lay.path('logs', name + '.log')


def _wait_registered(procs, lay: layout_mod.Layout, connection) -> None:
    """Until Nova and Cinder list every daemon as up, and nova-compute's
    host is mapped to cell1; ServiceFailed names a daemon that exits or
    does not come up."""
    deadline = time.monotonic() + REGISTER_TIMEOUT
    while True:
        up = {s.binary for s in connection.compute.services()
              if s.state == 'up'} | {
            s.binary for s in connection.block_storage.services()
            if s.state == 'up'}
        waiting = [name for name, _, _ in DAEMONS if name not in up]
        for name in waiting:
            if procs.pid(name) is None:
                raise launcher.ServiceFailed(name, 'exited',
                                             _daemon_log(lay, name))
        if not waiting:
            break
        if time.monotonic() > deadline:
            raise launcher.ServiceFailed(
                waiting[0], 'is not up within %ds' % REGISTER_TIMEOUT,
                _daemon_log(lay, waiting[0]))
        time.sleep(1)
    _map_compute_host(procs, lay, deadline)


def _map_compute_host(procs, lay: layout_mod.Layout, deadline) -> None:
    """Map nova-compute's host to cell1 once its node is recorded."""
    mariadb = services.SERVERS['mariadb']
    mapped = 'SELECT host FROM %s.host_mappings' % lay.database('nova_api')
    if lay.compute_host in mariadb.query_column(mapped):
        return
    nodes = ('SELECT host FROM %s.compute_nodes WHERE deleted = 0'
             % lay.database('nova'))
    while lay.compute_host not in mariadb.query_column(nodes):
        if procs.pid('nova-compute') is None or time.monotonic() > deadline:
            raise launcher.ServiceFailed(
                'nova-compute', 'recorded no compute node', _daemon_log(
                    lay, 'nova-compute'))
        time.sleep(1)
    schemas.discover_hosts(lay)


def status(lay: layout_mod.Layout) -> dict[str, int | None]:
    """Each service's pid, None for one that does not run."""
    procs = service_launcher(lay)
    return {name: procs.pid(name) for name in SERVICES}


def stop(lay: layout_mod.Layout, purge: bool = False, say=print) -> None:
    killed = service_launcher(lay).stop()
    if os.path.exists(lay.path('state', READY)):
        os.unlink(lay.path('state', READY))
    if killed:
        say('killed after SIGTERM: %s' % ', '.join(killed))
    if not purge:
        return
    mariadb = services.SERVERS['mariadb']
    for name in layout_mod.DATABASES:
        mariadb.execute(mariadb.drop_sql % lay.database(name))
    services.delete_vhost(lay.vhost)
    shutil.rmtree(lay.base, ignore_errors=True)
