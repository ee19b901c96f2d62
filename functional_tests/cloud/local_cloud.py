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
"""

import dataclasses
import os
import sys

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
