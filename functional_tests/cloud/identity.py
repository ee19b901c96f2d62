"""Keystone: its database set up, then the cloud's users and catalog.

``bootstrap`` runs ``keystone-manage`` (db_sync, the fernet and credential
key repositories, bootstrap of user ``admin`` in project ``admin``); every
step is idempotent, so it also brings an existing Keystone up to date.
``register`` adds through Keystone's API what the other services need (the
``service`` project, a user per service with the admin and service roles,
each service's public, internal and admin endpoints) and the non-admin
``demo`` user, a member of project ``demo``.  Both are used by the cloud
(functional_tests/cloud/cloud.py) and by the lone Keystone of
functional_tests/cloud/keystone.py.
"""

import grp
import os
import pwd
import subprocess

from functional_tests.cloud import layout as layout_mod

# Seconds one keystone-manage command may take.
MANAGE_TIMEOUT = 300

# (service user, service name, service type, the API serving it, the
# endpoint URL's path after that API's)
SERVICES = (
    ('placement', 'placement', 'placement', 'placement', ''),
    ('glance', 'glance', 'image', 'glance', ''),
    ('nova', 'nova', 'compute', 'nova-api', '/v2.1'),
    ('neutron', 'neutron', 'network', 'neutron', ''),
    ('cinder', 'cinderv3', 'block-storage', 'cinder-api',
     '/v3/$(project_id)s'),
    # the older type name some clients still look up
    ('cinder', 'cinderv3-volumev3', 'volumev3', 'cinder-api',
     '/v3/$(project_id)s'),
)
INTERFACES = ('public', 'internal', 'admin')
DEMO = 'demo'


class KeystoneSetupFailed(Exception):
    """keystone-manage failed; the message has its output."""


def bootstrap(manage: str, conf: str, admin_password: str,
              auth_url: str) -> None:
    """Make Keystone's database, keys and admin (idempotent)."""
    owner = ['--keystone-user', pwd.getpwuid(os.getuid()).pw_name,
             '--keystone-group', grp.getgrgid(os.getgid()).gr_name]
    _manage(manage, conf, 'db_sync')
    _manage(manage, conf, 'fernet_setup', *owner)
    _manage(manage, conf, 'credential_setup', *owner)
    _manage(manage, conf, 'bootstrap', '--bootstrap-password',
            admin_password, '--bootstrap-public-url', auth_url,
            '--bootstrap-internal-url', auth_url,
            '--bootstrap-admin-url', auth_url,
            '--bootstrap-region-id', layout_mod.REGION)


def _manage(manage: str, conf: str, *args: str) -> None:
    result = subprocess.run([manage, '--config-file', conf] + list(args),
                            capture_output=True, text=True,
                            timeout=MANAGE_TIMEOUT)
    if result.returncode != 0:
        raise KeystoneSetupFailed('keystone-manage %s exited %s:\n%s%s' % (
            args[0], result.returncode, result.stdout,
            result.stderr[-4000:]))


def admin_session(auth_url: str, password: str):
    """A keystoneauth1 session as the bootstrap admin."""
    from keystoneauth1.identity import v3
    from keystoneauth1 import session
    return session.Session(auth=v3.Password(
        auth_url=auth_url, username='admin', password=password,
        project_name='admin', user_domain_id='default',
        project_domain_id='default'))


class _Registry:
    """Find-or-create on Keystone's v3 API."""

    def __init__(self, keystone):
        self.ks = keystone
        self.domain = keystone.domains.get('default')

    @staticmethod
    def _one(items):
        return items[0] if items else None

    def role(self, name: str):
        return self._one(self.ks.roles.list(name=name)) or \
            self.ks.roles.create(name)

    def project(self, name: str):
        return self._one(self.ks.projects.list(
            name=name, domain=self.domain)) or self.ks.projects.create(
                name, self.domain)

    def user(self, name: str, password: str, domain=None):
        domain = domain or self.domain
        found = self._one(self.ks.users.list(name=name, domain=domain))
        if found is not None:
            return self.ks.users.update(found, password=password)
        return self.ks.users.create(name, domain=domain, password=password)

    def domain_named(self, name: str):
        return self._one(self.ks.domains.list(name=name)) or \
            self.ks.domains.create(name)

    def service(self, name: str, kind: str):
        return self._one(self.ks.services.list(type=kind)) or \
            self.ks.services.create(name, type=kind)

    def endpoints(self, service, url: str) -> None:
        existing = {e.interface: e for e in
                    self.ks.endpoints.list(service=service)}
        for interface in INTERFACES:
            if interface not in existing:
                self.ks.endpoints.create(service, url, interface=interface,
                                         region=layout_mod.REGION)
            elif existing[interface].url != url:
                self.ks.endpoints.update(existing[interface], url=url)


def keystone_registry(session) -> _Registry:
    from keystoneclient.v3 import client
    return _Registry(client.Client(session=session))


def register(lay: layout_mod.Layout) -> None:
    """The service users, the catalog and the demo user (idempotent)."""
    registry = keystone_registry(admin_session(lay.auth_url, lay.admin_password))
    service_project = registry.project('service')
    admin, service_role = registry.role('admin'), registry.role('service')
    member = registry.role('member')
    registry.role('reader')
    for user_name, name, kind, api, path in SERVICES:
        user = registry.user(user_name, lay.service_password)
        for role in (admin, service_role):
            registry.ks.roles.grant(role, user=user, project=service_project)
        registry.endpoints(registry.service(name, kind), lay.url(api) + path)
    demo = registry.user(DEMO, lay.demo_password)
    registry.ks.roles.grant(member, user=demo,
                            project=registry.project(DEMO))


class CatalogTaken(Exception):
    """The catalog has a service of that type already; names it."""


def add_service(session, name: str, kind: str, url: str):
    """Put a new service of type ``kind`` at ``url`` into the catalog (as
    the admin of ``session``); the service, for ``remove_service``."""
    registry = keystone_registry(session)
    existing = registry.ks.services.list(type=kind)
    if existing:
        endpoints = registry.ks.endpoints.list(service=existing[0])
        raise CatalogTaken('the catalog has a %s service already (%s at %s)'
                           % (kind, existing[0].name, ', '.join(
                               sorted({e.url for e in endpoints}))))
    service = registry.ks.services.create(name, type=kind)
    registry.endpoints(service, url)
    return service


def remove_service(session, service) -> None:
    """Take ``service`` and its endpoints out of the catalog."""
    registry = keystone_registry(session)
    for endpoint in registry.ks.endpoints.list(service=service):
        registry.ks.endpoints.delete(endpoint)
    registry.ks.services.delete(service)
