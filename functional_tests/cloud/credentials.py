"""A user's password credentials: as openrc, clouds.yaml and connections.

``write_files`` writes ``openrc`` (admin), ``openrc.demo`` and
``clouds.yaml`` (clouds ``<name>-admin`` and ``<name>-demo``) for a human;
``from_openrc`` reads such a file back, ours or another cloud's (the
``export OS_...=...`` lines of /work/shared/tools/minicloud's ``$MC/openrc``
read the same), so the tests can run against any running cloud.
"""

import dataclasses
import os
import shlex

import yaml

# The openrc variables and the Credentials field each one sets.
OPENRC = {
    'OS_AUTH_URL': 'auth_url',
    'OS_USERNAME': 'username',
    'OS_PASSWORD': 'password',
    'OS_PROJECT_NAME': 'project_name',
    'OS_USER_DOMAIN_NAME': 'user_domain_name',
    'OS_PROJECT_DOMAIN_NAME': 'project_domain_name',
    'OS_REGION_NAME': 'region_name',
}
REQUIRED = ('OS_AUTH_URL', 'OS_USERNAME', 'OS_PASSWORD', 'OS_PROJECT_NAME')


class OpenrcError(ValueError):
    """An openrc file cannot be read or lacks a variable; names it."""


@dataclasses.dataclass(frozen=True)
class Credentials:
    auth_url: str
    username: str
    password: str
    project_name: str
    user_domain_name: str = 'Default'
    project_domain_name: str = 'Default'
    region_name: str = 'RegionOne'

    def auth(self) -> dict:
        """The ``auth`` mapping of clouds.yaml and openstacksdk."""
        return {'auth_url': self.auth_url, 'username': self.username,
                'password': self.password, 'project_name': self.project_name,
                'user_domain_name': self.user_domain_name,
                'project_domain_name': self.project_domain_name}

    def openrc(self) -> str:
        lines = ['# %s of project %s' % (self.username, self.project_name)]
        for variable, field in OPENRC.items():
            lines.append('export %s=%s' % (
                variable, shlex.quote(getattr(self, field))))
        lines.append('export OS_IDENTITY_API_VERSION=3')
        return '\n'.join(lines) + '\n'

    def session(self):
        """A keystoneauth1 session authenticating as this user."""
        from keystoneauth1.identity import v3
        from keystoneauth1 import session
        return session.Session(auth=v3.Password(**self.auth()))

    def connection(self):
        """An openstacksdk Connection as this user."""
        import openstack
        return openstack.connect(auth_type='password', auth=self.auth(),
                                 region_name=self.region_name)


def authtoken_options(service: Credentials) -> dict:
    """keystonemiddleware's ``[keystone_authtoken]`` options validating
    tokens with ``service``'s credentials."""
    return {'www_authenticate_uri': service.auth_url,
            'auth_url': service.auth_url, 'auth_type': 'password',
            'username': service.username, 'password': service.password,
            'project_name': service.project_name,
            'user_domain_name': service.user_domain_name,
            'project_domain_name': service.project_domain_name}


def from_openrc(path: str) -> Credentials:
    """The credentials an openrc file exports."""
    try:
        with open(path) as f:
            text = f.read()
    except OSError as err:
        raise OpenrcError('cannot read openrc %s: %s' % (path, err))
    found = {}
    for line in text.splitlines():
        words = shlex.split(line, comments=True)
        if words[:1] == ['export']:
            words = words[1:]
        for word in words:
            name, sep, value = word.partition('=')
            if sep and name in OPENRC:
                found[OPENRC[name]] = value
    missing = [v for v in REQUIRED if OPENRC[v] not in found]
    if missing:
        raise OpenrcError('openrc %s does not set %s' % (
            path, ', '.join(missing)))
    return Credentials(**found)


def write_files(directory: str, cloud: str,
                users: dict[str, Credentials]) -> None:
    """``openrc`` for admin, ``openrc.<user>`` for the others, and
    ``clouds.yaml`` with a cloud ``<cloud>-<user>`` each."""
    clouds = {}
    for name, credentials in users.items():
        rc = 'openrc' if name == 'admin' else 'openrc.' + name
        _write(os.path.join(directory, rc), credentials.openrc())
        clouds['%s-%s' % (cloud, name)] = {
            'auth': credentials.auth(), 'region_name': credentials.region_name,
            'identity_api_version': 3}
    _write(os.path.join(directory, 'clouds.yaml'),
           yaml.safe_dump({'clouds': clouds}, default_flow_style=False))


def _write(path: str, text: str) -> None:
    with open(path, 'w') as f:
        f.write(text)
    os.chmod(path, 0o600)
