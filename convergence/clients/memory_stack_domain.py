"""An in-memory stack user domain (the twin of stack_domain's Keystone).

Keeps projects, users, role grants, EC2 credentials and tokens in dicts,
with the rules the callers meet: a user belongs to one project of the
domain, a project or user of another domain is never deleted, a token is
given only for the right password of an enabled user.
"""

import uuid

from convergence.clients import errors
from convergence.clients import stack_domain


class InMemoryStackDomain:
    """ports-compatible with stack_domain.KeystoneStackDomain."""

    def __init__(self, domain_id: str = 'heat-domain',
                 auth_url: str = 'http://keystone.example/v3',
                 user_role: str = 'heat_stack_user'):
        self.domain = stack_domain.DomainSettings(
            domain_id=domain_id, domain_name=None, admin='heat_domain_admin',
            admin_password='secret', user_role=user_role, auth_url=auth_url)
        self.projects: dict[str, dict] = {}
        self.users: dict[str, dict] = {}
        self.credentials: dict[str, dict] = {}
        self.tokens: dict[str, dict] = {}

    def domain_id(self) -> str:
        return self.domain.domain_id

    def create_project(self, tenant: str, stack_id: str) -> str:
        project_id = uuid.uuid4().hex
        self.projects[project_id] = {
            'id': project_id, 'domain_id': self.domain_id(),
            'name': ('%s-%s' % (tenant, stack_id))[:stack_domain.NAME_LIMIT]}
        return project_id

    def delete_project(self, project_id: str) -> None:
        project = self.projects.get(project_id)
        if project is None:
            return
        if project['domain_id'] != self.domain_id():
            raise errors.Forbidden('project %s is not in the stack user '
                                   'domain' % project_id)
        del self.projects[project_id]

    def create_user(self, name: str, project_id: str, password: str) -> str:
        if project_id not in self.projects:
            raise errors.NotFound('Could not find project: %s.' % project_id)
        user_id = uuid.uuid4().hex
        self.users[user_id] = {
            'id': user_id, 'name': name[:stack_domain.NAME_LIMIT],
            'password': password, 'default_project_id': project_id,
            'domain_id': self.domain_id(), 'enabled': True,
            'roles': {project_id: [self.domain.user_role]}}
        return user_id

    def _user(self, user_id: str, project_id: str) -> dict:
        user = self.users.get(user_id)
        if user is None:
            raise errors.NotFound('Could not find user: %s.' % user_id)
        if user['default_project_id'] != project_id:
            raise errors.Forbidden('user %s is not a stack user of project '
                                   '%s' % (user_id, project_id))
        return user

    def delete_user(self, user_id: str, project_id: str) -> None:
        try:
            self._user(user_id, project_id)
        except errors.NotFound:
            return
        del self.users[user_id]
        for cred_id in [c for c, cred in self.credentials.items()
                        if cred['user_id'] == user_id]:
            del self.credentials[cred_id]

    def set_user_enabled(self, user_id: str, project_id: str,
                         enabled: bool) -> None:
        self._user(user_id, project_id)['enabled'] = enabled

    def create_keypair(self, user_id: str, project_id: str) -> dict:
        self._user(user_id, project_id)
        cred = {'id': uuid.uuid4().hex, 'access': uuid.uuid4().hex,
                'secret': stack_domain.new_password()}
        self.credentials[cred['id']] = dict(cred, user_id=user_id,
                                            project_id=project_id)
        return cred

    def delete_keypair(self, user_id: str, project_id: str,
                       credential_id: str) -> None:
        self._user(user_id, project_id)
        self.credentials.pop(credential_id, None)

    def user_token(self, user_id: str, project_id: str,
                   password: str) -> str:
        user = self.users.get(user_id)
        if (user is None or user['password'] != password
                or not user['enabled']
                or user['default_project_id'] != project_id):
            raise errors.CloudError('the stack user %s cannot '
                                    'authenticate' % user_id)
        token = uuid.uuid4().hex
        self.tokens[token] = {'user_id': user_id, 'project_id': project_id,
                              'roles': user['roles'][project_id]}
        return token
