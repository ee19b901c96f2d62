"""Upstream Heat 27.0.1 as a local cloud's orchestration service.

The reference Heat's functional tests are measured against on the same
cloud (functional_tests/heat/cloud_run.sh with HEAT_CLOUD_ENGINE=upstream).
``UpstreamHeatService`` runs heat-engine, heat-api and heat-api-cfn from the
Heat venv (functional_tests/stock_heat_api.HEAT_VENV; the APIs under uwsgi)
on our cloud's RabbitMQ vhost and a database ``<prefix>heat`` of its own,
authenticating with the cloud's Keystone as Heat is deployed: service user
``heat``, trusts for deferred operations, the stack user domain ``heat``
with its admin ``heat_domain_admin``, the roles ``heat_stack_owner`` and
``heat_stack_user``, and heat-api-cfn for signals.  It puts both APIs into
the catalog and takes them out again on clean-up.
"""

import os
import shutil
import subprocess
import tempfile

import fixtures
import requests

from functional_tests.cloud import configs
from functional_tests.cloud import identity
from functional_tests.cloud import layout as layout_mod
from functional_tests import processes
from functional_tests import server
from functional_tests import services
from functional_tests import stock_heat_api
from functional_tests import waiting

# Seconds heat-manage db_sync may take, and heat-api to answer.
SETUP_TIMEOUT = 300
STACK_DOMAIN = 'heat'
DOMAIN_ADMIN = 'heat_domain_admin'
# the stack owner's role (given to demo) and the in-instance users' role
ROLES = ('heat_stack_owner', 'heat_stack_user')


class HeatServiceFailed(Exception):
    """Heat could not be set up or started; the message says where."""


def _heat_bin(name: str) -> str:
    return os.path.join(stock_heat_api.HEAT_VENV, 'bin', name)


def heat_conf(lay: layout_mod.Layout, state: str, api_port: int,
              cfn_port: int) -> configs.Sections:
    """heat.conf of Heat as the cloud's orchestration service."""
    service = configs.service_user(lay, 'heat')
    cfn = 'http://127.0.0.1:%d' % cfn_port
    return {
        'DEFAULT': {
            'transport_url': lay.transport_url, 'host': 'upstream-heat',
            'num_engine_workers': 1, 'convergence_engine': True,
            'region_name_for_services': layout_mod.REGION,
            'stack_user_domain_name': STACK_DOMAIN,
            'stack_domain_admin': DOMAIN_ADMIN,
            'stack_domain_admin_password': lay.service_password,
            'heat_metadata_server_url': cfn,
            'heat_waitcondition_server_url': cfn + '/v1/waitcondition',
            'log_file': os.path.join(state, 'heat.log')},
        'database': {'connection': lay.database_url('heat')},
        'paste_deploy': {'api_paste_config': os.path.join(
            stock_heat_api.HEAT_VENV, 'etc', 'heat', 'api-paste.ini')},
        'oslo_messaging_notifications': {'driver': 'noop'},
        'oslo_concurrency': {'lock_path': os.path.join(state, 'locks')},
        'keystone_authtoken': configs.authtoken(lay, 'heat'),
        'trustee': {'auth_type': 'password', 'auth_url': lay.auth_url,
                    'username': service.username,
                    'password': service.password,
                    'user_domain_name': service.user_domain_name},
        'clients_keystone': {'auth_uri': lay.url('keystone')},
        # ec2token appends /v3/ec2tokens to this (the catalog's ends in /v3)
        'ec2authtoken': dict(configs.service_auth(lay, 'heat'),
                             endpoint_override=lay.url('keystone')),
    }


def _register_users(lay: layout_mod.Layout, session) -> None:
    """Heat's service user, stack user domain and roles (idempotent)."""
    registry = identity.keystone_registry(session)
    heat = registry.user('heat', lay.service_password)
    admin = registry.role('admin')
    for role in (admin, registry.role('service')):
        registry.ks.roles.grant(role, user=heat,
                                project=registry.project('service'))
    owner, _ = (registry.role(name) for name in ROLES)
    registry.ks.roles.grant(owner, user=registry.user(
        identity.DEMO, lay.demo_password), project=registry.project(
            identity.DEMO))
    domain = registry.domain_named(STACK_DOMAIN)
    domain_admin = registry.user(DOMAIN_ADMIN, lay.service_password,
                                 domain=domain)
    registry.ks.roles.grant(admin, user=domain_admin, domain=domain)


class UpstreamHeatService(fixtures.Fixture):
    """Heat serving the cloud of ``lay``; ``url`` is heat-api's endpoint
    template (``.../v1/$(project_id)s``)."""

    def __init__(self, lay: layout_mod.Layout, uwsgi: str):
        super().__init__()
        self.lay, self.uwsgi = lay, uwsgi

    def _setUp(self):
        reason = stock_heat_api.unavailable_reason()
        if reason:
            raise HeatServiceFailed(reason)
        self.state = tempfile.mkdtemp(prefix='convergence-cloud-heat-')
        self.addCleanup(shutil.rmtree, self.state, ignore_errors=True)
        self.database = services.database('mariadb', self.lay.database('heat'))
        self.database.drop()
        self.database.create()
        self.addCleanup(self.database.drop)
        self.api_port, self.cfn_port = server.free_port(), server.free_port()
        self.conf = os.path.join(self.state, 'heat.conf')
        with open(self.conf, 'w') as f:
            f.write(configs.render(heat_conf(self.lay, self.state,
                                             self.api_port, self.cfn_port)))
        self._db_sync()
        session = identity.admin_session(self.lay.auth_url,
                                         self.lay.admin_password)
        _register_users(self.lay, session)
        for name, module, port in (
                ('heat-api', 'heat.wsgi.api:application', self.api_port),
                ('heat-api-cfn', 'heat.wsgi.cfn:application', self.cfn_port)):
            self._start(name, stock_heat_api.command(
                self.uwsgi, port, self.conf, module))
        self._start('heat-engine', [_heat_bin('heat-engine'),
                                    '--config-file', self.conf])
        self._wait_answering()
        for name, kind, url in (
                ('heat', 'orchestration', self.url),
                ('heat-cfn', 'cloudformation',
                 'http://127.0.0.1:%d/v1' % self.cfn_port)):
            service = identity.add_service(session, name, kind, url)
            self.addCleanup(identity.remove_service, session, service)

    @property
    def url(self) -> str:
        return 'http://127.0.0.1:%d/v1/$(project_id)s' % self.api_port

    def _db_sync(self) -> None:
        result = subprocess.run([_heat_bin('heat-manage'), '--config-file',
                                 self.conf, 'db_sync'], capture_output=True,
                                text=True, timeout=SETUP_TIMEOUT)
        if result.returncode != 0:
            raise HeatServiceFailed('heat-manage db_sync exited %s:\n%s%s' % (
                result.returncode, result.stdout, result.stderr[-3000:]))

    def _start(self, name: str, command: list[str]) -> None:
        process = processes.ManagedProcess(
            name, command, os.path.join(self.state, name + '.log'),
            self.state)
        process.start()
        self.addCleanup(process.stop)
        setattr(self, name.replace('-', '_'), process)

    def _wait_answering(self) -> None:
        def answers():
            for process in (self.heat_api, self.heat_api_cfn,
                            self.heat_engine):
                if not process.alive():
                    raise HeatServiceFailed('%s exited:\n%s' % (
                        process.label, process.log_tail()))
            try:
                requests.get('http://127.0.0.1:%d/' % self.api_port,
                             timeout=5)
            except requests.RequestException:
                return False
            return True
        waiting.wait_until(answers, SETUP_TIMEOUT, 'heat-api to answer')
