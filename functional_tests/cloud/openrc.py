"""A running cloud named by ``CONV_CLOUD_OPENRC`` (an openrc with the
admin's ``export OS_...=`` lines), and the users a test makes on it.

``Cloud`` reads the openrc and gives admin openstacksdk connections;
``TestUsers`` makes a project with a member user and a service user for
``[trustee]`` (removed at cleanUp).
"""

import os
import shlex
import uuid

import fixtures
import testtools

OPENRC_ENV = 'CONV_CLOUD_OPENRC'
PASSWORD = 'cl-user-secret'


def skip_without_cloud() -> str:
    """The openrc's path; skips the test when none is given."""
    path = os.environ.get(OPENRC_ENV)
    if not path:
        raise testtools.TestCase.skipException(
            '%s is not set: these tests need a running cloud (its admin '
            'openrc)' % OPENRC_ENV)
    if not os.path.exists(path):
        raise testtools.TestCase.skipException('%s=%s does not exist' % (
            OPENRC_ENV, path))
    return path


def read_openrc(path: str) -> dict[str, str]:
    """The ``OS_*`` variables an openrc exports."""
    found = {}
    with open(path) as lines:
        for line in lines:
            words = shlex.split(line, comments=True)
            if words[:1] == ['export']:
                words = words[1:]
            for word in words:
                key, equals, value = word.partition('=')
                if equals and key.startswith('OS_'):
                    found[key] = value
    return found


class Cloud:
    """The cloud of an openrc."""

    def __init__(self, path: str):
        self.env = read_openrc(path)
        self.auth_url = self.env['OS_AUTH_URL']
        self.region = self.env.get('OS_REGION_NAME', 'RegionOne')

    def admin_auth(self) -> dict:
        return {'auth_url': self.auth_url,
                'username': self.env['OS_USERNAME'],
                'password': self.env['OS_PASSWORD'],
                'project_name': self.env.get('OS_PROJECT_NAME', 'admin'),
                'user_domain_name': self.env.get('OS_USER_DOMAIN_NAME',
                                                 'Default'),
                'project_domain_name': self.env.get(
                    'OS_PROJECT_DOMAIN_NAME', 'Default')}

    def connect(self, **auth):
        """An openstacksdk Connection (the admin's unless ``auth``)."""
        import openstack
        return openstack.connect(auth=auth or self.admin_auth(),
                                 region_name=self.region,
                                 identity_api_version='3')

    def user_auth(self, user: str, project_id: str) -> dict:
        return {'auth_url': self.auth_url, 'username': user,
                'password': PASSWORD, 'project_id': project_id,
                'user_domain_name': 'Default'}


class TestUsers(fixtures.Fixture):
    """A project with a ``member`` user, and a user for ``[trustee]``."""

    def __init__(self, cloud: Cloud):
        super().__init__()
        self.cloud = cloud

    def _setUp(self):
        admin = self.cloud.connect()
        self.admin = admin
        suffix = uuid.uuid4().hex[:8]
        identity = admin.identity
        self.project = identity.create_project(name='cl-demo-' + suffix,
                                               domain_id='default')
        self.addCleanup(identity.delete_project, self.project,
                        ignore_missing=True)
        self.user = identity.create_user(name='cl-demo-' + suffix,
                                         password=PASSWORD,
                                         domain_id='default')
        self.addCleanup(identity.delete_user, self.user, ignore_missing=True)
        identity.assign_project_role_to_user(
            self.project, self.user, identity.find_role('member'))
        self.trustee = identity.create_user(name='cl-trustee-' + suffix,
                                            password=PASSWORD,
                                            domain_id='default')
        self.addCleanup(identity.delete_user, self.trustee,
                        ignore_missing=True)

    def user_connection(self):
        return self.cloud.connect(**self.cloud.user_auth(self.user.name,
                                                         self.project.id))

    def token(self) -> str:
        """A fresh token of the member user, scoped to its project."""
        return self.user_connection().session.get_token()

    def revoke(self, token: str) -> None:
        """Revoke ``token`` as the admin."""
        import requests
        response = requests.delete(self.cloud.auth_url.rstrip('/')
                                   + '/auth/tokens', headers={
                                       'X-Auth-Token':
                                           self.admin.session.get_token(),
                                       'X-Subject-Token': token}, timeout=30)
        response.raise_for_status()

    def trusts_of_user(self) -> list[dict]:
        """The trusts the member user is trustor of, as Keystone lists
        them to the admin."""
        import requests
        response = requests.get(
            self.cloud.auth_url.rstrip('/') + '/OS-TRUST/trusts',
            params={'trustor_user_id': self.user.id},
            headers={'X-Auth-Token': self.admin.session.get_token()},
            timeout=30)
        response.raise_for_status()
        return response.json()['trusts']
