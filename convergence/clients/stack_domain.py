"""The stack user domain: Keystone users Heat makes for in-instance agents.

As Heat's ``heat_keystoneclient`` with ``stack_user_domain_id`` (or
``_name``), ``stack_domain_admin`` and ``stack_domain_admin_password``: the
admin, with a token scoped to that domain, makes a project per stack tree
(``<tenant>-<stack id>``), a user per signalling resource in it (with
``heat_stack_user_role`` on the project), and EC2 keypairs; a user's token
is had with its id, password and project.  Those credentials go into a
server (its metadata or a deployment's inputs): a user can do nothing but
signal and read its own stack, as the ``heat_stack_user`` role allows.

``settings`` checks the options at start-up: a domain without its admin
and password, or without the ``[trustee]`` Keystone the engine acts with,
is a ``StackDomainConfigError`` naming what is missing (Heat refuses the
first case the same way; it falls back to users in the stack's own
project when no domain is set, which we never do: without a domain, what
needs a stack user is refused by name).
"""

import dataclasses
import json
import secrets
import uuid

from oslo_config import cfg

from convergence.clients import errors
from convergence.clients import http
from convergence.clients import options
from convergence.clients import sessions

# Heat's description of the per-stack projects.
PROJECT_DESCRIPTION = 'Heat stack user project'
# Keystone's project and user names are at most 64 characters (Heat cuts).
NAME_LIMIT = 64
# Keystone's security compliance rules would lock or expire an automated
# user: Heat's options exempting it.
USER_OPTIONS = {'ignore_change_password_upon_first_use': True,
                'ignore_password_expiry': True,
                'ignore_lockout_failure_attempts': True}
NOT_CONFIGURED = ('no stack user domain is configured (set '
                  'stack_user_domain_id or stack_user_domain_name, '
                  'stack_domain_admin and stack_domain_admin_password)')


class StackDomainConfigError(Exception):
    """The stack user domain options cannot work; the message says why."""


@dataclasses.dataclass(frozen=True)
class DomainSettings:
    """Where and as whom stack domain users are made."""

    domain_id: str | None
    domain_name: str | None
    admin: str
    admin_password: str
    user_role: str
    auth_url: str            # Keystone, as the engine and servers reach it


def settings(conf: cfg.ConfigOpts) -> DomainSettings | None:
    """The configured stack user domain; None when none is asked for.

    Raises:
        StackDomainConfigError: a domain without its admin or password, or
            without a ``[trustee]`` user (the engine's Keystone).
    """
    domain_id, domain_name = (conf.stack_user_domain_id,
                              conf.stack_user_domain_name)
    if not (domain_id or domain_name):
        return None
    if not (conf.stack_domain_admin and conf.stack_domain_admin_password):
        raise StackDomainConfigError(
            'misconfigured, cannot specify "stack_user_domain_id" or '
            '"stack_user_domain_name" without "stack_domain_admin" and '
            '"stack_domain_admin_password"')
    try:
        auth_url = sessions.trustee_auth(conf).auth_url
    except errors.CloudUnavailable as exc:
        raise StackDomainConfigError(
            'stack_user_domain_%s is set, but stack domain users need the '
            'engine\'s Keystone: %s' % ('id' if domain_id else 'name', exc))
    if not auth_url:
        raise StackDomainConfigError(
            '[trustee] auth_url is not set: stack domain users are made in '
            'that Keystone')
    return DomainSettings(domain_id=domain_id,
                          domain_name=None if domain_id else domain_name,
                          admin=conf.stack_domain_admin,
                          admin_password=conf.stack_domain_admin_password,
                          user_role=conf.heat_stack_user_role,
                          auth_url=_v3(auth_url))


def _v3(auth_url: str) -> str:
    """Keystone's v3 URL (what servers' agents authenticate at)."""
    url = auth_url.rstrip('/')
    return url if url.endswith('/v3') else url + '/v3'


def new_password() -> str:
    """A stack user's password (Heat's generate_openstack_password is 32
    characters of letters and digits; this is 43 URL-safe ones)."""
    return secrets.token_urlsafe(32)


class KeystoneStackDomain:
    """The stack user domain on a real Keystone, as its admin."""

    def __init__(self, conf: cfg.ConfigOpts, domain: DomainSettings):
        self.conf, self.domain = conf, domain
        self._session = None
        self._domain_id = domain.domain_id
        self._role_id = None

    # --- the admin's session ---

    def _admin_session(self):
        from keystoneauth1.identity import v3

        if self._session is None:
            scope = ({'domain_id': self.domain.domain_id,
                      'user_domain_id': self.domain.domain_id}
                     if self.domain.domain_id else
                     {'domain_name': self.domain.domain_name,
                      'user_domain_name': self.domain.domain_name})
            auth = v3.Password(auth_url=self.domain.auth_url,
                               username=self.domain.admin,
                               password=self.domain.admin_password, **scope)
            self._session = sessions.session(self.conf, auth, 'keystone')
        return self._session

    def _call(self, method: str, path: str, **kwargs):
        return http.request(self._admin_session(), method, path,
                            endpoint_filter={
                                'service_type': 'identity',
                                'interface': options.interface(self.conf,
                                                               'keystone'),
                                'version': (3, 0)}, **kwargs)

    def domain_id(self) -> str:
        """The domain's id (from the admin's domain-scoped token)."""
        if self._domain_id is None:
            session = self._admin_session()
            try:
                self._domain_id = session.auth.get_access(session).domain_id
            except Exception as exc:
                raise errors.CloudUnavailable(
                    'the stack domain admin %s cannot authenticate in '
                    'domain %s: %s' % (self.domain.admin,
                                       self.domain.domain_name, exc))
        return self._domain_id

    def _user_role_id(self) -> str:
        if self._role_id is None:
            roles = self._call('GET', '/roles', params={
                'name': self.domain.user_role}).json()['roles']
            if len(roles) != 1:
                raise errors.CloudError("Can't find role %s"
                                        % self.domain.user_role)
            self._role_id = roles[0]['id']
        return self._role_id

    # --- projects ---

    def create_project(self, tenant: str, stack_id: str) -> str:
        """A project for a stack tree (Heat's name: the tenant's id and
        the stack's, which are unique where names are not)."""
        body = {'project': {'name': ('%s-%s' % (tenant, stack_id))[
            :NAME_LIMIT], 'domain_id': self.domain_id(),
            'description': PROJECT_DESCRIPTION}}
        return self._call('POST', '/projects', json=body).json()[
            'project']['id']

    def delete_project(self, project_id: str) -> None:
        """Delete it when it is one of the domain's (never another's)."""
        try:
            project = self._call('GET', '/projects/%s' % project_id).json()[
                'project']
            if project['domain_id'] != self.domain_id():
                raise errors.Forbidden('project %s is not in the stack user '
                                       'domain' % project_id)
            self._call('DELETE', '/projects/%s' % project_id)
        except errors.NotFound:
            pass

    # --- users ---

    def create_user(self, name: str, project_id: str, password: str) -> str:
        """A user of the domain, its default project ``project_id``, with
        the stack user role there; its id."""
        role_id = self._user_role_id()
        body = {'user': {'name': name[:NAME_LIMIT], 'password': password,
                         'default_project_id': project_id,
                         'domain_id': self.domain_id(),
                         'options': USER_OPTIONS}}
        user_id = self._call('POST', '/users', json=body).json()['user']['id']
        self._call('PUT', '/projects/%s/users/%s/roles/%s' % (
            project_id, user_id, role_id))
        return user_id

    def _check_user(self, user_id: str, project_id: str) -> None:
        """Heat's sanity check: only the domain's users, of that project."""
        user = self._call('GET', '/users/%s' % user_id).json()['user']
        if user.get('domain_id') != self.domain_id() or user.get(
                'default_project_id') != project_id:
            raise errors.Forbidden('user %s is not a stack user of project '
                                   '%s' % (user_id, project_id))

    def delete_user(self, user_id: str, project_id: str) -> None:
        try:
            self._check_user(user_id, project_id)
            self._call('DELETE', '/users/%s' % user_id)
        except errors.NotFound:
            pass

    def set_user_enabled(self, user_id: str, project_id: str,
                         enabled: bool) -> None:
        self._check_user(user_id, project_id)
        self._call('PATCH', '/users/%s' % user_id,
                   json={'user': {'enabled': enabled}})

    def create_keypair(self, user_id: str, project_id: str) -> dict:
        """An EC2 credential of the user: ``id``, ``access``, ``secret``."""
        blob = {'access': uuid.uuid4().hex, 'secret': new_password()}
        body = {'credential': {'user_id': user_id, 'type': 'ec2',
                               'blob': json.dumps(blob),
                               'project_id': project_id}}
        made = self._call('POST', '/credentials', json=body).json()
        return dict(blob, id=made['credential']['id'])

    def delete_keypair(self, user_id: str, project_id: str,
                       credential_id: str) -> None:
        try:
            self._check_user(user_id, project_id)
            self._call('DELETE', '/credentials/%s' % credential_id)
        except errors.NotFound:
            pass

    def user_token(self, user_id: str, project_id: str,
                   password: str) -> str:
        """A token of the stack user, scoped to its project."""
        from keystoneauth1 import exceptions as ks_exceptions
        from keystoneauth1.identity import v3

        auth = v3.Password(auth_url=self.domain.auth_url, user_id=user_id,
                           password=password, project_id=project_id)
        try:
            return auth.get_token(sessions.session(self.conf, auth,
                                                   'keystone'))
        except ks_exceptions.ClientException as exc:
            raise errors.CloudError('the stack user %s cannot '
                                    'authenticate: %s' % (user_id, exc))
