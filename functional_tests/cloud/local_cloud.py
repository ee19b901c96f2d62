"""The cloud a test runs against, from one place.

``get()`` returns the process's ``LocalCloud``:

- with ``CONV_CLOUD_OPENRC=<path>``, the running cloud that openrc
  authenticates against (ours, or /work/shared/tools/minicloud's
  ``$MC/openrc``): admin from that file; demo from
  ``CONV_CLOUD_DEMO_OPENRC``, else ``<path>.demo`` when it exists, else user
  ``demo`` of project ``demo`` with the admin's password (minicloud's
  convention);
- otherwise our own cloud of ``Layout.from_env()``, started when it is not
  running (functional_tests/cloud/cloud.py; a running one is reused in
  seconds).

A ``LocalCloud`` gives ``auth_url``, ``region``, ``admin`` and ``demo``
(``credentials.Credentials``), ``seed`` (the ids of image, flavors,
networks, router and volume type), ``connection(user)`` (an openstacksdk
Connection, to check through the cloud's own APIs) and ``authtoken()``
(a ``[keystone_authtoken]`` section for a service of ours).

``TrusteeUser(cloud)`` is a fixture making a user for a service's
``[trustee]`` section; ``ProjectUsers(cloud)`` one making, on any of these clouds, a
project of its own with a ``member`` user, and a ``TrusteeUser`` (all
removed at cleanUp), for the tests that act as a
real user of their own project (functional_tests/cloud/stacks.py).
"""

import dataclasses
import os
import secrets
import sys
import uuid

import fixtures
import requests

from functional_tests.cloud import cloud
from functional_tests.cloud import credentials
from functional_tests.cloud import identity
from functional_tests.cloud import layout as layout_mod
from functional_tests.cloud import seed as seed_mod

OPENRC_ENV = 'CONV_CLOUD_OPENRC'
DEMO_OPENRC_ENV = 'CONV_CLOUD_DEMO_OPENRC'


@dataclasses.dataclass
class LocalCloud:
    admin: credentials.Credentials
    demo: credentials.Credentials
    seed: seed_mod.Seed
    # None for a cloud we did not start (CONV_CLOUD_OPENRC)
    layout: layout_mod.Layout | None = None
    _connections: dict = dataclasses.field(default_factory=dict)

    @property
    def auth_url(self) -> str:
        return self.admin.auth_url

    @property
    def region(self) -> str:
        return self.admin.region_name

    def credentials(self, user: str) -> credentials.Credentials:
        return {'admin': self.admin, 'demo': self.demo}[user]

    def connection(self, user: str = 'admin'):
        """An openstacksdk Connection as ``user`` (admin|demo), reused."""
        if user not in self._connections:
            self._connections[user] = self.credentials(user).connection()
        return self._connections[user]

    def authtoken(self) -> dict:
        """``[keystone_authtoken]`` validating tokens of this cloud, as its
        admin (every cloud has one; ours also has service users)."""
        return credentials.authtoken_options(self.admin)


class TrusteeUser(fixtures.Fixture):
    """A user of its own (random name suffix and password), made as
    ``cloud``'s admin and deleted at cleanUp, for a service's ``[trustee]``
    section: the user a Keystone trust delegates the stack's user to."""

    def __init__(self, cloud: LocalCloud, prefix: str = 'conv-trustee'):
        super().__init__()
        self.cloud = cloud
        self.prefix = prefix

    def _setUp(self):
        identity_api = self.cloud.admin.connection().identity
        self.password = secrets.token_urlsafe(16)
        self.user = identity_api.create_user(
            name='%s-%s' % (self.prefix, uuid.uuid4().hex[:8]),
            password=self.password, domain_id='default')
        self.addCleanup(identity_api.delete_user, self.user,
                        ignore_missing=True)

    def options(self) -> dict:
        """The ``[trustee]`` section authenticating as this user."""
        return {'auth_type': 'password', 'auth_url': self.cloud.auth_url,
                'username': self.user.name, 'password': self.password,
                'user_domain_name': 'Default'}


class ProjectUsers(fixtures.Fixture):
    """A project with a user of ``roles`` there (``member``), and a
    ``TrusteeUser``, made as ``cloud``'s admin; each run has its own names
    and password."""

    def __init__(self, cloud: LocalCloud, prefix: str = 'conv-test',
                 roles: tuple = ('member',)):
        super().__init__()
        self.cloud = cloud
        self.prefix = prefix
        self.roles = roles

    def _setUp(self):
        self.admin = self.cloud.admin.connection()
        identity_api = self.admin.identity
        name = '%s-%s' % (self.prefix, uuid.uuid4().hex[:8])
        self.password = secrets.token_urlsafe(16)
        self.project = identity_api.create_project(name=name,
                                                   domain_id='default')
        self.addCleanup(identity_api.delete_project, self.project,
                        ignore_missing=True)
        self.user = identity_api.create_user(name=name,
                                             password=self.password,
                                             domain_id='default')
        self.addCleanup(identity_api.delete_user, self.user,
                        ignore_missing=True)
        for role in self.roles:
            identity_api.assign_project_role_to_user(
                self.project, self.user, identity_api.find_role(role))
        self._trustee = self.useFixture(TrusteeUser(self.cloud,
                                                    name + '-trustee'))
        self.trustee = self._trustee.user
        self.member = credentials.Credentials(
            self.cloud.auth_url, self.user.name, self.password,
            self.project.name, region_name=self.cloud.region)

    def user_connection(self):
        """A new openstacksdk Connection as the member."""
        return self.member.connection()

    def token(self) -> str:
        """A fresh token of the member, scoped to its project."""
        return self.member.session().get_token()

    def trustee_options(self) -> dict:
        """A ``[trustee]`` section authenticating as the trustee user."""
        return self._trustee.options()

    def revoke(self, token: str) -> None:
        """Revoke ``token`` as the admin."""
        response = requests.delete(
            self.cloud.auth_url.rstrip('/') + '/auth/tokens', headers={
                'X-Auth-Token': self.admin.session.get_token(),
                'X-Subject-Token': token}, timeout=30)
        response.raise_for_status()

    def trusts_of_user(self) -> list[dict]:
        """The trusts the member is trustor of, as Keystone lists them to
        the admin."""
        response = requests.get(
            self.cloud.auth_url.rstrip('/') + '/OS-TRUST/trusts',
            params={'trustor_user_id': self.user.id},
            headers={'X-Auth-Token': self.admin.session.get_token()},
            timeout=30)
        response.raise_for_status()
        return response.json()['trusts']


def _demo_of(openrc: str, admin: credentials.Credentials):
    explicit = os.environ.get(DEMO_OPENRC_ENV)
    if explicit:
        return credentials.from_openrc(explicit)
    if os.path.exists(openrc + '.demo'):
        return credentials.from_openrc(openrc + '.demo')
    return dataclasses.replace(admin, username=identity.DEMO,
                               project_name=identity.DEMO)


def _from_openrc(openrc: str) -> LocalCloud:
    admin = credentials.from_openrc(openrc)
    return LocalCloud(admin=admin, demo=_demo_of(openrc, admin),
                      seed=seed_mod.find(admin.connection()))


def _ours() -> LocalCloud:
    lay = layout_mod.Layout.from_env()
    seed = cloud.start(lay, say=lambda line: print(line, file=sys.stderr))
    users = cloud.users(lay)
    return LocalCloud(admin=users['admin'], demo=users[identity.DEMO],
                      seed=seed, layout=lay)


_CLOUD = None


def get() -> LocalCloud:
    """The cloud of this test process (made once)."""
    global _CLOUD
    if _CLOUD is None:
        openrc = os.environ.get(OPENRC_ENV)
        _CLOUD = _from_openrc(openrc) if openrc else _ours()
    return _CLOUD
